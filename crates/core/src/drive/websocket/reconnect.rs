//! The reconnect policy: openai-python's (`on_reconnecting`, 5 attempts, 0.5 s doubling to
//! 8 s, jitter of 75-100 %), as data the transports follow.

use std::time::Duration;

/// When and how often a transport opens the socket again after it ended. Reconnecting does
/// not restore the server's connection-local cache: a `previous_response_id` from the old
/// connection with `store: false` gets a `previous_response_not_found` error.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Reconnect {
    /// Attempts before giving up: 5.
    pub max_retries: u32,
    /// The first delay: 0.5 s.
    pub initial_delay: Duration,
    /// The longest delay: 8 s.
    pub max_delay: Duration,
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect {
            max_retries: 5,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

/// One reconnect attempt, handed to the user's hook before it waits.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReconnectEvent {
    /// This attempt (1-based).
    pub attempt: u32,
    /// How many will be made.
    pub max_attempts: u32,
    /// The wait before this attempt connects.
    pub delay: Duration,
    /// The close code that ended the last connection (1006: dropped without a close frame).
    pub close_code: u16,
}

impl Reconnect {
    /// A policy of `max_retries` attempts with delays from `initial_delay` doubling up to
    /// `max_delay`.
    pub fn new(max_retries: u32, initial_delay: Duration, max_delay: Duration) -> Self {
        Reconnect {
            max_retries,
            initial_delay,
            max_delay,
        }
    }

    /// Whether a connection that ended with `close_code` is worth opening again (RFC 6455
    /// codes openai-python treats as transient: going away, abnormal, server error, restart,
    /// try again later, TLS).
    pub fn recoverable(close_code: u16) -> bool {
        matches!(close_code, 1001 | 1005 | 1006 | 1011 | 1012 | 1013 | 1015)
    }

    /// Attempt `attempt` (1-based) after a close with `close_code`, or `None` when the policy
    /// is spent or the close is not transient. `jitter` in `[0, 1)` scales the delay to
    /// 75-100 %.
    pub fn attempt(&self, attempt: u32, close_code: u16, jitter: f64) -> Option<ReconnectEvent> {
        if attempt == 0 || attempt > self.max_retries || !Self::recoverable(close_code) {
            return None;
        }
        let doubled = self
            .initial_delay
            .saturating_mul(1u32 << (attempt - 1).min(16));
        let base = doubled.min(self.max_delay);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            1.0
        };
        // Never past `base` (no overflow, whatever the durations).
        let delay = Duration::try_from_secs_f64(base.as_secs_f64() * (0.75 + jitter * 0.25))
            .map_or(base, |delay| delay.min(base));
        Some(ReconnectEvent {
            attempt,
            max_attempts: self.max_retries,
            delay,
            close_code,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap_and_stop_after_the_budget() {
        let policy = Reconnect::default();
        let delays: Vec<_> = (1..=6)
            .map(|n| policy.attempt(n, 1006, 1.0).map(|e| e.delay.as_millis()))
            .collect();
        assert_eq!(
            delays,
            [
                Some(500),
                Some(1000),
                Some(2000),
                Some(4000),
                Some(8000),
                None
            ]
        );
        assert_eq!(
            policy.attempt(1, 1006, 0.0).unwrap().delay,
            Duration::from_millis(375)
        );
        assert!(
            policy.attempt(1, 1000, 0.5).is_none(),
            "a normal close is final"
        );
        assert!(
            policy.attempt(1, 1008, 0.5).is_none(),
            "a policy violation is final"
        );
    }
}
