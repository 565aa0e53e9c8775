//! One dispatched event.

use std::sync::Arc;

/// An event as the WHATWG rules dispatch it: its type, its data, and the id and retry time in
/// force when it was dispatched.
///
/// The type and id are shared (`Arc<str>`) with the parser, which reuses them while they do not
/// change, so that a run of events of one type costs one allocation each: their data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub(crate) event: Arc<str>,
    pub(crate) data: String,
    pub(crate) id: Arc<str>,
    pub(crate) retry: Option<u64>,
}

impl Event {
    /// Builds an event, e.g. to compare against in tests.
    pub fn new(event: &str, data: &str, id: &str, retry: Option<u64>) -> Self {
        Event {
            event: event.into(),
            data: data.into(),
            id: id.into(),
            retry,
        }
    }

    /// The event type: the last `event` field, or `message` when there was none.
    pub fn event(&self) -> &str {
        &self.event
    }

    /// The data: the `data` fields joined with LF.
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The data, owned.
    pub fn into_data(self) -> String {
        self.data
    }

    /// The last event id in force (empty when none was set, or it was reset).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The reconnection time in force, in milliseconds, if a `retry` field set one.
    pub fn retry(&self) -> Option<u64> {
        self.retry
    }
}
