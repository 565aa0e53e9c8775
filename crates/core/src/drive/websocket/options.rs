//! How a transport connects: buffer limits and the reconnect policy, with the user's hook.

use super::{Limits, Reconnect, ReconnectEvent};

/// The reconnect hook: told of each attempt before its wait; `false` gives up.
pub type OnReconnecting = Box<dyn FnMut(&ReconnectEvent) -> bool + Send>;

/// How `client.responses().connect_with(options)` connects: buffer limits, and a reconnect
/// policy (none by default, as openai-python's).
#[derive(Default)]
#[non_exhaustive]
pub struct Options {
    /// The connection's buffer limits (frame size, queued events and bytes).
    pub limits: Limits,
    /// Open the socket again after a transient close (1001, 1006, 1011, ...) when the next
    /// command is sent. The server's cache of the old connection is gone.
    pub reconnect: Option<Reconnect>,
    /// Told of each reconnect attempt; returning `false` gives up.
    pub on_reconnecting: Option<OnReconnecting>,
    /// Attempts made since a frame last arrived: the budget is not renewed by a reconnect that
    /// brings nothing (as openai-python counts).
    spent: u32,
}

impl Options {
    /// These options with `limits`.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// These options with a reconnect policy and its hook.
    #[must_use]
    pub fn reconnect(
        mut self,
        policy: Reconnect,
        on_reconnecting: impl FnMut(&ReconnectEvent) -> bool + Send + 'static,
    ) -> Self {
        self.reconnect = Some(policy);
        self.on_reconnecting = Some(Box::new(on_reconnecting));
        self
    }

    /// The attempts to make after a close with `close_code`, each approved by the hook: an
    /// iterator the transport follows (wait `delay`, connect, stop at the first success).
    pub fn attempts(&mut self, close_code: u16) -> impl Iterator<Item = ReconnectEvent> + '_ {
        let policy = self.reconnect;
        std::iter::from_fn(move || {
            self.spent += 1;
            let event = policy?.attempt(self.spent, close_code, jitter())?;
            let approved = self
                .on_reconnecting
                .as_mut()
                .is_none_or(|hook| hook(&event));
            approved.then_some(event)
        })
    }
}

impl Options {
    /// A frame arrived: the reconnect budget is whole again.
    pub fn frame_arrived(&mut self) {
        self.spent = 0;
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("limits", &self.limits)
            .field("reconnect", &self.reconnect)
            .field("on_reconnecting", &self.on_reconnecting.is_some())
            .finish()
    }
}

/// A jitter in `[0, 1)` from the clock's nanoseconds (one number per attempt needs no RNG).
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    f64::from(nanos % 1000) / 1000.0
}
