//! Shared by this crate's table runners (`scenarios.rs`, `faults.rs`).

use streaming_assistants_async::Error;
use streaming_assistants_testserver::scenarios::Failure;

/// The transport-independent kind of an error, as the tables name it.
pub fn failure(err: &Error) -> Failure {
    match err {
        Error::Call(call) => Failure::of_call(call),
        err if err.is_timeout() => Failure::Timeout,
        _ => Failure::Transport,
    }
}
