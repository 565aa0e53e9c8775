//! Events → the `Response` snapshot, exactly as openai-node 7.x's `accumulateResponse` builds
//! it on the streams the service sends (checked against it and openai-python in
//! `crates/core/tests/responses_sdk_differential.rs`; `docs/responses.md` lists where we differ
//! on purpose).
//!
//! The snapshot is the response as JSON, so that every field — known or not, of any item type —
//! is kept as the server sent it. An event that cannot be placed (an index never added, another
//! response's lifecycle event, a second `response.created`) is a typed error and changes
//! nothing: the snapshot is never lost.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use super::{Decoded, EventType, OutputTextDelta, ResponseEvent};

/// Why an event could not be applied. The snapshot is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccumulateError {
    /// An event came before `response.created` (or another lifecycle event) started the
    /// snapshot.
    NotStarted {
        /// The event's type.
        event: String,
    },
    /// A second `response.created`.
    AlreadyStarted,
    /// A lifecycle event of another response.
    OtherResponse {
        /// The snapshot's id.
        expected: String,
        /// The event's.
        got: String,
    },
    /// No output item, content part, summary part, annotation or command at that index (or,
    /// for an append, the index is not the next one).
    Missing {
        /// `output`, `content`, `summary`, `annotation` or `command`.
        what: &'static str,
        /// The index.
        index: u64,
    },
    /// The item or part there is not what the event is about.
    Mismatch {
        /// What the event expected (a type, or an item id).
        expected: String,
        /// What is there.
        got: String,
    },
    /// A field the event needs is absent.
    MissingField {
        /// The event's type.
        event: String,
        /// The field.
        field: &'static str,
    },
}

impl fmt::Display for AccumulateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccumulateError::NotStarted { event } => {
                write!(f, "`{event}` before `response.created`")
            }
            AccumulateError::AlreadyStarted => f.write_str("a second `response.created`"),
            AccumulateError::OtherResponse { expected, got } => {
                write!(f, "an event of response {got} in the stream of {expected}")
            }
            AccumulateError::Missing { what, index } => {
                write!(f, "missing {what} at index {index}")
            }
            AccumulateError::Mismatch { expected, got } => {
                write!(f, "expected {expected}, got {got}")
            }
            AccumulateError::MissingField { event, field } => {
                write!(f, "`{event}` without `{field}`")
            }
        }
    }
}

impl std::error::Error for AccumulateError {}

type Result<T> = std::result::Result<T, AccumulateError>;

/// The accumulated `Response`: the last lifecycle event's `response`, with every later
/// event applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    response: Option<Map<String, Value>>,
}

impl Snapshot {
    /// The response as JSON; `None` before `response.created`.
    pub fn response(&self) -> Option<&Map<String, Value>> {
        self.response.as_ref()
    }

    /// The typed [`Response`](super::Response), the same JSON (empty before
    /// `response.created`).
    pub fn into_response(self) -> super::Response {
        super::Response::from_map(self.response.unwrap_or_default())
    }

    /// The response as a JSON value (`null` before `response.created`).
    pub fn into_value(self) -> Value {
        self.response.map_or(Value::Null, Value::Object)
    }

    /// The response's id.
    pub fn id(&self) -> Option<&str> {
        self.field("id")
    }

    /// The response's status (`in_progress`, `completed`, `failed`, `incomplete`, ...).
    pub fn status(&self) -> Option<&str> {
        self.field("status")
    }

    /// The output items.
    pub fn output(&self) -> &[Value] {
        self.response
            .as_ref()
            .and_then(|r| r.get("output"))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The reply's text: every `output_text` part of every message, in order (the SDKs'
    /// `output_text`).
    pub fn output_text(&self) -> String {
        let mut text = String::new();
        for item in self.output() {
            if item.get("type").and_then(Value::as_str) != Some("message") {
                continue;
            }
            for part in item
                .get("content")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if part.get("type").and_then(Value::as_str) == Some("output_text") {
                    text.push_str(part.get("text").and_then(Value::as_str).unwrap_or_default());
                }
            }
        }
        text
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.response.as_ref()?.get(name)?.as_str()
    }
}

