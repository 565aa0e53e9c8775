//! Size limits, and the errors for going past them.

use std::fmt;

/// Size limits that bound the parser's memory, with safe defaults.
///
/// Both default to 16 MiB. Past a limit the parser reports an [`Error`], skips the rest of that
/// event, and goes on with the next one; it never buffers more than about one line plus one
/// event, whatever the size of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest line, in bytes, not counting its line end.
    pub max_line_len: usize,
    /// Largest event, in bytes of its type plus its data (each data line plus one LF), as
    /// received: invalid UTF-8 is replaced by U+FFFD (3 bytes each), so the text handed out
    /// can be up to three times this.
    pub max_event_len: usize,
}

impl Limits {
    /// 16 MiB: the default for both limits.
    pub const DEFAULT_MAX: usize = 16 * 1024 * 1024;

    /// Sets the longest line accepted.
    #[must_use]
    pub fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// Sets the largest event accepted.
    #[must_use]
    pub fn max_event_len(mut self, bytes: usize) -> Self {
        self.max_event_len = bytes;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_len: Self::DEFAULT_MAX,
            max_event_len: Self::DEFAULT_MAX,
        }
    }
}

/// A limit was exceeded. The event in question is skipped; the parser goes on after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A line grew past [`Limits::max_line_len`] before its line end arrived.
    LineTooLong {
        /// Byte offset in the stream where the line starts.
        at: u64,
        /// The limit in force.
        limit: usize,
    },
    /// An event's type and data grew past [`Limits::max_event_len`].
    EventTooLarge {
        /// Byte offset in the stream of the line that went past the limit.
        at: u64,
        /// The limit in force.
        limit: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::LineTooLong { at, limit } => write!(
                f,
                "SSE line at byte {at} is longer than the {limit}-byte limit; its event was skipped"
            ),
            Error::EventTooLarge { at, limit } => write!(
                f,
                "SSE event at byte {at} is larger than the {limit}-byte limit; the event was skipped"
            ),
        }
    }
}

impl std::error::Error for Error {}
