//! Astra's legacy message stream: the generic stream, read as text pieces.

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

    /// Reads the stream to its end and returns the whole text; the first error ends it.
    pub fn into_text(self) -> Result<String, Error> {
        self.events.into_text()
    }
}

impl Iterator for LegacyStream {
    type Item = Result<String, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.events.next()? {
                Ok(LegacyEvent::Chunk(chunk)) => return Some(Ok(chunk.text())),
                Ok(_) => {}
                Err(err) => return Some(Err(err)),
            }
        }
    }
}
