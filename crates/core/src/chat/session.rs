//! The Chat Completions session of the tool loop: the tool calls of choice 0, answered as
//! `tool` messages appended after the assistant's message, until a final answer.

use serde_json::{json, Value};

use super::{Accumulator, ChatEvent, ChatRequest, Rule};
use crate::wire::protocol::Accumulate;
use crate::wire::protocol::ToolSession;
use crate::wire::Request;

/// A tool call of a chat completion: what the user's function answers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChatToolCall {
    /// The call's id (the `tool` message's `tool_call_id`).
    pub id: String,
    /// The function's name.
    pub name: String,
    /// Its arguments, as the JSON text the model wrote.
    pub arguments: String,
}

impl ChatToolCall {
    /// The arguments parsed (strict tools write JSON); `None` when they are not JSON.
    pub fn parsed_arguments(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.arguments).ok()
    }
}

/// Chat Completions as a [`ToolSession`]: each leg is accumulated (lenient rule); when choice 0
/// ends with tool calls, the assistant's message and one `tool` message per call are
/// appended to the conversation, which is sent again.
///
/// ```
/// use streaming_assistants_core::chat::ChatSession;
/// use streaming_assistants_core::drive::{ToolLoop, ToolStep};
/// use streaming_assistants_core::chat::ChatRequest;
///
/// let mut tools = ToolLoop::new(ChatSession::new(ChatRequest::new("m").user("Hi")));
/// let ToolStep::Send(first) = tools.step() else { panic!() };
/// assert_eq!(first.path, "/chat/completions");
/// ```
#[derive(Debug, Clone)]
pub struct ChatSession {
    request: ChatRequest,
    leg: Accumulator,
    message: Option<Value>,
}

impl ChatSession {
    /// A conversation that starts with `request`.
    pub fn new(request: ChatRequest) -> Self {
        ChatSession {
            request,
            leg: Accumulator::new(Rule::Lenient),
            message: None,
        }
    }

    /// The conversation so far (with the assistant's and the tools' messages).
    pub fn request(&self) -> &ChatRequest {
        &self.request
    }
}

impl ToolSession for ChatSession {
    type Event = ChatEvent;
    type Call = ChatToolCall;

    fn start(&mut self) -> Request {
        Request::create_chat_completion(&self.request, true)
    }

    fn observe(&mut self, event: &ChatEvent) {
        // A chunk the accumulator rejects is still handed to the user (and ends the loop's
        // `into_snapshot` with the error); the leg's calls are what it could place.
        let _ = self.leg.apply_event(event);
    }

    fn take_calls(&mut self) -> Vec<ChatToolCall> {
        let leg = std::mem::replace(&mut self.leg, Accumulator::new(Rule::Lenient));
        let message = leg
            .completion()
            .and_then(|c| c.get("choices")?.get(0)?.get("message").cloned());
        let calls: Vec<ChatToolCall> = message
            .as_ref()
            .and_then(|m| m.get("tool_calls"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|call| {
                let text =
                    |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
                ChatToolCall {
                    id: text(call.get("id")),
                    name: text(call.get("function").and_then(|f| f.get("name"))),
                    arguments: text(call.get("function").and_then(|f| f.get("arguments"))),
                }
            })
            .collect();
        self.message = message;
        calls
    }

    fn answer(&mut self, calls: &[ChatToolCall], outputs: Vec<String>) -> Request {
        let mut next = self.request.clone();
        if let Some(message) = self.message.take() {
            next = next.message(message);
        }
        for (call, output) in calls.iter().zip(outputs) {
            next =
                next.message(json!({"role": "tool", "tool_call_id": call.id, "content": output}));
        }
        self.request = next;
        Request::create_chat_completion(&self.request, true)
    }
    fn new_snapshot_per_answer(&self) -> bool {
        true
    }
}
