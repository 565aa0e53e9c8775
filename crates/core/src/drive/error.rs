//! The errors of a call and of its stream, whatever the protocol and the transport: the
//! core's, nested in each transport's `Error`, which adds only what its HTTP client can see.

use std::fmt;

use crate::protocol::{self, DecodeError, Rejected};
use crate::request::{ApiError, NotAStream};
use crate::sse;
use crate::wire::ErrorObject;

/// What went wrong in a stream (not in the connection under it). After `Decode`, `Limit`,
/// `ErrorEvent` and `Rejected` the stream goes on; `Truncated` is its last item; `NotAStream` comes instead of
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
    /// An event the accumulator could not place (`into_snapshot` and its kin): the snapshot
    /// is unchanged by it.
    Rejected(Rejected),
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
            StreamError::Rejected(err) => err.fmt(f),
        }
    }
}

// A wrapper's message is its inner error's, so its source is the inner error's source: a chain
// printer (`anyhow`'s `{:#}`) shows each message once.
impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Decode(err) => err.source(),
            StreamError::Limit(err) => err.source(),
            StreamError::NotAStream(err) => err.source(),
            StreamError::Rejected(err) => err.source(),
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

impl From<Rejected> for StreamError {
    fn from(err: Rejected) -> Self {
        StreamError::Rejected(err)
    }
}

impl From<NotAStream> for StreamError {
    fn from(err: NotAStream) -> Self {
        StreamError::NotAStream(err)
    }
}

/// What can go wrong with a call whatever carries it: the server's error answer, the stream,
/// the body. Each transport's `Error` carries it as `Error::Call` and adds only its own causes
/// (the connection, I/O, a timeout).
#[derive(Debug)]
#[non_exhaustive]
pub enum CallError {
    /// The server answered with an error status: status, error object or raw body,
    /// request id.
    Api(Box<ApiError>),
    /// The stream itself went wrong: a bad event, an `error` event, a truncated body, an
    /// answer that is not a stream.
    Stream(StreamError),
    /// A response body was not the JSON expected.
    Json(serde_json::Error),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Api(err) => err.fmt(f),
            CallError::Stream(err) => err.fmt(f),
            CallError::Json(err) => write!(f, "unexpected response body: {err}"),
        }
    }
}

// As for `StreamError`: each message once in the chain.
impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Api(err) => err.source(),
            CallError::Stream(err) => err.source(),
            CallError::Json(err) => err.source(),
        }
    }
}

impl From<ApiError> for CallError {
    fn from(err: ApiError) -> Self {
        CallError::Api(Box::new(err))
    }
}

impl From<StreamError> for CallError {
    fn from(err: StreamError) -> Self {
        CallError::Stream(err)
    }
}

impl From<serde_json::Error> for CallError {
    fn from(err: serde_json::Error) -> Self {
        CallError::Json(err)
    }
}
