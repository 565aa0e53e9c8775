//! A streamed call's body pumped into the core's [`Reader`] as a `futures_core::Stream`,
//! polled in place (no spawned task, no channel: backpressure is the socket's).

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use streaming_assistants_core::drive::{Reader, Verdict};
use streaming_assistants_core::wire::protocol::Protocol;

use crate::body::Body;
use crate::{Error, Text};

/// The events of a streamed call in protocol `P`, decoded as the body's bytes arrive; the last
/// item is the stream's error if it did not end cleanly. Dropping it closes the connection.
pub struct EventStream<P: Protocol> {
    body: Pin<Box<Body>>,
    pub(crate) reader: Reader<P>,
}

impl<P: Protocol> std::fmt::Debug for EventStream<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The reader holds all the stream's state (its verdict); the body is the socket.
        f.debug_tuple("EventStream").field(&self.reader).finish()
    }
}

impl<P: Protocol> EventStream<P> {
    pub(crate) fn new(response: reqwest::Response, idle: Duration) -> Self {
        EventStream {
            body: Body::new(response, idle),
            reader: Reader::new(),
        }
    }

    /// How the stream ended, once it has.
    pub fn verdict(&self) -> Option<Verdict> {
        self.reader.verdict()
    }

    /// The next event (an inherent `next`, so no extension trait is needed).
    pub async fn next(&mut self) -> Option<Result<P::Event, Error>> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    /// The reply's text, one piece per delta as it arrives (the core's borrowed hot path: each
    /// piece is copied once, into the `String` yielded).
    pub fn text(self) -> Text<P> {
        Text::new(self)
    }

    /// Reads the stream to its end and returns the reply's whole text; the first error ends it.
    pub async fn into_text(self) -> Result<String, Error> {
        let (mut pieces, mut text) = (self.text(), String::new());
        while let Some(piece) = pieces.next().await {
            text.push_str(&piece?);
        }
        Ok(text)
    }

    /// Reads the stream to its end and returns what it accumulates to (for Assistants the run,
    /// its steps and messages); the first error ends it, including an event the accumulator
    /// rejects (`StreamError::Rejected`). Text deltas take the core's borrowed hot path.
    pub async fn into_snapshot(self) -> Result<P::Snapshot, Error> {
        self.into_snapshot_with(P::Accumulator::default()).await
    }

    /// As [`EventStream::into_snapshot`], accumulated by `acc` (e.g. Chat's strict rule).
    pub async fn into_snapshot_with(
        mut self,
        mut acc: P::Accumulator,
    ) -> Result<P::Snapshot, Error> {
        loop {
            while let Some(applied) = self.reader.apply_next(&mut acc) {
                applied?;
            }
            if self.reader.verdict().is_some() {
                return Ok(P::snapshot(acc));
            }
            if let Some(err) = std::future::poll_fn(|cx| self.poll_read_more(cx)).await {
                return Err(err);
            }
        }
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<P::Event, Error>>> {
        loop {
            if let Some(item) = self.reader.next_event() {
                return Poll::Ready(Some(item.map_err(Error::from)));
            }
            if self.reader.verdict().is_some() {
                return Poll::Ready(None);
            }
            if let Some(err) = std::task::ready!(self.poll_read_more(cx)) {
                return Poll::Ready(Some(Err(err)));
            }
        }
    }

    /// Polls the body for its next bytes and pushes them into the reader; at its end or on an
    /// error, the reader gives the verdict, and the error to deliver if it was not clean.
    pub(crate) fn poll_read_more(&mut self, cx: &mut Context<'_>) -> Poll<Option<Error>> {
        Poll::Ready(match std::task::ready!(self.body.as_mut().poll_chunk(cx)) {
            Some(Ok(chunk)) => {
                self.reader.push(&chunk);
                None
            }
            Some(Err(err)) => self.reader.fail_body(err),
            None => self.reader.end().map(Error::from),
        })
    }
}

impl<P: Protocol> Stream for EventStream<P> {
    type Item = Result<P::Event, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}
