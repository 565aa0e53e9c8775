//! A streamed call: the one pump over a session of one request, its body decoded by the core's
//! [`Reader`] as it arrives, then the one verdict the core gives.

use streaming_assistants_core::drive::{Reader, Single, Verdict};
use streaming_assistants_core::wire::protocol::{Accumulate, Protocol};

use crate::pump::Pump;
use crate::{Error, Text};

/// The events of a streamed call in protocol `P`, read from the body as they arrive; the last
/// item is the stream's error if it did not end cleanly. Dropping it closes the connection.
pub struct EventStream<P: Protocol> {
    pump: Pump<Single<P::Event>, P>,
}

impl<P: Protocol> std::fmt::Debug for EventStream<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("EventStream").field(&self.pump).finish()
    }
}

/// A stream never asks for tool outputs: its session has no calls.
fn no_call(call: &std::convert::Infallible) -> String {
    match *call {}
}

impl<P: Protocol> EventStream<P> {
    /// Sends the request (with retries) until it is answered with a stream.
    pub(crate) fn open(mut pump: Pump<Single<P::Event>, P>) -> Result<Self, Error> {
        pump.open()?;
        Ok(EventStream { pump })
    }

    /// How the stream ended, once it has.
    pub fn verdict(&self) -> Option<Verdict> {
        self.pump.session.verdict()
    }

    /// The next event if it is already decoded from the bytes received, without reading:
    /// `None` when the next one needs more bytes (or the stream is over). Lets a caller flush
    /// its own output before [`Iterator::next`] blocks on the network.
    pub fn next_buffered(&mut self) -> Option<Result<P::Event, Error>> {
        self.pump.next_buffered()
    }

    /// The reply's text, one piece per delta as it arrives (the core's borrowed hot path: each
    /// piece is copied once, into the `String` yielded).
    pub fn text(self) -> Text<P> {
        Text::new(self)
    }

    /// Reads the stream to its end and returns the reply's whole text; the first error ends it.
    pub fn into_text(self) -> Result<String, Error> {
        self.text().collect()
    }

    /// Reads the stream to its end and returns what it accumulates to (for Assistants the run,
    /// its steps and messages); the first error ends it, including an event the accumulator
    /// rejects (`StreamError::Rejected`). Text deltas take the core's borrowed hot path.
    pub fn into_snapshot(self) -> Result<P::Snapshot, Error> {
        self.into_snapshot_with(P::Accumulator::default())
    }

    /// As [`EventStream::into_snapshot`], accumulated by `acc` (e.g. Chat's strict rule).
    pub fn into_snapshot_with(mut self, mut acc: P::Accumulator) -> Result<P::Snapshot, Error> {
        let apply =
            |reader: &mut Reader<P>| Some(reader.apply_next(&mut acc)?.map_err(Error::from));
        let mut apply = apply;
        while let Some(applied) = self.pump.run(&mut apply, |_| None, &mut no_call) {
            applied?;
        }
        Ok(acc.finish())
    }

    /// Takes what `take` finds in the bytes received (the hot path), reading more until it
    /// finds something or the stream is over; a read error is the last item.
    pub(crate) fn pump<T>(
        &mut self,
        take: impl FnMut(&mut Reader<P>) -> Option<Result<T, Error>>,
    ) -> Option<Result<T, Error>> {
        self.pump.run(take, |_| None, &mut no_call)
    }
}

impl<P: Protocol> Iterator for EventStream<P> {
    type Item = Result<P::Event, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.pump.run(|_| None, Some, &mut no_call)
    }
}
