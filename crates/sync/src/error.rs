//! The sync client's error: the core's call error, plus what only a transport can see.

use std::fmt;

use streaming_assistants_core::drive::{CallError, StreamError};

/// What can go wrong with a call or a stream. Messages never contain the API key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// What goes wrong whatever the transport: the server's error answer, the stream, the
    /// body (the core's [`CallError`]).
    Call(CallError),
    /// The connection failed, or a timeout expired.
    Transport(Box<ureq::Error>),
    /// Reading the body failed (including the idle timeout between bytes).
    Io(std::io::Error),
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
            Error::Call(err) => err.fmt(f),
            Error::Transport(err) => write!(f, "transport error: {err}"),
            Error::Io(err) => write!(f, "reading the response: {err}"),
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
            Error::Io(err) => err.source(),
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
        Error::Call(err.into())
    }
}