/// Builds the [`Snapshot`] from a stream's events.
///
/// ```
/// use streaming_assistants_core::responses::{Accumulator, Decoder};
/// use streaming_assistants_core::prelude::*;
///
/// let body = std::fs::read("../../examples/captures/responses-hello.sse").unwrap();
/// let mut decoder = Decoder::new();
/// let mut acc = Accumulator::new();
/// decoder.push(&body);
/// while let Some(item) = decoder.next_decoded() {
///     acc.apply_decoded(&item.unwrap()).unwrap();
/// }
/// assert!(decoder.finish_at().complete);
/// assert_eq!(acc.snapshot().status(), Some("completed"));
/// assert!(!acc.snapshot().output_text().is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Accumulator {
    snapshot: Snapshot,
    /// Items finished by `output_item.done`, by output index: a `response.completed` whose
    /// `output` is null takes them.
    done: BTreeMap<u64, Value>,
}

impl Accumulator {
    /// An accumulator that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// The snapshot so far.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The snapshot.
    pub fn into_snapshot(self) -> Snapshot {
        self.snapshot
    }

    /// Applies an event from [`Decoder::next_decoded`](crate::wire::protocol::Decode::next_decoded): the
    /// borrowed output text delta is appended in place.
    pub fn apply_decoded(&mut self, item: &Decoded<'_>) -> Result<()> {
        match item {
            Decoded::OutputTextDelta(delta) => self.apply_text_delta(delta),
            Decoded::Event(event) => self.apply(event),
        }
    }

    fn apply_text_delta(&mut self, delta: &OutputTextDelta<'_>) -> Result<()> {
        let response = self.started("response.output_text.delta")?;
        let output = item_of(
            response,
            delta.output_index,
            Some(&delta.item_id),
            "message",
        )?;
        let part = part_of(output, "content", delta.content_index, "output_text")?;
        append(part, "text", &delta.delta);
        Ok(())
    }

