//! The async client's error: the core's stream error, plus what only a transport can see.

use std::fmt;

use streaming_assistants_core::drive::StreamError;
use streaming_assistants_core::request::ApiError;

/// What can go wrong with a call or a stream. Messages never contain the API key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status: status, error object or raw body,
    /// request id.
    Api(Box<ApiError>),
    /// The connection failed, reading the body failed, or the HTTP client could not be built.
    Transport(reqwest::Error),
    /// No byte arrived for longer than the idle timeout (`Timeouts::idle`), waiting for the
    /// answer or within its body.
    Timeout,
    /// The stream itself went wrong: a bad event, an `error` event, a truncated body, an
    /// answer that is not a stream (the core's [`StreamError`]).
    Stream(StreamError),
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

    /// The stream's own error, if that is what this is.
    pub fn as_stream(&self) -> Option<&StreamError> {
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
            Error::Transport(err) => write!(f, "transport error: {err}"),
            Error::Timeout => f.write_str("no byte arrived within the idle timeout"),
            Error::Stream(err) => err.fmt(f),
            Error::Json(err) => write!(f, "unexpected response body: {err}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(err) => Some(&**err),
            Error::Transport(err) => Some(err),
            Error::Timeout => None,
            Error::Stream(err) => Some(err),
            Error::Json(err) => Some(err),
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(err: reqwest::Error) -> Self {
        Error::Transport(err)
    }
}

impl From<StreamError> for Error {
    fn from(err: StreamError) -> Self {
        Error::Stream(err)
    }
}
