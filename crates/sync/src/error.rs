//! The sync client's one error type.

use std::fmt;

use streaming_assistants_core::event;
use streaming_assistants_core::request::{ApiError, NotAStream};
use streaming_assistants_core::types::ErrorObject;

/// What can go wrong with a call or a stream. Messages never contain the API key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status: status, error object or raw body,
    /// request id.
    Api(Box<ApiError>),
    /// The connection failed, or a timeout expired.
    Transport(Box<ureq::Error>),
    /// Reading the body failed (including the idle timeout between bytes).
    Io(std::io::Error),
    /// A streaming call was answered with something other than an event stream (a JSON
    /// body, or an encoded one).
    NotAStream(NotAStream),
    /// An event could not be decoded (or went past a size limit); the stream goes on.
    Decode(Box<event::Error>),
    /// The server sent `event: error` mid-stream; the stream goes on.
    Stream(Box<ErrorObject>),
    /// The body ended before `done` or a terminal run event: everything before was yielded.
    Truncated,
    /// A response body was not the JSON expected.
    Json(serde_json::Error),
}

impl Error {
    /// Whether a timeout caused this error.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(err) => matches!(**err, ureq::Error::Timeout(_)),
            Error::Io(err) => {
                matches!(
                    err.kind(),
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                ) || err
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<ureq::Error>())
                    .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)))
            }
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(err) => err.fmt(f),
            Error::Transport(err) => write!(f, "transport error: {err}"),
            Error::Io(err) => write!(f, "reading the response: {err}"),
            Error::NotAStream(err) => err.fmt(f),
            Error::Decode(err) => err.fmt(f),
            Error::Stream(err) => write!(
                f,
                "the server reported an error mid-stream: {}",
                err.message.as_deref().unwrap_or("(no message)")
            ),
            Error::Truncated => {
                f.write_str("the stream ended before `done` or a terminal run event (truncated)")
            }
            Error::Json(err) => write!(f, "unexpected response body: {err}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<ureq::Error> for Error {
    fn from(err: ureq::Error) -> Self {
        match err {
            ureq::Error::Io(io) => Error::Io(io),
            other => Error::Transport(Box::new(other)),
        }
    }
}
