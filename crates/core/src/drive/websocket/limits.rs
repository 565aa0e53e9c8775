//! How much a connection buffers: limits as configuration with safe defaults, as tungstenite
//! and openai-python's `ResponsesWebSocketLimits` have them.

use std::fmt;

/// The limits of one connection. Frames wait in their lane's queue until that lane is read;
/// reading one lane while another's response piles up is bounded by these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest frame (and message) the transport accepts: 16 MiB. A longer one ends the
    /// connection with a capacity error (the transport's WebSocket library enforces it).
    pub max_frame_bytes: usize,
    /// Lanes, the default one included: 33 (the service takes 32 named lanes).
    pub max_lanes: usize,
    /// Events queued in one lane: 4,096.
    pub max_events_per_lane: usize,
    /// Events queued in all lanes: 16,384.
    pub max_events: usize,
    /// Frame bytes queued in one lane: 64 MiB.
    pub max_bytes_per_lane: usize,
    /// Frame bytes queued in all lanes: 256 MiB.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_frame_bytes: 16 << 20,
            max_lanes: 33,
            max_events_per_lane: 4096,
            max_events: 16384,
            max_bytes_per_lane: 64 << 20,
            max_bytes: 256 << 20,
        }
    }
}

impl Limits {
    /// These limits with frames up to `bytes`.
    #[must_use]
    pub fn max_frame_bytes(mut self, bytes: usize) -> Self {
        self.max_frame_bytes = bytes;
        self
    }

    /// These limits with at most `lanes` lanes (the default one included).
    #[must_use]
    pub fn max_lanes(mut self, lanes: usize) -> Self {
        self.max_lanes = lanes;
        self
    }

    /// These limits with at most `events` events and `bytes` bytes queued per lane.
    #[must_use]
    pub fn per_lane(mut self, events: usize, bytes: usize) -> Self {
        self.max_events_per_lane = events;
        self.max_bytes_per_lane = bytes;
        self
    }

    /// These limits with at most `events` events and `bytes` bytes queued in all lanes.
    #[must_use]
    pub fn per_connection(mut self, events: usize, bytes: usize) -> Self {
        self.max_events = events;
        self.max_bytes = bytes;
        self
    }
}

/// A frame that would have gone past a [`Limits`] budget: the connection ends, so that no
/// event is silently dropped from the middle of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CapacityError {
    /// Which budget: `"max_events_per_lane"`, `"max_bytes_per_lane"`, `"max_events"`,
    /// `"max_bytes"` or `"max_frame_bytes"`.
    pub limit: &'static str,
    /// Its value.
    pub value: usize,
}

impl CapacityError {
    /// A frame longer than [`Limits::max_frame_bytes`] (the transport's library refused it).
    pub fn frame(max_frame_bytes: usize) -> Self {
        CapacityError {
            limit: "max_frame_bytes",
            value: max_frame_bytes,
        }
    }
}

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the WebSocket lanes buffered more than {} = {} (read every lane that has a response in flight, or raise the limit)",
            self.limit, self.value
        )
    }
}

impl std::error::Error for CapacityError {}
