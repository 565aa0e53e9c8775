//! Astra's legacy message stream ([`LegacyStream`], declared with the shared surface): the
//! generic stream, read as text pieces.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use streaming_assistants_core::assistants::legacy::LegacyEvent;

use crate::{Error, LegacyStream};

impl LegacyStream {
    /// The next piece of text.
    pub async fn next(&mut self) -> Option<Result<String, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for LegacyStream {
    type Item = Result<String, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let events = Pin::new(&mut self.get_mut().events);
        let mut events = events;
        loop {
            match std::task::ready!(events.as_mut().poll_next(cx)) {
                Some(Ok(LegacyEvent::Chunk(chunk))) => return Poll::Ready(Some(Ok(chunk.text()))),
                Some(Ok(_)) => {}
                Some(Err(err)) => return Poll::Ready(Some(Err(err))),
                None => return Poll::Ready(None),
            }
        }
    }
}
