//! The async client's error: the core's call error, plus what only a transport can see.

use std::fmt;

use streaming_assistants_core::drive::{CallError, StreamError};

/// What can go wrong with a call or a stream. Messages never contain the API key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// What goes wrong whatever the transport: the server's error answer, the stream, the
    /// body (the core's [`CallError`]).
    Call(CallError),
    /// The connection failed, reading the body failed, or the HTTP client could not be built.
    Transport(reqwest::Error),
    /// No byte arrived for longer than the idle timeout (`Timeouts::idle`), waiting for the
    /// answer or within its body.
    Timeout,
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
            Error::Call(err) => err.fmt(f),
            Error::Transport(err) => write!(f, "transport error: {err}"),
            Error::Timeout => f.write_str("no byte arrived within the idle timeout"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Each message already includes the inner error's: its source is the inner one's,
            // so a chain printer shows each message once.
            Error::Call(err) => err.source(),
            Error::Transport(err) => err.source(),
            Error::Timeout => None,
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
        Error::Call(err.into())
    }
}
