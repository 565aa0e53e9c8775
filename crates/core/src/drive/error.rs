//! The errors of a call and of its stream, whatever the protocol and the transport:
//! [`StreamError`], what one stream's reader reports, and [`Error`], the one error both
//! transports return (the HTTP client's own failures kept as its cause).

use std::fmt;

use crate::sse;
use crate::wire::protocol::{self, DecodeError, Rejected};
use crate::wire::ErrorObject;
use crate::wire::{ApiError, NotAStream};

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
    /// Structured output the stream could not give, where openai-python raises (a `length` or
    /// `content_filter` finish, JSON that does not parse) or as `into_parsed` finds it (a
    /// refusal, no answer).
    Structured(crate::chat::StructuredError),
    /// A WebSocket connection's lanes buffered past a budget (see
    /// `drive::websocket::Limits`): the connection ended there.
    Capacity(crate::drive::websocket::CapacityError),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Decode(err) => err.fmt(f),
            StreamError::Limit(err) => err.fmt(f),
            StreamError::ErrorEvent(err) => {
                write!(
                    f,
                    "the server reported an error mid-stream: {}",
                    err.message.as_deref().unwrap_or("(no message)")
                )?;
                match &err.code {
                    Some(code) => write!(f, " (code {code})"),
                    None => Ok(()),
                }
            }
            StreamError::Truncated { at } => write!(
                f,
                "the stream ended before its end marker (truncated at byte {at})"
            ),
            StreamError::NotAStream(err) => err.fmt(f),
            StreamError::Rejected(err) => err.fmt(f),
            StreamError::Structured(err) => err.fmt(f),
            StreamError::Capacity(err) => err.fmt(f),
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
            StreamError::ErrorEvent(_)
            | StreamError::Truncated { .. }
            | StreamError::Structured(_)
            | StreamError::Capacity(_) => None,
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

impl From<crate::chat::StructuredError> for StreamError {
    fn from(err: crate::chat::StructuredError) -> Self {
        StreamError::Structured(err)
    }
}

impl From<crate::chat::StructuredError> for Error {
    fn from(err: crate::chat::StructuredError) -> Self {
        Error::Stream(StreamError::Structured(err))
    }
}

impl From<NotAStream> for StreamError {
    fn from(err: NotAStream) -> Self {
        StreamError::NotAStream(err)
    }
}

/// The cause of a transport failure, as the HTTP client reported it (its `Display` and
/// `source()` chain are kept).
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What can go wrong with a call or its stream: the one error of both transports (each
/// re-exports it as its own `Error`), grouped by whose fault it is. Ask it with
/// [`Error::is_truncated`], [`Error::is_timeout`], [`Error::is_connect`], [`Error::status`] and
/// [`Error::api_error`] rather than matching deep. No message carries the API key (requests'
/// headers are never part of one).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status: [`Error::status`] and [`Error::api_error`]
    /// (code, message, type, param, request id).
    Api(Box<ApiError>),
    /// Something in the stream went wrong (a bad event, an `error` event, an oversize line, an
    /// event the accumulator rejects), or the answer was not a stream. A truncation is
    /// [`Error::Truncated`] instead.
    Stream(StreamError),
    /// The stream ended before the protocol's end, however it was cut: a clean end of the body
    /// or a connection dropped mid-event or mid-chunk (then `source()` is the I/O error's
    /// cause). Every event before byte `at` was delivered.
    Truncated {
        /// The byte offset up to which every event was delivered.
        at: u64,
        /// The transport's error when the connection dropped; `None` for a clean end.
        cause: Option<Cause>,
        /// How many resumes were tried before giving up (a resuming stream, see
        /// `ResponsesSession`); 0 when the stream was not resumed.
        resumes: u32,
    },
    /// A response body was not the JSON expected.
    Json(serde_json::Error),
    /// No connection could be made (refused, unreachable, DNS, TLS): nothing was sent.
    Connect(Cause),
    /// A timeout expired: connecting, waiting for the answer, or between two bytes of a body.
    Timeout(Option<Cause>),
    /// The connection failed after it was made (a reset, a pooled connection the server had
    /// closed; or reading a non-streamed answer's body), or the request or the HTTP client
    /// could not be built.
    Transport(Cause),
    /// A WebSocket command refused before anything was sent (a busy or unknown lane, an
    /// invalid `stream_id`, a connection that has ended).
    Lane(crate::drive::websocket::LaneError),
}

