//! The one error of a stream, whatever the protocol: the core's, nested in each transport's.

use std::fmt;

use crate::protocol::{self, DecodeError};
use crate::request::NotAStream;
use crate::sse;
use crate::wire::ErrorObject;

/// What went wrong in a stream (not in the connection under it). After `Decode`, `Limit` and
/// `ErrorEvent` the stream goes on; `Truncated` is its last item; `NotAStream` comes instead of
/// a stream.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StreamError {
    /// An event's JSON did not decode into its type.
    Decode(DecodeError),
    /// An SSE line or event went past its size limit and was skipped.
    Limit(sse::Error),
    /// The server sent an `error` event.
    ErrorEvent(Box<ErrorObject>),
    /// The body ended before the protocol's end: every event before byte `at` was delivered.
    Truncated {
        /// The byte offset up to which every event was delivered.
        at: u64,
    },
    /// The answer to a streaming call was not an event stream.
    NotAStream(NotAStream),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Decode(err) => err.fmt(f),
            StreamError::Limit(err) => err.fmt(f),
            StreamError::ErrorEvent(err) => write!(
                f,
                "the server reported an error mid-stream: {}",
                err.message.as_deref().unwrap_or("(no message)")
            ),
            StreamError::Truncated { at } => write!(
                f,
                "the stream ended before its end marker (truncated at byte {at})"
            ),
            StreamError::NotAStream(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Decode(err) => Some(err),
            StreamError::Limit(err) => Some(err),
            StreamError::NotAStream(err) => Some(err),
            StreamError::ErrorEvent(_) | StreamError::Truncated { .. } => None,
        }
    }
}

impl From<protocol::Error> for StreamError {
    fn from(err: protocol::Error) -> Self {
        match err {
            protocol::Error::Sse(err) => StreamError::Limit(err),
            protocol::Error::Decode(err) => StreamError::Decode(err),
        }
    }
}

impl From<NotAStream> for StreamError {
    fn from(err: NotAStream) -> Self {
        StreamError::NotAStream(err)
    }
}
