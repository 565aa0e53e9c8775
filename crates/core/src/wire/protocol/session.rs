//! What a protocol's tool loop is to `drive::ToolLoop`: each protocol's `session.rs` implements
//! it, the machine drives it.

use super::Verdict;
use crate::wire::Request;

/// What a protocol's tool loop needs to know.
pub trait ToolSession {
    /// A streamed event.
    type Event;
    /// One tool call the user's function answers.
    type Call;
    /// The request that streams the first leg.
    fn start(&mut self) -> Request;
    /// Looks at each event of the current leg (and remembers the calls to answer).
    fn observe(&mut self, event: &Self::Event);
    /// After a leg ended: the calls waiting for outputs (none: the loop is over).
    fn take_calls(&mut self) -> Vec<Self::Call>;
    /// The request that sends `outputs` (one per call, in order) and streams the next leg.
    fn answer(&mut self, calls: &[Self::Call], outputs: Vec<String>) -> Request;
    /// Whether the user is handed this event (a session resuming a cut stream drops those it
    /// delivered before the cut). Called before [`ToolSession::observe`], which sees only
    /// delivered events.
    fn deliver(&mut self, _event: &Self::Event) -> bool {
        true
    }
    /// After a leg was cut (`Truncated` or `Failed`): the request that resumes it, when the
    /// session can (a background response).
    fn resume(&mut self, _verdict: Verdict) -> Option<Request> {
        None
    }
    /// Whether the leg after each answer is a new object to accumulate (a new response, a new
    /// completion), not the same one going on (an Assistants run).
    fn new_snapshot_per_answer(&self) -> bool {
        false
    }
    /// How many resumes were sent for the current leg's object (said when the session gives
    /// up).
    fn resumed(&self) -> u32 {
        0
    }
}
