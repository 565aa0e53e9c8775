//! A lane: one `stream_id` of a connection, holding one response at a time.

use std::fmt;

/// A lane of a [`Connection`](super::Connection): the default one (no `stream_id`) or a named
/// one. A cheap handle; the lane's queue and response live in the connection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Lane(pub(crate) Option<String>);

impl Lane {
    /// The default lane: creates without a `stream_id`, and every event that names no
    /// registered lane (connection-level errors among them).
    pub fn default_lane() -> Self {
        Lane(None)
    }

    /// The lane's `stream_id`, `None` for the default lane.
    pub fn stream_id(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// A command the connection refused before sending anything.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LaneError {
    /// A `stream_id` must be 1-256 ASCII letters, digits, `_`, `-` or `.`.
    InvalidStreamId(String),
    /// This lane is already registered.
    Duplicate(String),
    /// The connection has `max_lanes` lanes already.
    TooManyLanes(usize),
    /// The lane's response has not reached its terminal event: read it first.
    Busy(Option<String>),
    /// The lane is not registered on this connection.
    Unknown(String),
    /// The connection has ended (and no reconnect opened it again).
    Closed,
}

impl fmt::Display for LaneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |id: &Option<String>| match id {
            Some(id) => format!("lane {id:?}"),
            None => "the default lane".to_owned(),
        };
        match self {
            LaneError::InvalidStreamId(id) => write!(
                f,
                "invalid stream_id {id:?}: use 1-256 ASCII letters, digits, '_', '-' or '.'"
            ),
            LaneError::Duplicate(id) => write!(f, "lane {id:?} is already registered"),
            LaneError::TooManyLanes(max) => {
                write!(f, "the connection has its maximum of {max} lanes")
            }
            LaneError::Busy(id) => write!(
                f,
                "{} has a response in flight: read it to its end before the next create",
                name(id)
            ),
            LaneError::Unknown(id) => write!(f, "lane {id:?} is not registered"),
            LaneError::Closed => f.write_str("the WebSocket connection has ended"),
        }
    }
}

impl std::error::Error for LaneError {}

/// Whether `id` is a valid named `stream_id`.
pub(crate) fn valid_stream_id(id: &str) -> bool {
    (1..=256).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}
