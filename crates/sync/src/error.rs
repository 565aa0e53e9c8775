//! The sync client's error: the core's stream error, plus what only a transport can see.

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
    /// The connection failed, or a timeout expired.
    Transport(Box<ureq::Error>),
    /// Reading the body failed (including the idle timeout between bytes).
    Io(std::io::Error),
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
            Error::Io(err) => write!(f, "reading the response: {err}"),
            Error::Stream(err) => err.fmt(f),
            Error::Json(err) => write!(f, "unexpected response body: {err}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(err) => Some(&**err),
            Error::Transport(err) => Some(&**err),
            Error::Io(err) => Some(err),
            Error::Stream(err) => Some(err),
            Error::Json(err) => Some(err),
        }
    }
}

impl From<ureq::Error> for Error {
    fn from(err: ureq::Error) -> Self {
        match err {
            ureq::Error::Io(io) => Error::Io(io),
            other => Error::Transport(Box::new(other)),
        }
    }
}

impl From<StreamError> for Error {
    fn from(err: StreamError) -> Self {
        Error::Stream(err)
    }
}
