//! One dispatched event, borrowed from the parser or owned.

/// An event as the WHATWG rules dispatch it, borrowed from the [`Parser`](super::Parser): its
/// type, its data, and the id and retry time in force when it was dispatched.
///
/// Borrowing makes dispatch free of allocation: the parser reuses its buffers from one event to
/// the next. Call [`to_owned`](EventRef::to_owned) to keep an event past the next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventRef<'a> {
    pub(crate) event: &'a str,
    pub(crate) data: &'a str,
    pub(crate) id: &'a str,
    pub(crate) retry: Option<u64>,
}

impl<'a> EventRef<'a> {
    /// The event type: the last `event` field, or `message` when there was none.
    pub fn event(&self) -> &'a str {
        self.event
    }

    /// The data: the `data` fields joined with LF.
    pub fn data(&self) -> &'a str {
        self.data
    }

    /// The last event id in force (empty when none was set, or it was reset).
    pub fn id(&self) -> &'a str {
        self.id
    }

    /// The reconnection time in force, in milliseconds, if a `retry` field set one.
    pub fn retry(&self) -> Option<u64> {
        self.retry
    }

    /// Copies the event out of the parser.
    pub fn to_owned(&self) -> Event {
        Event::new(self.event, self.data, self.id, self.retry)
    }
}

/// An owned [`EventRef`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    event: String,
    data: String,
    id: String,
    retry: Option<u64>,
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

    /// Borrows the event.
    pub fn as_ref(&self) -> EventRef<'_> {
        EventRef {
            event: &self.event,
            data: &self.data,
            id: &self.id,
            retry: self.retry,
        }
    }
}
