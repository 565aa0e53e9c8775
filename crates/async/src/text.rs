//! The text pieces of a stream, as a `futures_core::Stream` (the sync crate's `text()`
//! iterator).

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use streaming_assistants_core::wire::protocol::Protocol;

use crate::{Error, EventStream};

/// [`EventStream::text`]: the text pieces of a stream, as a `futures_core::Stream`.
#[derive(Debug)]
pub struct Text<P: Protocol>(EventStream<P>);

impl<P: Protocol> Text<P> {
    pub(crate) fn new(stream: EventStream<P>) -> Self {
        Text(stream)
    }
}

impl<P: Protocol> Text<P> {
    /// The next piece of text.
    pub async fn next(&mut self) -> Option<Result<String, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<P: Protocol> Stream for Text<P> {
    type Item = Result<String, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().0.poll_take(cx, |reader| {
            reader.next_text().map(|text| text.map_err(Error::from))
        })
    }
}
