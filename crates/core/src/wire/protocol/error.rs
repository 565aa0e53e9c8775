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
            // The message is the inner error's: its source is the inner one's.
            Error::Sse(err) => std::error::Error::source(err),
            Error::Decode(err) => std::error::Error::source(err),
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

/// An event the accumulator could not place (a delta for an item never added, a choice index
/// past [`chat::MAX_INDEX`](crate::chat::MAX_INDEX), an event of another response): the
/// snapshot is unchanged. Carries the protocol's own error (`assistants`, `responses` or
/// `chat::AccumulateError`), reachable with [`Rejected::get_ref`] and a downcast.
#[derive(Clone)]
pub struct Rejected {
    inner: std::sync::Arc<dyn std::error::Error + Send + Sync>,
}

impl Rejected {
    /// Wraps a protocol's accumulate error.
    pub fn new(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Rejected {
            inner: std::sync::Arc::new(err),
        }
    }

    /// The protocol's error, e.g. to `downcast_ref::<chat::AccumulateError>()`.
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.inner
    }
}

impl fmt::Debug for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Rejected").field(&self.inner).finish()
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an event could not be accumulated: {}", self.inner)
    }
}

/// Equal when the messages are: the inner errors are of the protocols' own types.
impl PartialEq for Rejected {
    fn eq(&self, other: &Self) -> bool {
        self.inner.to_string() == other.inner.to_string()
    }
}

impl std::error::Error for Rejected {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // The message includes the inner one: its source is the inner one's.
        self.inner.source()
    }
}
