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
        | ureq::Error::TlsRequired
        | ureq::Error::ConnectProxyFailed(_)
        | ureq::Error::InvalidProxyUrl) => Error::Connect(Box::new(err)),
        err => Error::Transport(Box::new(err)),
    }
}

/// An I/O error (reading a body: ureq wraps its own errors in one), kept as the cause.
pub(crate) fn from_io(err: io::Error) -> Error {
    let ureq_timeout = err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>())
        .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)));
    // A failed name lookup has no stable `ErrorKind` (std's is `Uncategorized`): its message
    // is std's own.
    let lookup = err.to_string().starts_with("failed to lookup address");
    match err.kind() {
        _ if ureq_timeout => Error::Timeout(Some(Box::new(err))),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Error::Timeout(Some(Box::new(err))),
        io::ErrorKind::ConnectionRefused
        | io::ErrorKind::HostUnreachable
        | io::ErrorKind::NetworkUnreachable
        | io::ErrorKind::NetworkDown
        | io::ErrorKind::AddrNotAvailable => Error::Connect(Box::new(err)),
        _ if lookup => Error::Connect(Box::new(err)),
        _ => Error::Transport(Box::new(err)),
    }
}

/// Whether the connection broke before any answer byte (a reset, a stale pooled connection,
/// an unexpected end): the request may be sent again if it is idempotent. Not an error that
/// sending again cannot mend (a bad URL, a TLS or certificate failure).
pub(crate) fn is_dropped(err: &Error) -> bool {
    let Error::Transport(cause) = err else {
        return false;
    };
    cause.downcast_ref::<io::Error>().is_some()
        || cause
            .downcast_ref::<ureq::Error>()
            .is_some_and(|err| matches!(err, ureq::Error::Io(_) | ureq::Error::Protocol(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_could_not_connect_is_a_connect_error() {
        for kind in [
            io::ErrorKind::ConnectionRefused,
            io::ErrorKind::HostUnreachable,
            io::ErrorKind::NetworkUnreachable,
            io::ErrorKind::AddrNotAvailable,
        ] {
            assert!(from_io(io::Error::from(kind)).is_connect(), "{kind:?}");
        }
        let dns =
            io::Error::other("failed to lookup address information: Name or service not known");
        assert!(from_io(dns).is_connect());
        assert!(from_ureq(ureq::Error::HostNotFound).is_connect());
        let reset = from_io(io::Error::from(io::ErrorKind::ConnectionReset));
        assert!(!reset.is_connect() && is_dropped(&reset));
        let bad_uri = from_ureq(ureq::Error::BadUri("x".into()));
        assert!(!is_dropped(&bad_uri), "sending again cannot mend it");
    }
}
