//! Astra's legacy message stream ([`LegacyStream`], declared with the shared surface): the
//! generic stream, read as text pieces.

use streaming_assistants_core::assistants::legacy::LegacyEvent;

use crate::{Error, LegacyStream};

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