    /// Applies one event. Unknown types, `keepalive`, `error` and events that carry nothing
    /// for the snapshot (audio, partial images, MCP tool lists, compaction) change nothing.
    pub fn apply(&mut self, event: &ResponseEvent) -> Result<()> {
        use EventType as T;
        match &event.kind {
            kind if kind.is_lifecycle() => self.lifecycle(event),
            T::OutputItemAdded => self.item_added(event),
            T::OutputItemDone => self.item_done(event),
            T::ContentPartAdded | T::ContentPartDone => self.content_part(event),
            T::OutputTextDelta | T::OutputTextDone => self.output_text(event),
            T::OutputTextAnnotationAdded => self.annotation(event),
            T::RefusalDelta => {
                self.on_part(event, "message", "content", "refusal", "refusal", Delta)
            }
            T::RefusalDone => self.on_part(
                event,
                "message",
                "content",
                "refusal",
                "refusal",
                Done("refusal"),
            ),
            T::ReasoningTextDelta => self.on_part(
                event,
                "reasoning",
                "content",
                "reasoning_text",
                "text",
                Delta,
            ),
            T::ReasoningTextDone => self.on_part(
                event,
                "reasoning",
                "content",
                "reasoning_text",
                "text",
                Done("text"),
            ),
            T::ReasoningSummaryTextDelta => {
                self.on_part(event, "reasoning", "summary", "", "text", Delta)
            }
            T::ReasoningSummaryTextDone => {
                self.on_part(event, "reasoning", "summary", "", "text", Done("text"))
            }
            T::ReasoningSummaryPartAdded | T::ReasoningSummaryPartDone => self.summary_part(event),
            T::FunctionCallArgumentsDelta => {
                self.on_item(event, "function_call", "arguments", Delta)
            }
            T::FunctionCallArgumentsDone => {
                self.on_item(event, "function_call", "arguments", Done("arguments"))
            }
            T::CustomToolCallInputDelta => self.on_item(event, "custom_tool_call", "input", Delta),
            T::CustomToolCallInputDone => {
                self.on_item(event, "custom_tool_call", "input", Done("input"))
            }
            T::McpCallArgumentsDelta => self.on_item(event, "mcp_call", "arguments", Delta),
            T::McpCallArgumentsDone => {
                self.on_item(event, "mcp_call", "arguments", Done("arguments"))
            }
            T::CodeInterpreterCallCodeDelta => {
                self.on_item(event, "code_interpreter_call", "code", Delta)
            }
            T::CodeInterpreterCallCodeDone => {
                self.on_item(event, "code_interpreter_call", "code", Done("code"))
            }
            T::CodeInterpreterCallInProgress => {
                self.status(event, "code_interpreter_call", "in_progress")
            }
            T::CodeInterpreterCallInterpreting => {
                self.status(event, "code_interpreter_call", "interpreting")
            }
            T::CodeInterpreterCallCompleted => {
                self.status(event, "code_interpreter_call", "completed")
            }
            T::FileSearchCallInProgress => self.status(event, "file_search_call", "in_progress"),
            T::FileSearchCallSearching => self.status(event, "file_search_call", "searching"),
            T::FileSearchCallCompleted => self.status(event, "file_search_call", "completed"),
            T::WebSearchCallInProgress => self.status(event, "web_search_call", "in_progress"),
            T::WebSearchCallSearching => self.status(event, "web_search_call", "searching"),
            T::WebSearchCallCompleted => self.status(event, "web_search_call", "completed"),
            T::ImageGenerationCallInProgress => {
                self.status(event, "image_generation_call", "in_progress")
            }
            T::ImageGenerationCallGenerating => {
                self.status(event, "image_generation_call", "generating")
            }
            T::ImageGenerationCallCompleted => {
                self.status(event, "image_generation_call", "completed")
            }
            T::McpCallInProgress => self.status(event, "mcp_call", "in_progress"),
            T::McpCallCompleted => self.status(event, "mcp_call", "completed"),
            T::McpCallFailed => self.status(event, "mcp_call", "failed"),
            T::ShellCallCommandAdded | T::ShellCallCommandDelta | T::ShellCallCommandDone => {
                self.shell_command(event)
            }
            T::ShellCallOutputContentDelta | T::ShellCallOutputContentDone => {
                self.shell_output(event)
            }
            _ => Ok(()),
        }
    }

    fn started(&mut self, event: &str) -> Result<&mut Map<String, Value>> {
        self.snapshot
            .response
            .as_mut()
            .ok_or_else(|| AccumulateError::NotStarted {
                event: event.to_owned(),
            })
    }

    /// A lifecycle event replaces the snapshot with its `response`. One whose `output` is
    /// null or missing keeps what the stream built: on `completed` the items finished by
    /// `output_item.done`, on `failed` and `incomplete` every item so far, otherwise none.
    fn lifecycle(&mut self, event: &ResponseEvent) -> Result<()> {
        let kind = event.kind.as_str();
        let Some(Value::Object(incoming)) = &event.response else {
            return Err(missing_field(event, "response"));
        };
        if let Some(current) = &self.snapshot.response {
            if event.kind == EventType::Created {
                return Err(AccumulateError::AlreadyStarted);
            }
            let id =
                |r: &Map<String, Value>| r.get("id").and_then(Value::as_str).map(str::to_owned);
            if let (Some(expected), Some(got)) = (id(current), id(incoming)) {
                if expected != got {
                    return Err(AccumulateError::OtherResponse { expected, got });
                }
            }
        }
        let mut next = incoming.clone();
        if !matches!(next.get("output"), Some(Value::Array(_))) {
            let kept = match event.kind {
                EventType::Completed => self.done.values().cloned().collect(),
                EventType::Failed | EventType::Incomplete => self.snapshot.output().to_vec(),
                _ => Vec::new(),
            };
            next.insert("output".into(), Value::Array(kept));
        }
        let _ = kind;
        self.snapshot.response = Some(next);
        Ok(())
    }

