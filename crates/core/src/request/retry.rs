//! When a transport sends a request again, and how long each transport waits: the policy is
//! here so that both transports behave alike; they only sleep.

use std::time::Duration;

use super::{ApiError, Request};

/// How long a transport waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// To connect (default 10 s).
    pub connect: Duration,
    /// Between two reads of a response, so that a stalled stream ends with an error
    /// (default 60 s).
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            idle: Duration::from_secs(60),
        }
    }
}

impl Timeouts {
    /// Sets the connect timeout.
    #[must_use]
    pub fn connect(mut self, connect: Duration) -> Self {
        self.connect = connect;
        self
    }

    /// Sets the idle timeout.
    #[must_use]
    pub fn idle(mut self, idle: Duration) -> Self {
        self.idle = idle;
        self
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The connection was refused: nothing of the request was sent.
    Refused,
    /// The server answered with this error status, asking to wait `retry_after` if it said so.
    Status {
        /// The HTTP status.
        status: u16,
        /// From `retry-after-ms` or `retry-after` (see [`retry_after`]).
        retry_after: Option<Duration>,
    },
}

/// Retry safely: a refused connection (nothing was sent) is always retried; a 429 or 5xx only
/// for requests that read or delete. A run creation the server may have received is never sent
/// twice.
///
/// ```
/// use std::time::Duration;
/// use streaming_assistants_core::request::{Failure, Request, Retries};
///
/// let retries = Retries::new(2);
/// let read = Request::retrieve_run("thread_1", "run_1");
/// let busy = Failure::Status { status: 429, retry_after: Some(Duration::from_secs(1)) };
/// assert_eq!(retries.wait(&read, 1, busy), Some(Duration::from_secs(1)));
/// assert_eq!(retries.wait(&read, 3, busy), None); // out of retries
/// let create = Request::run_assistant("thread_1", "asst_1", true);
/// assert_eq!(retries.wait(&create, 1, busy), None); // never sent twice
/// assert!(retries.wait(&create, 1, Failure::Refused).is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retries {
    max: u32,
}

impl Default for Retries {
    /// Two retries.
    fn default() -> Self {
        Retries { max: 2 }
    }
}

impl Retries {
    /// At most `max` retries after the first attempt (0: none).
    pub const fn new(max: u32) -> Self {
        Retries { max }
    }

    /// How many retries at most.
    pub const fn max(self) -> u32 {
        self.max
    }

    /// How long to wait before sending `request` again after attempt `attempt` (1-based)
    /// failed this way; `None` to give up and report the failure.
    pub fn wait(self, request: &Request, attempt: u32, failure: Failure) -> Option<Duration> {
        if attempt > self.max {
            return None;
        }
        match failure {
            Failure::Refused => Some(backoff(attempt, None)),
            Failure::Status {
                status,
                retry_after,
            } => (ApiError::is_retryable_status(status) && request.idempotent())
                .then(|| backoff(attempt, retry_after)),
        }
    }
}

/// The wait before retry `attempt` (1-based): what the server asked for, capped at 20 s, or
/// 0.5 s doubling.
fn backoff(attempt: u32, asked: Option<Duration>) -> Duration {
    asked
        .map(|d| d.min(Duration::from_secs(20)))
        .unwrap_or_else(|| Duration::from_millis(500u64 << attempt.saturating_sub(1).min(5)))
}

/// The wait a response asks for: `retry-after-ms` (milliseconds, OpenAI's) or `retry-after`
/// (seconds), given a lookup of the response's headers by name.
///
/// ```
/// use std::time::Duration;
/// use streaming_assistants_core::request::retry_after;
///
/// let headers = [("retry-after", "2")];
/// let lookup = |name: &str| headers.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
/// assert_eq!(retry_after(lookup), Some(Duration::from_secs(2)));
/// ```
pub fn retry_after<'a>(header: impl Fn(&str) -> Option<&'a str>) -> Option<Duration> {
    let seconds = |name: &str, scale: f64| {
        header(name)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(|v| v / scale)
            .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e9)
    };
    seconds("retry-after-ms", 1000.0)
        .or_else(|| seconds("retry-after", 1.0))
        .map(Duration::from_secs_f64)
}
