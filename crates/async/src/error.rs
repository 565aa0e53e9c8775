//! reqwest's failures as the one [`Error`], sorted by kind: could not connect, timed out, or
//! the connection failed after it was made.

use crate::Error;

/// A reqwest error, kept as the cause, without the URL (its query or user info could hold a
/// secret).
pub(crate) fn from_reqwest(err: reqwest::Error) -> Error {
    let err = err.without_url();
    if err.is_timeout() {
        Error::Timeout(Some(Box::new(err)))
    } else if err.is_connect() {
        Error::Connect(Box::new(err))
    } else {
        Error::Transport(Box::new(err))
    }
}

/// Whether the connection broke before any answer byte (a reset, a stale pooled connection):
/// the request may be sent again if it is idempotent. Not an error that sending again cannot
/// mend (a request that could not be built).
pub(crate) fn is_dropped(err: &Error) -> bool {
    let Error::Transport(cause) = err else {
        return false;
    };
    cause
        .downcast_ref::<reqwest::Error>()
        .is_some_and(|err| err.is_request() && !err.is_builder())
}
