//! ureq's failures as the one [`Error`], sorted by kind: could not connect, timed out, or the
//! connection failed after it was made.

use std::io;

use crate::Error;

/// A ureq error, kept as the cause.
pub(crate) fn from_ureq(err: ureq::Error) -> Error {
    match err {
        ureq::Error::Io(err) => from_io(err),
        err @ ureq::Error::Timeout(_) => Error::Timeout(Some(Box::new(err))),
        err @ (ureq::Error::ConnectionFailed
        | ureq::Error::HostNotFound
        | ureq::Error::Tls(_)
        | ureq::Error::TlsRequired) => Error::Connect(Box::new(err)),
        err => Error::Transport(Box::new(err)),
    }
}

/// An I/O error (reading a body: ureq wraps its own errors in one), kept as the cause.
pub(crate) fn from_io(err: io::Error) -> Error {
    let ureq_timeout = err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>())
        .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)));
    match err.kind() {
        _ if ureq_timeout => Error::Timeout(Some(Box::new(err))),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Error::Timeout(Some(Box::new(err))),
        io::ErrorKind::ConnectionRefused => Error::Connect(Box::new(err)),
        _ => Error::Transport(Box::new(err)),
    }
}
