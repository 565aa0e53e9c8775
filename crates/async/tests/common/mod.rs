//! Shared by this crate's table runners (`scenarios.rs`, `faults.rs`).

use streaming_assistants_async::Error;
use streaming_assistants_testserver::scenarios::Failure;

/// The transport-independent kind of an error, as the tables name it.
pub fn failure(err: &Error) -> Failure {
    match err {
        Error::Api(err) => Failure::Api(err.status),
        Error::Stream(_) => Failure::Stream,
        Error::Truncated => Failure::Truncated,
        Error::Decode(_) => Failure::Decode,
        Error::NotAStream(_) => Failure::NotAStream,
        err if err.is_timeout() => Failure::Timeout,
        _ => Failure::Transport,
    }
}