    fn item_added(&mut self, event: &ResponseEvent) -> Result<()> {
        let index = index(event, event.output_index, "output_index")?;
        let response = self.started(event.kind.as_str())?;
        let Some(item @ Value::Object(_)) = &event.item else {
            // An `item: null` carries nothing to add.
            return Ok(());
        };
        let output = output_list(response)?;
        if index != output.len() as u64 {
            return Err(AccumulateError::Missing {
                what: "output",
                index,
            });
        }
        output.push(item.clone());
        Ok(())
    }

    fn item_done(&mut self, event: &ResponseEvent) -> Result<()> {
        let index = index(event, event.output_index, "output_index")?;
        let Some(item @ Value::Object(replacement)) = &event.item else {
            return Err(missing_field(event, "item"));
        };
        let response = self.started(event.kind.as_str())?;
        let current = item_at(response, index)?;
        let same = |key: &str| current.get(key) == replacement.get(key);
        // The same item: its type, and its id unless the call had none yet.
        let adds_id = current.get("id").is_none()
            && matches!(
                str_of(current, "type"),
                Some("function_call" | "custom_tool_call")
            );
        if !same("type") || !(same("id") || adds_id) {
            return Err(AccumulateError::Mismatch {
                expected: describe(current),
                got: describe(replacement),
            });
        }
        if let Some(slot) = output_list(response)?.get_mut(index as usize) {
            *slot = item.clone();
        }
        self.done.insert(index, item.clone());
        Ok(())
    }

    fn content_part(&mut self, event: &ResponseEvent) -> Result<()> {
        let output_index = index(event, event.output_index, "output_index")?;
        let content_index = index(event, event.content_index, "content_index")?;
        let Some(part @ Value::Object(_)) = &event.part else {
            return Err(missing_field(event, "part"));
        };
        let reasoning = part.get("type").and_then(Value::as_str) == Some("reasoning_text");
        let expected = if reasoning { "reasoning" } else { "message" };
        let response = self.started(event.kind.as_str())?;
        let item = item_of(response, output_index, event.item_id.as_deref(), expected)?;
        let content = item
            .entry("content")
            .or_insert_with(|| Value::Array(Vec::new()));
        if content.is_null() {
            *content = Value::Array(Vec::new());
        }
        let Value::Array(content) = content else {
            return Err(mismatch("a content list", content));
        };
        if event.kind == EventType::ContentPartAdded {
            if content_index != content.len() as u64 {
                return Err(missing("content", content_index));
            }
            content.push(part.clone());
        } else {
            let slot = content
                .get_mut(content_index as usize)
                .ok_or(missing("content", content_index))?;
            *slot = part.clone();
        }
        Ok(())
    }

    fn output_text(&mut self, event: &ResponseEvent) -> Result<()> {
        let (output_index, content_index) = (
            index(event, event.output_index, "output_index")?,
            index(event, event.content_index, "content_index")?,
        );
        let delta = event.delta_str();
        let done = event.text.as_deref();
        if delta.is_none() && done.is_none() {
            return Err(missing_field(event, "delta"));
        }
        let response = self.started(event.kind.as_str())?;
        let item = item_of(response, output_index, event.item_id.as_deref(), "message")?;
        let part = part_of(item, "content", content_index, "output_text")?;
        accumulate_logprobs(part, event.logprobs.as_ref(), done.is_some());
        match (delta, done) {
            (_, Some(text)) => {
                part.insert("text".into(), Value::String(text.to_owned()));
            }
            (Some(delta), None) => append(part, "text", delta),
            (None, None) => {}
        }
        Ok(())
    }

