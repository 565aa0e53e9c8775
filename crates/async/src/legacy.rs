//! Astra's legacy message stream: the generic stream, read as text pieces.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use streaming_assistants_core::assistants::legacy::LegacyEvent;
use streaming_assistants_core::assistants::Legacy;
use streaming_assistants_core::drive::Verdict;

use crate::{Error, EventStream};

/// Astra's legacy message stream: the text of each chunk as it arrives, for a run made by
/// [`Client::legacy_stream`](crate::Client::legacy_stream). Frames that are not chunks are
/// skipped; a body that stops inside a frame (a server-side failure writes `data: []` with no
/// blank line) ends with a truncation error.
#[derive(Debug)]
pub struct LegacyStream {
    run_id: String,
    events: EventStream<Legacy>,
}

impl LegacyStream {
    pub(crate) fn new(run_id: String, events: EventStream<Legacy>) -> Self {
        LegacyStream { run_id, events }
    }

    /// The run being streamed: retrieve it afterwards to learn how it ended.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// How the stream ended, once it has.
    pub fn verdict(&self) -> Option<Verdict> {
        self.events.verdict()
    }

    /// The next piece of text.
    pub async fn next(&mut self) -> Option<Result<String, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the stream to its end and returns the whole text; the first error ends it.
    pub async fn into_text(self) -> Result<String, Error> {
        self.events.into_text().await
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
