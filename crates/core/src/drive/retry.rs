//! When a transport sends a request again, and how long it waits first: the policy
//! ([`Retries`]) and the machine that applies it to one call ([`Retry`]), with the clock passed
//! in. The transports only send and sleep.

use std::time::{Duration, Instant};

use crate::wire::{ApiError, Request};

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
    /// The connection failed before any byte of the answer (a reset, a pooled connection the
    /// server had closed): the request may have reached the server, so only a request that
    /// reads, deletes or resumes is sent again — at once the first time, on a fresh
    /// connection, since a stale pooled one is the usual cause.
    Dropped,
    /// The server answered with this error status, asking to wait `retry_after` if it said so.
    Status {
        /// The HTTP status.
        status: u16,
        /// From `retry-after-ms` or `retry-after` (see [`retry_after`]).
        retry_after: Option<Duration>,
    },
}

impl Failure {
    /// An error status, with the wait its answer's headers ask for (`header` looks one up by
    /// its lower-case name; see [`retry_after`]).
    pub fn status<'a>(status: u16, header: impl Fn(&str) -> Option<&'a str>) -> Self {
        Failure::Status {
            status,
            retry_after: retry_after(header),
        }
    }
}

/// Retry safely (more carefully than the official SDKs, which also send a `POST` again): a
/// refused connection (nothing was sent) is always retried; a connection dropped before the
/// answer, a 429 or a 5xx only for requests that read, delete or resume. A run creation the
/// server may have received is never sent twice.
///
/// ```
/// use std::time::Duration;
/// use streaming_assistants_core::drive::{Failure, Retries};
/// use streaming_assistants_core::wire::Request;
///
/// let retries = Retries::new(2);
/// let read = Request::retrieve_run("thread_1", "run_1");
/// let busy = Failure::Status { status: 429, retry_after: Some(Duration::from_secs(1)) };
/// assert_eq!(retries.wait(&read, 1, busy), Some(Duration::from_secs(1)));
/// assert_eq!(retries.wait(&read, 3, busy), None); // out of retries
/// let create = Request::run_assistant("thread_1", "asst_1", true);
/// assert_eq!(retries.wait(&create, 1, busy), None); // never sent twice
/// assert!(retries.wait(&create, 1, Failure::Refused).is_some());
/// assert_eq!(retries.wait(&read, 1, Failure::Dropped), Some(Duration::ZERO)); // a stale connection
/// assert_eq!(retries.wait(&create, 1, Failure::Dropped), None); // it may have arrived
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
            Failure::Dropped if request.idempotent() => Some(if attempt == 1 {
                Duration::ZERO
            } else {
                backoff(attempt - 1, None)
            }),
            Failure::Dropped => None,
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
/// use streaming_assistants_core::drive::retry_after;
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

/// One call's retries: after each failed attempt, [`Retry::failed`] says when to send again, or
/// to give up and report the failure. Time is passed in; nothing here sleeps.
///
/// ```
/// use std::time::{Duration, Instant};
/// use streaming_assistants_core::drive::{Failure, Retries, Retry};
/// use streaming_assistants_core::wire::Request;
///
/// let request = Request::retrieve_run("thread_1", "run_1");
/// let mut retry = Retry::new(&request, Retries::new(2));
/// let t0 = Instant::now(); // any instant: a fake clock works the same
/// let busy = Failure::Status { status: 503, retry_after: None };
/// assert_eq!(retry.failed(busy, t0), Some(t0 + Duration::from_millis(500)));
/// assert_eq!(retry.failed(busy, t0), Some(t0 + Duration::from_millis(1000)));
/// assert_eq!(retry.failed(busy, t0), None); // two retries, then the error is reported
/// ```
#[derive(Debug, Clone)]
pub struct Retry<'a> {
    request: &'a Request,
    retries: Retries,
    attempts: u32,
}

impl<'a> Retry<'a> {
    /// The retries of `request` under `retries`, before its first attempt.
    pub fn new(request: &'a Request, retries: Retries) -> Self {
        Retry {
            request,
            retries,
            attempts: 0,
        }
    }

    /// An attempt failed this way at `now`: the instant to send the request again, or `None`
    /// to report the failure.
    pub fn failed(&mut self, failure: Failure, now: Instant) -> Option<Instant> {
        self.attempts += 1;
        let wait = self.retries.wait(self.request, self.attempts, failure)?;
        Some(now + wait)
    }

    /// How many attempts have failed so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}