    fn annotation(&mut self, event: &ResponseEvent) -> Result<()> {
        let (output_index, content_index, annotation_index) = (
            index(event, event.output_index, "output_index")?,
            index(event, event.content_index, "content_index")?,
            index(event, event.annotation_index, "annotation_index")?,
        );
        let annotation = event
            .annotation
            .clone()
            .ok_or_else(|| missing_field(event, "annotation"))?;
        let response = self.started(event.kind.as_str())?;
        let item = item_of(response, output_index, event.item_id.as_deref(), "message")?;
        let part = part_of(item, "content", content_index, "output_text")?;
        let Some(Value::Array(annotations)) = part.get_mut("annotations") else {
            return Err(missing("annotation", annotation_index));
        };
        let len = annotations.len() as u64;
        match annotations.get_mut(annotation_index as usize) {
            Some(slot) => *slot = annotation,
            None if annotation_index == len => annotations.push(annotation),
            None => return Err(missing("annotation", annotation_index)),
        }
        Ok(())
    }

    fn summary_part(&mut self, event: &ResponseEvent) -> Result<()> {
        let output_index = index(event, event.output_index, "output_index")?;
        let summary_index = index(event, event.summary_index, "summary_index")?;
        let part = event
            .part
            .clone()
            .ok_or_else(|| missing_field(event, "part"))?;
        let response = self.started(event.kind.as_str())?;
        let item = item_of(
            response,
            output_index,
            event.item_id.as_deref(),
            "reasoning",
        )?;
        let Some(Value::Array(summary)) = item.get_mut("summary") else {
            return Err(missing("summary", summary_index));
        };
        if event.kind == EventType::ReasoningSummaryPartAdded {
            if summary_index != summary.len() as u64 {
                return Err(missing("summary", summary_index));
            }
            summary.push(part);
        } else {
            let slot = summary
                .get_mut(summary_index as usize)
                .ok_or(missing("summary", summary_index))?;
            *slot = part;
        }
        Ok(())
    }

    /// A delta or `.done` on a part of an item: refusals, reasoning text, summaries.
    fn on_part(
        &mut self,
        event: &ResponseEvent,
        item_type: &str,
        list: &'static str,
        part_type: &str,
        field: &str,
        change: Change,
    ) -> Result<()> {
        let output_index = index(event, event.output_index, "output_index")?;
        let part_index = if list == "summary" {
            index(event, event.summary_index, "summary_index")?
        } else {
            index(event, event.content_index, "content_index")?
        };
        let value = change.value(event)?;
        let response = self.started(event.kind.as_str())?;
        let item = item_of(response, output_index, event.item_id.as_deref(), item_type)?;
        let part = part_of(item, list, part_index, part_type)?;
        change.apply(part, field, value);
        Ok(())
    }

    /// A delta or `.done` on a field of an item: arguments, input, code.
    fn on_item(
        &mut self,
        event: &ResponseEvent,
        item_type: &str,
        field: &str,
        change: Change,
    ) -> Result<()> {
        let output_index = index(event, event.output_index, "output_index")?;
        let value = change.value(event)?;
        let response = self.started(event.kind.as_str())?;
        let item = item_of(response, output_index, event.item_id.as_deref(), item_type)?;
        change.apply(item, field, value);
        Ok(())
    }

    fn status(&mut self, event: &ResponseEvent, item_type: &str, status: &str) -> Result<()> {
        let output_index = index(event, event.output_index, "output_index")?;
        let response = self.started(event.kind.as_str())?;
        let item = item_of(response, output_index, event.item_id.as_deref(), item_type)?;
        item.insert("status".into(), Value::String(status.to_owned()));
        Ok(())
    }

