//! The Assistants API's session of the tool loop (a run's `requires_action` answered with
//! `submit_tool_outputs`).

use super::event::StreamEvent;
use super::types::RequiredToolCall;
use crate::wire::protocol::ToolSession;
use crate::wire::Request;

/// The Assistants API's tool loop: a streamed run on a thread; a run that `requires_action`
/// waits for `submit_tool_outputs`, which streams the run's next leg.
#[derive(Debug, Clone)]
pub struct AssistantsTools {
    thread_id: String,
    assistant_id: String,
    waiting: Option<(String, Vec<RequiredToolCall>)>,
}

impl AssistantsTools {
    /// A run of `assistant_id` on `thread_id`.
    pub fn new(thread_id: &str, assistant_id: &str) -> Self {
        AssistantsTools {
            thread_id: thread_id.to_owned(),
            assistant_id: assistant_id.to_owned(),
            waiting: None,
        }
    }
}

impl ToolSession for AssistantsTools {
    type Event = StreamEvent;
    type Call = RequiredToolCall;

    fn start(&mut self) -> Request {
        Request::run_assistant(&self.thread_id, &self.assistant_id, true)
    }

    fn observe(&mut self, event: &StreamEvent) {
        if let Some(run) = event.requires_action() {
            self.waiting = Some((run.id.clone(), run.pending_tool_calls().to_vec()));
        }
    }

    fn take_calls(&mut self) -> Vec<RequiredToolCall> {
        match &self.waiting {
            Some((_, calls)) => calls.clone(),
            None => Vec::new(),
        }
    }

    fn answer(&mut self, calls: &[RequiredToolCall], outputs: Vec<String>) -> Request {
        let run_id = self.waiting.take().map(|(id, _)| id).unwrap_or_default();
        let outputs: Vec<(String, String)> = calls
            .iter()
            .map(|call| call.id.clone())
            .zip(outputs)
            .collect();
        Request::submit_tool_outputs(&self.thread_id, &run_id, &outputs, true)
    }
}
