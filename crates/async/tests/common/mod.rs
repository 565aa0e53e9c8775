//! Shared by this crate's table runners (`scenarios.rs`, `faults.rs`).

use streaming_assistants_async::{CallError, Error, StreamError};
use streaming_assistants_testserver::scenarios::Failure;

/// The transport-independent kind of an error, as the tables name it.
pub fn failure(err: &Error) -> Failure {
    match err {
        Error::Call(CallError::Api(err)) => Failure::Api(err.status),
        Error::Call(CallError::Stream(StreamError::ErrorEvent(_))) => Failure::Stream,
        Error::Call(CallError::Stream(StreamError::Truncated { .. })) => Failure::Truncated,
        Error::Call(CallError::Stream(StreamError::Decode(_) | StreamError::Limit(_))) => {
            Failure::Decode
        }
        Error::Call(CallError::Stream(StreamError::NotAStream(_))) => Failure::NotAStream,
        err if err.is_timeout() => Failure::Timeout,
        _ => Failure::Transport,
    }
}
