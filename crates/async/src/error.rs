//! The async client's one error type (the sync client's, with reqwest's transport errors).

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
    /// The connection failed, a timeout expired, or reading the body failed.
    Transport(reqwest::Error),
    /// No byte arrived for longer than the idle timeout (`Timeouts::idle`), waiting for the
    /// answer or within its body.
    Timeout,
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
            Error::Timeout => true,
            Error::Transport(err) => err.is_timeout(),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(err) => err.fmt(f),
            Error::Transport(err) => write!(f, "transport error: {err}"),
            Error::Timeout => f.write_str("no byte arrived within the idle timeout"),
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

impl From<reqwest::Error> for Error {
    fn from(err: reqwest::Error) -> Self {
        Error::Transport(err)
    }
}