impl Error {
    /// Whether the stream was cut before its protocol's end (see [`Error::Truncated`]).
    pub fn is_truncated(&self) -> bool {
        matches!(self, Error::Truncated { .. })
    }

    /// Whether a timeout expired.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// Whether no connection could be made.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Connect(_))
    }

    /// The HTTP status of an error answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(err) => Some(err.status),
            _ => None,
        }
    }

    /// The error answer: status, the API's error object (code, message, type, param), request
    /// id.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(err) => Some(err),
            _ => None,
        }
    }

    /// The API's error object, from an error answer or from an `error` event mid-stream.
    pub fn error_object(&self) -> Option<&ErrorObject> {
        match self {
            Error::Api(err) => err.error.as_ref(),
            Error::Stream(StreamError::ErrorEvent(err)) => Some(err),
            _ => None,
        }
    }

    /// A truncation after `resumes` resumes that did not get the stream to its end: says so.
    /// Other errors are unchanged.
    #[must_use]
    pub fn after_resumes(self, resumes: u32) -> Self {
        match self {
            Error::Truncated { at, cause, .. } if resumes > 0 => {
                Error::Truncated { at, cause, resumes }
            }
            other => other,
        }
    }

    /// The stream error, if this is one (a truncation is [`Error::Truncated`]).
    pub fn stream_error(&self) -> Option<&StreamError> {
        match self {
            Error::Stream(err) => Some(err),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(err) => err.fmt(f),
            Error::Stream(err) => err.fmt(f),
            Error::Truncated { at, cause, resumes } => {
                write!(f, "the stream was cut before its end (at byte {at})")?;
                match resumes {
                    0 => {}
                    1 => f.write_str("; gave up resuming after 1 resume")?,
                    n => write!(f, "; gave up resuming after {n} resumes")?,
                }
                match cause {
                    Some(cause) => write!(f, ": {cause}"),
                    None => Ok(()),
                }
            }
            Error::Json(err) => write!(f, "unexpected response body: {err}"),
            Error::Connect(cause) => write!(f, "could not connect: {cause}"),
            Error::Timeout(Some(cause)) => write!(f, "timed out: {cause}"),
            Error::Timeout(None) => {
                f.write_str("timed out: no byte arrived within the idle timeout")
            }
            Error::Transport(cause) => write!(f, "transport error: {cause}"),
            Error::Lane(err) => err.fmt(f),
        }
    }
}

// Each message already includes its inner error's: the source is the inner one's own source,
// so a chain printer (`anyhow`'s `{:#}`) shows each message once.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let cause: &(dyn std::error::Error + 'static) = match self {
            Error::Api(err) => &**err,
            Error::Stream(err) => err,
            Error::Json(err) => err,
            Error::Truncated {
                cause: Some(cause), ..
            }
            | Error::Connect(cause)
            | Error::Timeout(Some(cause))
            | Error::Transport(cause) => &**cause,
            Error::Truncated { cause: None, .. } | Error::Timeout(None) => return None,
            Error::Lane(_) => return None,
        };
        cause.source()
    }
}

impl From<crate::drive::websocket::LaneError> for Error {
    fn from(err: crate::drive::websocket::LaneError) -> Self {
        Error::Lane(err)
    }
}

impl From<crate::drive::websocket::CapacityError> for Error {
    fn from(err: crate::drive::websocket::CapacityError) -> Self {
        Error::Stream(StreamError::Capacity(err))
    }
}

impl From<ApiError> for Error {
    fn from(err: ApiError) -> Self {
        Error::Api(Box::new(err))
    }
}

impl From<StreamError> for Error {
    fn from(err: StreamError) -> Self {
        match err {
            StreamError::Truncated { at } => Error::Truncated {
                at,
                cause: None,
                resumes: 0,
            },
            err => Error::Stream(err),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Self {
        Error::Json(err)
    }
}
