//! The Responses API's session of the tool loop: function calls answered as
//! `function_call_output` items with `previous_response_id`, and a cut background response
//! resumed from the last event seen.

use super::ResponseRequest;
use super::{EventType, FunctionCall, ResponseEvent};
use crate::wire::protocol::{ToolSession, Verdict};
use crate::wire::Request;

/// A Responses stream as a [`ToolSession`]: with tools, each response that ends with function
/// calls is followed by one answering them; with `resumes`, a background response whose
/// stream is cut is streamed again from `GET /responses/{id}?stream=true&starting_after=N`,
/// and the events up to `N` are not delivered twice (by `sequence_number`).
///
/// ```
/// use streaming_assistants_core::drive::{ToolLoop, ToolStep};
/// use streaming_assistants_core::responses::ResponsesSession;
/// use streaming_assistants_core::responses::ResponseRequest;
///
/// let mut tools = ToolLoop::new(ResponsesSession::new(ResponseRequest::new("m").input("Hi")));
/// let ToolStep::Send(first) = tools.step() else { panic!() };
/// assert_eq!((first.path.as_str(), first.body.unwrap()["stream"].as_bool()), ("/responses", Some(true)));
/// ```
#[derive(Debug, Clone)]
pub struct ResponsesSession {
    request: ResponseRequest,
    response_id: Option<String>,
    background: bool,
    last_sequence: Option<u64>,
    calls: Vec<FunctionCall>,
    answers_calls: bool,
    /// Resumes in a row that may deliver nothing new before giving up.
    max_resumes: u32,
    /// Resumes since the last one that brought a new event.
    fruitless: u32,
    /// The resumes sent for the current response.
    resumed: u32,
    /// `last_sequence` when the last resume was sent.
    at_last_resume: Option<u64>,
}

impl ResponsesSession {
    /// A session that starts with `request` and resumes a cut background response until 3
    /// resumes in a row bring nothing new (a long response cut many times, with progress each
    /// time, completes).
    pub fn new(request: ResponseRequest) -> Self {
        ResponsesSession {
            background: request.get("background").and_then(|b| b.as_bool()) == Some(true),
            request,
            response_id: None,
            last_sequence: None,
            calls: Vec::new(),
            answers_calls: true,
            max_resumes: 3,
            fruitless: 0,
            resumed: 0,
            at_last_resume: None,
        }
    }

    /// At most this many resumes in a row that deliver no new event (0: never resume).
    #[must_use]
    pub fn resumes(mut self, max: u32) -> Self {
        self.max_resumes = max;
        self
    }

    /// Ends after the first response even if it asks for function calls (a stream that only
    /// resumes).
    #[must_use]
    pub fn without_tools(mut self) -> Self {
        self.answers_calls = false;
        self
    }

    /// Resumes the background response `id` after its event `after` (a stream that was
    /// already cut before this session began).
    pub fn resuming(id: &str, after: Option<u64>) -> Self {
        let mut session = Self::new(ResponseRequest::default());
        session.response_id = Some(id.to_owned());
        session.background = true;
        session.last_sequence = after;
        session
    }

    /// The response being streamed, once known.
    pub fn response_id(&self) -> Option<&str> {
        self.response_id.as_deref()
    }
}

impl ToolSession for ResponsesSession {
    type Event = ResponseEvent;
    type Call = FunctionCall;

    fn start(&mut self) -> Request {
        match (&self.response_id, self.request.get("model")) {
            (Some(id), None) => Request::resume_response_stream(id, self.last_sequence),
            _ => Request::create_response(&self.request, true),
        }
    }

    fn deliver(&mut self, event: &ResponseEvent) -> bool {
        match (event.sequence_number, self.last_sequence) {
            (Some(n), Some(last)) if n <= last => false,
            (Some(n), _) => {
                self.last_sequence = Some(n);
                true
            }
            (None, _) => true,
        }
    }

    fn observe(&mut self, event: &ResponseEvent) {
        if event.kind.is_lifecycle() {
            if let Some(response) = &event.response {
                if let Some(id) = response.get("id").and_then(|v| v.as_str()) {
                    self.response_id = Some(id.to_owned());
                }
                if let Some(background) = response.get("background").and_then(|v| v.as_bool()) {
                    self.background = background;
                }
            }
        }
        if event.kind == EventType::OutputItemDone {
            if let Some(call) = event.item.as_ref().and_then(FunctionCall::from_item) {
                self.calls.push(call);
            }
        }
    }

    fn take_calls(&mut self) -> Vec<FunctionCall> {
        let calls = std::mem::take(&mut self.calls);
        if self.answers_calls {
            calls
        } else {
            Vec::new()
        }
    }

    fn answer(&mut self, calls: &[FunctionCall], outputs: Vec<String>) -> Request {
        let items = calls
            .iter()
            .zip(outputs)
            .map(|(call, output)| {
                serde_json::json!({
                    "type": "function_call_output", "call_id": call.call_id, "output": output
                })
            })
            .collect();
        let mut next = self.request.clone().input_items(items);
        if let Some(id) = &self.response_id {
            next = next.previous_response_id(id.as_str());
        }
        // A new response: its events number from 0 again, and its resumes count afresh.
        self.last_sequence = None;
        self.at_last_resume = None;
        self.fruitless = 0;
        self.resumed = 0;
        self.response_id = None;
        Request::create_response(&next, true)
    }

    fn resume(&mut self, _verdict: Verdict) -> Option<Request> {
        let id = self.response_id.as_ref().filter(|_| self.background)?;
        // Only resumes that brought nothing new count against the budget.
        if self.resumed == 0 || self.last_sequence > self.at_last_resume {
            self.fruitless = 0;
        }
        if self.fruitless >= self.max_resumes {
            return None;
        }
        self.fruitless += 1;
        self.resumed += 1;
        self.at_last_resume = self.last_sequence;
        Some(Request::resume_response_stream(id, self.last_sequence))
    }
    fn new_snapshot_per_answer(&self) -> bool {
        true
    }
    fn resumed(&self) -> u32 {
        self.resumed
    }
}
