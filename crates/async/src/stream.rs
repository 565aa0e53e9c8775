//! A streamed call as a `futures_core::Stream`: the one pump over a session of one request,
//! its body decoded by the core's [`Reader`] as it arrives, then the one verdict the core
//! gives.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use streaming_assistants_core::drive::{Reader, Single, Verdict};
use streaming_assistants_core::wire::protocol::{Accumulate, Protocol};

use crate::pump::{Pump, Pumped};
use crate::{Error, Text};

/// The events of a streamed call in protocol `P`, decoded as the body's bytes arrive; the last
/// item is the stream's error if it did not end cleanly. Dropping it closes the connection.
pub struct EventStream<P: Protocol> {
    pump: Pump<Single<P::Event>, P>,
}

impl<P: Protocol> std::fmt::Debug for EventStream<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("EventStream").field(&self.pump).finish()
    }
}

impl<P: Protocol> EventStream<P> {
    /// Sends the request (with retries) until it is answered with a stream.
    pub(crate) async fn open(mut pump: Pump<Single<P::Event>, P>) -> Result<Self, Error> {
        pump.open().await?;
        Ok(EventStream { pump })
    }

    /// How the stream ended, once it has.
    pub fn verdict(&self) -> Option<Verdict> {
        self.pump.session.verdict()
    }

    /// The next event (an inherent `next`, so no extension trait is needed).
    pub async fn next(&mut self) -> Option<Result<P::Event, Error>> {
        self.pump.run(|_| None, Some).await
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
        let apply =
            |reader: &mut Reader<P>| Some(reader.apply_next(&mut acc)?.map_err(Error::from));
        let mut apply = apply;
        while let Some(applied) = self.pump.run(&mut apply, |_| None).await {
            applied?;
        }
        Ok(acc.finish())
    }

    /// Polls for what `take` finds in the bytes received (the hot path), reading more until it
    /// finds something or the stream is over; a read error is the last item.
    pub(crate) fn poll_take<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut take: impl FnMut(&mut Reader<P>) -> Option<Result<T, Error>>,
    ) -> Poll<Option<Result<T, Error>>> {
        loop {
            match std::task::ready!(self.pump.poll_run(cx, &mut take, |_| None)) {
                Pumped::Item(item) => return Poll::Ready(item),
                Pumped::Answer => self.pump.session.answered(Vec::new()),
            }
        }
    }
}

impl<P: Protocol> Stream for EventStream<P> {
    type Item = Result<P::Event, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::task::ready!(this.pump.poll_run(cx, |_| None, Some)) {
                Pumped::Item(item) => return Poll::Ready(item),
                // A stream's session has no calls.
                Pumped::Answer => this.pump.session.answered(Vec::new()),
            }
        }
    }
}
