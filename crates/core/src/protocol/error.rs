//! What can go wrong decoding one event, in any protocol.

use std::fmt;

use crate::sse;

/// An event whose JSON could not be decoded into its type. The decoder goes on with the next
/// event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The event's name.
    pub event: String,
    /// Its position in the stream: 0 for the first event.
    pub position: u64,
    /// Line of the JSON error in the event's data (1-based).
    pub line: usize,
    /// Column of the JSON error (1-based).
    pub column: usize,
    /// What serde_json said.
    pub message: String,
}

impl DecodeError {
    pub(crate) fn new(event: &str, position: u64, err: &serde_json::Error) -> Self {
        DecodeError {
            event: event.to_owned(),
            position,
            line: err.line(),
            column: err.column(),
            message: err.to_string(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode `{}` event #{} (data line {}, column {}): {}",
            self.event, self.position, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

/// What can go wrong turning bytes into events. Neither stops the decoder: it goes on with the
/// next event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An SSE line or event went past its limit and was skipped.
    Sse(sse::Error),
    /// An event's JSON did not decode.
    Decode(DecodeError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sse(err) => err.fmt(f),
            Error::Decode(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sse(err) => Some(err),
            Error::Decode(err) => Some(err),
        }
    }
}

impl From<sse::Error> for Error {
    fn from(err: sse::Error) -> Self {
        Error::Sse(err)
    }
}

impl From<DecodeError> for Error {
    fn from(err: DecodeError) -> Self {
        Error::Decode(err)
    }
}
