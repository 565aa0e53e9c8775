//! A streamed leg of a run: events as soon as their bytes arrive.

use std::io::Read;

use streaming_assistants_core::accumulate::{Accumulator, Snapshot};
use streaming_assistants_core::event::legacy::LegacyDecoder;
use streaming_assistants_core::event::{Decoded, Decoder, Ending, StreamEvent};
use streaming_assistants_core::sse::End;

use crate::Error;

/// The events of a streamed call, read from the response body as they arrive. Dropping it
/// closes the connection.
pub struct EventStream {
    body: Box<dyn Read + Send>,
    decoder: Decoder,
    buf: Box<[u8]>,
    ending: Option<Ending>,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("ending", &self.ending)
            .finish_non_exhaustive()
    }
}

impl EventStream {
    pub(crate) fn new(body: Box<dyn Read + Send>) -> Self {
        EventStream {
            body,
            decoder: Decoder::new(),
            buf: vec![0; 16 * 1024].into_boxed_slice(),
            ending: None,
        }
    }

    /// How the stream ended, once it has.
    pub fn ending(&self) -> Option<&Ending> {
        self.ending.as_ref()
    }

    /// Only the text deltas, as they arrive.
    /// Text deltas take the core's borrowed hot path: each piece is copied once, into the
    /// `String` yielded.
    pub fn text(mut self) -> impl Iterator<Item = Result<String, Error>> {
        std::iter::from_fn(move || loop {
            while let Some(item) = self.decoder.next_decoded() {
                let text = match item {
                    Ok(Decoded::Event(StreamEvent::Error(err))) => {
                        return Some(Err(Error::Stream(err)))
                    }
                    Ok(decoded) => decoded.text_deltas().collect::<String>(),
                    Err(err) => return Some(Err(Error::Decode(Box::new(err)))),
                };
                if !text.is_empty() {
                    return Some(Ok(text));
                }
            }
            if self.ending.is_some() {
                return None;
            }
            if let Some(err) = self.read_more() {
                return Some(Err(err));
            }
        })
    }

    /// Reads the stream to its end and returns the accumulated run, steps and messages. The
    /// first error ends it. Text deltas take the core's borrowed hot path (no copy of them).
    pub fn into_snapshot(mut self) -> Result<Snapshot, Error> {
        let mut acc = Accumulator::new();
        loop {
            while let Some(item) = self.decoder.next_decoded() {
                match item {
                    Ok(Decoded::Event(StreamEvent::Error(err))) => return Err(Error::Stream(err)),
                    // A delta for an object never created changes nothing; it is not fatal.
                    Ok(decoded) => drop(acc.apply_decoded(&decoded)),
                    Err(err) => return Err(Error::Decode(Box::new(err))),
                }
            }
            if self.ending.is_some() {
                return Ok(acc.into_snapshot());
            }
            if let Some(err) = self.read_more() {
                return Err(err);
            }
        }
    }

    /// Reads the next bytes of the body into the decoder; at its end, records how the stream
    /// ended. An error ends the stream (a cut connection, a stall).
    fn read_more(&mut self) -> Option<Error> {
        loop {
            match self.body.read(&mut self.buf) {
                Ok(0) => {
                    let ending = self.decoder.finish();
                    let clean = ending.is_clean();
                    self.ending = Some(ending);
                    return (!clean).then_some(Error::Truncated);
                }
                Ok(n) => {
                    self.decoder.push(self.buf.get(..n).unwrap_or_default());
                    return None;
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => {
                    // A cut connection or a stall ends the stream. If it was already over
                    // (`done` arrived, say, before the chunked body's last bytes) that is a
                    // clean end; otherwise the stream was cut short, and the error says how.
                    let ending = self.decoder.finish();
                    let clean = ending.is_clean();
                    self.ending = Some(ending);
                    return (!clean).then_some(Error::Io(err));
                }
            }
        }
    }
}

impl Iterator for EventStream {
    type Item = Result<StreamEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.decoder.next_event() {
                return Some(match item {
                    Ok(StreamEvent::Error(err)) => Err(Error::Stream(err)),
                    Ok(event) => Ok(event),
                    Err(err) => Err(Error::Decode(Box::new(err))),
                });
            }
            if self.ending.is_some() {
                return None;
            }
            if let Some(err) = self.read_more() {
                return Some(Err(err));
            }
        }
    }
}

/// Astra's legacy message stream: the text of each chunk as it arrives. Frames that are not
/// chunks are skipped; a body that stops inside a frame (a server-side failure writes `data: []`
/// with no blank line) ends with [`Error::Truncated`].
pub struct LegacyStream {
    run_id: String,
    body: Box<dyn Read + Send>,
    decoder: LegacyDecoder,
    buf: Box<[u8]>,
    ended: bool,
}

impl std::fmt::Debug for LegacyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyStream")
            .field("run_id", &self.run_id)
            .finish_non_exhaustive()
    }
}

impl LegacyStream {
    pub(crate) fn new(run_id: String, body: Box<dyn Read + Send>) -> Self {
        LegacyStream {
            run_id,
            body,
            decoder: LegacyDecoder::new(),
            buf: vec![0; 16 * 1024].into_boxed_slice(),
            ended: false,
        }
    }

    /// The run being streamed: retrieve it afterwards to learn how it ended.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }
}

impl Iterator for LegacyStream {
    type Item = Result<String, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(text) = self.decoder.next_text() {
                return Some(text.map_err(|err| Error::Decode(Box::new(err))));
            }
            if self.ended {
                return None;
            }
            match self.body.read(&mut self.buf) {
                Ok(0) => {
                    self.ended = true;
                    if let End::Truncated { .. } = self.decoder.finish() {
                        return Some(Err(Error::Truncated));
                    }
                }
                Ok(n) => self.decoder.push(self.buf.get(..n).unwrap_or_default()),
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => {
                    self.ended = true;
                    return Some(Err(Error::Io(err)));
                }
            }
        }
    }
}
