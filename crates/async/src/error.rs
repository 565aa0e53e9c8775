//! reqwest's failures as the one [`Error`], sorted by kind: could not connect, timed out, or
//! the connection failed after it was made.

use crate::Error;

/// A reqwest error, kept as the cause.
pub(crate) fn from_reqwest(err: reqwest::Error) -> Error {
    if err.is_timeout() {
        Error::Timeout(Some(Box::new(err)))
    } else if err.is_connect() {
        Error::Connect(Box::new(err))
    } else {
        Error::Transport(Box::new(err))
    }
}