    fn shell_command(&mut self, event: &ResponseEvent) -> Result<()> {
        let output_index = index(event, event.output_index, "output_index")?;
        let command_index = index(event, event.command_index, "command_index")?;
        let response = self.started(event.kind.as_str())?;
        let item = item_of(response, output_index, None, "shell_call")?;
        let Some(Value::Array(commands)) =
            item.get_mut("action").and_then(|a| a.get_mut("commands"))
        else {
            return Err(missing("command", command_index));
        };
        let slot = command_index as usize;
        match event.kind {
            EventType::ShellCallCommandDelta => {
                let delta = event
                    .delta_str()
                    .ok_or_else(|| missing_field(event, "delta"))?;
                match commands.get_mut(slot) {
                    Some(Value::String(command)) => command.push_str(delta),
                    _ => return Err(missing("command", command_index)),
                }
            }
            _ => {
                let command = event
                    .command
                    .clone()
                    .ok_or_else(|| missing_field(event, "command"))?;
                let append = event.kind == EventType::ShellCallCommandAdded;
                let len = commands.len();
                match commands.get_mut(slot) {
                    Some(existing) => *existing = Value::String(command),
                    None if append && slot == len => {
                        commands.push(Value::String(command));
                    }
                    None => return Err(missing("command", command_index)),
                }
            }
        }
        Ok(())
    }

    /// A command's output, as openai-node does it: the output item's `output` list is padded
    /// with empty outputs up to the command (commands can finish out of order), bounded by the
    /// commands of the `shell_call` with the same `call_id` when there is one (else by one past
    /// the list's end); a delta appends to `stdout` and `stderr`, a `.done` sets the command's
    /// output to the event's `output[0]`.
    fn shell_output(&mut self, event: &ResponseEvent) -> Result<()> {
        let output_index = index(event, event.output_index, "output_index")?;
        let command_index = index(event, event.command_index, "command_index")?;
        let is_delta = event.kind == EventType::ShellCallOutputContentDelta;
        // What the event brings, checked before anything changes.
        let done = if is_delta {
            if event.delta.as_ref().is_none_or(Value::is_null) {
                return Err(missing_field(event, "delta"));
            }
            None
        } else {
            let Some(Value::Array(contents)) = &event.output else {
                return Err(missing_field(event, "output"));
            };
            match contents.first() {
                Some(content) if is_truthy(content) => Some(content),
                _ => return Err(missing("content", 0)),
            }
        };
        let response = self.started(event.kind.as_str())?;
        let call_id = item_of(
            response,
            output_index,
            event.item_id.as_deref(),
            "shell_call_output",
        )?
        .get("call_id")
        .cloned();
        // `Some(None)`: the call is there, without a command list.
        let commands = output_list(response)?
            .iter()
            .find(|item| {
                item.get("type").and_then(Value::as_str) == Some("shell_call")
                    && item.get("call_id") == call_id.as_ref()
            })
            .map(|call| {
                call.get("action")
                    .and_then(|action| action.get("commands"))
                    .and_then(Value::as_array)
                    .map(Vec::len)
            });
        let Some(Value::Array(outputs)) = item_at(response, output_index)?.get_mut("output") else {
            return Err(missing("content", command_index));
        };
        match commands {
            Some(Some(len)) if command_index < len as u64 => {}
            Some(_) => return Err(missing("command", command_index)),
            None if command_index <= outputs.len() as u64 => {}
            None => return Err(missing("content", command_index)),
        }
        let slot = command_index as usize;
        match outputs.get(slot) {
            Some(Value::Object(_)) | None => {}
            Some(other) if !is_delta && is_truthy(other) => {}
            Some(_) => return Err(missing("content", command_index)),
        }
        while outputs.len() <= slot {
            outputs.push(serde_json::json!({
                "stdout": "", "stderr": "", "outcome": {"type": "exit", "exit_code": 0}
            }));
        }
        match done {
            Some(done) => {
                if let Some(output) = outputs.get_mut(slot) {
                    *output = done.clone();
                }
            }
            None => {
                let Some(Value::Object(content)) = outputs.get_mut(slot) else {
                    return Err(missing("content", command_index));
                };
                for stream in ["stdout", "stderr"] {
                    let piece = event
                        .delta
                        .as_ref()
                        .and_then(|d| d.get(stream))
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    append(content, stream, piece);
                }
            }
        }
        Ok(())
    }
}

