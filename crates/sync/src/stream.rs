//! A streamed call's body pumped into the core's [`Reader`]: events as soon as their bytes
//! arrive, then the one verdict the core gives.

use std::io::Read;

use streaming_assistants_core::drive::{Reader, Verdict};
use streaming_assistants_core::wire::protocol::Protocol;

use crate::error::from_io;
use crate::{Error, Text};

/// The events of a streamed call in protocol `P`, read from the body as they arrive; the last
/// item is the stream's error if it did not end cleanly. Dropping it closes the connection.
pub struct EventStream<P: Protocol> {
    body: Box<dyn Read + Send>,
    reader: Reader<P>,
    buf: Box<[u8]>,
}

impl<P: Protocol> std::fmt::Debug for EventStream<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The reader holds all the stream's state (its verdict); the body is the socket.
        f.debug_tuple("EventStream").field(&self.reader).finish()
    }
}

impl<P: Protocol> EventStream<P> {
    pub(crate) fn new(body: Box<dyn Read + Send>) -> Self {
        EventStream {
            body,
            reader: Reader::new(),
            buf: vec![0; 16 * 1024].into_boxed_slice(),
        }
    }

    /// How the stream ended, once it has.
    pub fn verdict(&self) -> Option<Verdict> {
        self.reader.verdict()
    }

    /// The next event if it is already decoded from the bytes received, without reading:
    /// `None` when the next one needs more bytes (or the stream is over). Lets a caller flush
    /// its own output before [`Iterator::next`] blocks on the network.
    pub fn next_buffered(&mut self) -> Option<Result<P::Event, Error>> {
        self.reader
            .next_event()
            .map(|item| item.map_err(Error::from))
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
        let mut apply =
            |reader: &mut Reader<P>| Some(reader.apply_next(&mut acc)?.map_err(Error::from));
        while let Some(applied) = self.pump(&mut apply) {
            applied?;
        }
        Ok(P::snapshot(acc))
    }

    /// Takes what `take` finds in the bytes received, reading more until it finds something or
    /// the stream is over; a read error is the last item.
    pub(crate) fn pump<T>(
        &mut self,
        mut take: impl FnMut(&mut Reader<P>) -> Option<Result<T, Error>>,
    ) -> Option<Result<T, Error>> {
        loop {
            if let Some(found) = take(&mut self.reader) {
                return Some(found);
            }
            if self.reader.verdict().is_some() {
                return None;
            }
            if let Some(err) = self.read_more() {
                return Some(Err(err));
            }
        }
    }

    /// Reads the next bytes into the reader; at the end of the body or on an I/O error, the
    /// reader gives the verdict, and the error to deliver if the stream did not end cleanly.
    fn read_more(&mut self) -> Option<Error> {
        loop {
            return match self.body.read(&mut self.buf) {
                Ok(0) => self.reader.end().map(Error::from),
                Ok(n) => {
                    self.reader.push(self.buf.get(..n).unwrap_or_default());
                    None
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => self.reader.fail_body(from_io(err)),
            };
        }
    }
}

impl<P: Protocol> Iterator for EventStream<P> {
    type Item = Result<P::Event, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.pump(|reader| reader.next_event().map(|item| item.map_err(Error::from)))
    }
}