/// A delta appends; a `.done` sets the final value from the event's field of that name.
#[derive(Clone, Copy)]
enum Change {
    Delta,
    Done(&'static str),
}
use Change::{Delta, Done};

impl Change {
    fn value(self, event: &ResponseEvent) -> Result<&str> {
        let value = match self {
            Delta => event.delta_str(),
            Done("text") => event.text.as_deref(),
            Done("refusal") => event.refusal.as_deref(),
            Done("arguments") => event.arguments.as_deref(),
            Done("input") => event.input.as_deref(),
            Done("code") => event.code.as_deref(),
            Done(_) => None,
        };
        value.ok_or_else(|| {
            missing_field(
                event,
                match self {
                    Delta => "delta",
                    Done(field) => field,
                },
            )
        })
    }

    fn apply(self, object: &mut Map<String, Value>, field: &str, value: &str) {
        match self {
            Delta => append(object, field, value),
            Done(_) => {
                object.insert(field.to_owned(), Value::String(value.to_owned()));
            }
        }
    }
}

/// Appends to a string field in place (a missing or null one starts empty).
fn append(object: &mut Map<String, Value>, field: &str, piece: &str) {
    match object.get_mut(field) {
        Some(Value::String(text)) => text.push_str(piece),
        _ => {
            object.insert(field.to_owned(), Value::String(piece.to_owned()));
        }
    }
}

/// Log probabilities of an output text event, by the SDK's rule: a delta's are appended when
/// there are any; a `.done`'s replace them when either side has any. Malformed ones (a token
/// without `bytes`, say) are not fabricated into the snapshot.
fn accumulate_logprobs(part: &mut Map<String, Value>, logprobs: Option<&Value>, done: bool) {
    let Some(Value::Array(incoming)) = logprobs else {
        return;
    };
    if !incoming.iter().all(is_logprob) {
        return;
    }
    let existing = matches!(part.get("logprobs"), Some(Value::Array(l)) if !l.is_empty());
    if done {
        if !incoming.is_empty() || existing {
            part.insert("logprobs".into(), Value::Array(incoming.clone()));
        }
    } else if !incoming.is_empty() {
        match part.get_mut("logprobs") {
            Some(Value::Array(list)) => list.extend(incoming.iter().cloned()),
            _ => {
                part.insert("logprobs".into(), Value::Array(incoming.clone()));
            }
        }
    }
}

fn is_logprob(value: &Value) -> bool {
    let token = |v: &Value| {
        v.get("token").is_some_and(Value::is_string)
            && v.get("logprob").is_some_and(Value::is_number)
            && v.get("bytes")
                .and_then(Value::as_array)
                .is_some_and(|b| b.iter().all(Value::is_number))
    };
    token(value)
        && value
            .get("top_logprobs")
            .and_then(Value::as_array)
            .is_some_and(|top| top.iter().all(token))
}

/// JavaScript's truthiness, for the values openai-node checks with `if (!x)`.
fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => false,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

fn index(event: &ResponseEvent, value: Option<u64>, field: &'static str) -> Result<u64> {
    value.ok_or_else(|| missing_field(event, field))
}

fn missing_field(event: &ResponseEvent, field: &'static str) -> AccumulateError {
    AccumulateError::MissingField {
        event: event.kind.as_str().to_owned(),
        field,
    }
}

fn missing(what: &'static str, index: u64) -> AccumulateError {
    AccumulateError::Missing { what, index }
}

fn mismatch(expected: &str, got: &Value) -> AccumulateError {
    AccumulateError::Mismatch {
        expected: expected.to_owned(),
        got: got.to_string().chars().take(80).collect(),
    }
}

fn str_of<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

fn describe(item: &Map<String, Value>) -> String {
    format!(
        "{} {}",
        str_of(item, "type").unwrap_or("(no type)"),
        str_of(item, "id").unwrap_or("(no id)")
    )
}

fn output_list(response: &mut Map<String, Value>) -> Result<&mut Vec<Value>> {
    // `get_mut` first: `Map::entry` allocates its key, and this runs for every delta.
    if matches!(response.get("output"), None | Some(Value::Null)) {
        response.insert("output".into(), Value::Array(Vec::new()));
    }
    match response.get_mut("output") {
        Some(Value::Array(list)) => Ok(list),
        other => Err(mismatch(
            "an output list",
            other.map_or(&Value::Null, |v| &*v),
        )),
    }
}

fn item_at(response: &mut Map<String, Value>, index: u64) -> Result<&mut Map<String, Value>> {
    match output_list(response)?.get_mut(index as usize) {
        Some(Value::Object(item)) => Ok(item),
        _ => Err(missing("output", index)),
    }
}

/// The item at `index`, checked to be the one the event names and of the type it is about.
fn item_of<'r>(
    response: &'r mut Map<String, Value>,
    index: u64,
    item_id: Option<&str>,
    item_type: &str,
) -> Result<&'r mut Map<String, Value>> {
    let item = item_at(response, index)?;
    if let Some(id) = item_id {
        if str_of(item, "id") != Some(id) {
            return Err(AccumulateError::Mismatch {
                expected: format!("item {id}"),
                got: describe(item),
            });
        }
    }
    if str_of(item, "type") != Some(item_type) {
        return Err(AccumulateError::Mismatch {
            expected: item_type.to_owned(),
            got: describe(item),
        });
    }
    Ok(item)
}

/// The part at `index` of an item's `list` (`content` or `summary`), checked to be of
/// `part_type` (any type when empty).
fn part_of<'i>(
    item: &'i mut Map<String, Value>,
    list: &'static str,
    index: u64,
    part_type: &str,
) -> Result<&'i mut Map<String, Value>> {
    let what = if list == "summary" {
        "summary"
    } else {
        "content"
    };
    let Some(Value::Array(parts)) = item.get_mut(list) else {
        return Err(missing(what, index));
    };
    let Some(Value::Object(part)) = parts.get_mut(index as usize) else {
        return Err(missing(what, index));
    };
    if !part_type.is_empty() && str_of(part, "type") != Some(part_type) {
        return Err(AccumulateError::Mismatch {
            expected: part_type.to_owned(),
            got: str_of(part, "type").unwrap_or("(no type)").to_owned(),
        });
    }
    Ok(part)
}

impl crate::wire::protocol::sealed::Sealed for Accumulator {}

/// A resumed stream (`starting_after`) may begin past the lifecycle events: what comes before
/// the next one is kept aside, not rejected, and the terminal event brings the whole response.
fn kept_aside_before_start(
    applied: std::result::Result<(), AccumulateError>,
) -> std::result::Result<(), crate::wire::protocol::Rejected> {
    match applied {
        Err(AccumulateError::NotStarted { .. }) => Ok(()),
        applied => applied.map_err(crate::wire::protocol::Rejected::new),
    }
}

impl crate::wire::protocol::Accumulate<super::Decoder> for Accumulator {
    type Snapshot = super::Response;

    fn apply_item(
        &mut self,
        item: &super::Decoded<'_>,
    ) -> std::result::Result<(), crate::wire::protocol::Rejected> {
        kept_aside_before_start(self.apply_decoded(item))
    }

    fn apply_event(
        &mut self,
        event: &ResponseEvent,
    ) -> std::result::Result<(), crate::wire::protocol::Rejected> {
        kept_aside_before_start(self.apply(event))
    }

    fn finish(self) -> super::Response {
        self.into_snapshot().into_response()
    }
}
