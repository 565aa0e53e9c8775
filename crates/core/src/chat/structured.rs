//! Structured outputs as a Chat stream goes: the high-level events of openai-python 3.57's
//! `ChatCompletionStreamState` (`content.delta` with `parsed`, `refusal.*`,
//! `tool_calls.function.arguments.*` with `parsed_arguments`, `logprobs.*`), in the same
//! order with the same values, for a request whose content is structured output and whose
//! function tools are strict. The SDK re-parses the whole text at every delta; here each
//! choice's content and each tool call's arguments feed a [`PartialJson`], so a delta costs
//! time proportional to the delta.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::json::{ErrorKind, PartialJson, PartialMode};

/// Why the SDK's stream state stops (it raises), as `replay --parsed` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StructuredError {
    /// `finish_reason: "length"` (openai-python's `LengthFinishReasonError`).
    Length,
    /// `finish_reason: "content_filter"` (`ContentFilterFinishReasonError`).
    ContentFilter,
    /// Content or arguments that are not (a prefix of) JSON where the SDK parses them (its
    /// `jiter` or `json.loads` raises).
    InvalidJson,
    /// The model refused (`into_parsed`: the answer is a refusal, not the object).
    Refusal,
    /// The stream ended with no structured answer (`into_parsed`).
    Missing,
}

impl StructuredError {
    /// The name `replay --parsed` prints: `length`, `content_filter`, `invalid_json`.
    pub fn name(self) -> &'static str {
        match self {
            StructuredError::Length => "length",
            StructuredError::ContentFilter => "content_filter",
            StructuredError::InvalidJson => "invalid_json",
            StructuredError::Refusal => "refusal",
            StructuredError::Missing => "missing",
        }
    }
}

impl std::fmt::Display for StructuredError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StructuredError::Length => "the answer was cut by its length limit",
            StructuredError::ContentFilter => "the answer was cut by the content filter",
            StructuredError::InvalidJson => "structured output that is not JSON",
            StructuredError::Refusal => "the model refused",
            StructuredError::Missing => "the stream ended with no structured answer",
        })
    }
}

impl std::error::Error for StructuredError {}

/// One high-level event; its values are read from the state ([`StructuredEvent::to_json`]),
/// as they stand once the chunk that fired it is applied.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StructuredEvent {
    /// `content.delta`: the choice's content grew by `delta`.
    ContentDelta {
        /// The choice's index.
        choice: usize,
        /// The new text.
        delta: String,
    },
    /// `content.done`.
    ContentDone {
        /// The choice's index.
        choice: usize,
    },
    /// `refusal.delta`.
    RefusalDelta {
        /// The choice's index.
        choice: usize,
        /// The new text.
        delta: String,
    },
    /// `refusal.done`.
    RefusalDone {
        /// The choice's index.
        choice: usize,
    },
    /// `tool_calls.function.arguments.delta`.
    ArgumentsDelta {
        /// The choice's index.
        choice: usize,
        /// The tool call's index.
        index: usize,
        /// The new text of the arguments.
        delta: String,
    },
    /// `tool_calls.function.arguments.done`.
    ArgumentsDone {
        /// The choice's index.
        choice: usize,
        /// The tool call's index.
        index: usize,
    },
    /// `logprobs.content.delta`.
    LogprobsContentDelta {
        /// The choice's index.
        choice: usize,
        /// The chunk's token logprobs.
        content: Vec<Value>,
    },
    /// `logprobs.content.done`.
    LogprobsContentDone {
        /// The choice's index.
        choice: usize,
    },
    /// `logprobs.refusal.delta`.
    LogprobsRefusalDelta {
        /// The choice's index.
        choice: usize,
        /// The chunk's refusal logprobs.
        refusal: Vec<Value>,
    },
    /// `logprobs.refusal.done`.
    LogprobsRefusalDone {
        /// The choice's index.
        choice: usize,
    },
}

/// A tool call as the SDK's snapshot holds it, and its arguments parsed as they come.
#[derive(Debug, Default)]
struct ToolCall {
    name: Option<String>,
    arguments: Option<String>,
    parser: PartialJson,
    /// Whether the SDK has parsed the arguments at least once (it keeps the last parse).
    parsed: bool,
    /// The whole arguments' value, once done.
    done: Option<Value>,
}

/// A choice's logprobs as the SDK's snapshot holds them: its content's and its refusal's
/// token lists (each absent until a chunk brings one).
type Logprobs = (Option<Vec<Value>>, Option<Vec<Value>>);

/// A choice as the SDK's snapshot holds it.
#[derive(Debug, Default)]
struct Choice {
    content: Option<String>,
    refusal: Option<String>,
    parser: PartialJson,
    /// Whether the SDK parsed the content at the last chunk (it resets `parsed` per chunk).
    parsed: bool,
    /// The whole content's value, once done.
    done: Option<Value>,
    tools: Vec<ToolCall>,
    logprobs: Option<Logprobs>,
    finish_reason: Option<String>,
    /// Whether a chunk has named this choice yet.
    seen: bool,
}

/// The SDK's `ChoiceEventState`: which done events have fired.
#[derive(Debug, Default)]
struct EventState {
    content_done: bool,
    refusal_done: bool,
    logprobs_content_done: bool,
    logprobs_refusal_done: bool,
    done_tools: BTreeSet<usize>,
    current_tool: Option<usize>,
}

/// Which function tools are strict (the SDK parses only their arguments).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Strict {
    /// Every named tool (what `replay --parsed` assumes).
    #[default]
    All,
    /// These tools.
    Named(BTreeSet<String>),
}

impl Strict {
    /// Whether the SDK parses the arguments of the tool named `name`.
    fn allows(&self, name: Option<&str>) -> bool {
        match (self, name) {
            (_, None) => false,
            (Strict::All, Some(_)) => true,
            (Strict::Named(names), Some(name)) => names.contains(name),
        }
    }
}

/// Python's `str.lstrip()` whitespace: Unicode's and the separators U+001C–U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whether jiter's partial mode raises where our parser stands: an error that is not just
/// something after a whole value (jiter ignores it), or no value yet.
fn unparsable(parser: &PartialJson) -> bool {
    parser
        .error()
        .is_some_and(|err| err.kind != ErrorKind::TrailingCharacters)
        || parser.value().is_none()
}

/// openai-python 3.57's `ChatCompletionStreamState` with a structured response format and
/// every function tool strict, in linear time.
///
/// ```
/// use serde_json::json;
/// use streaming_assistants_core::chat::StructuredState;
///
/// let mut state = StructuredState::new();
/// let chunk = |content: &str| json!({"choices": [{"index": 0, "delta": {"content": content}}]});
/// state.handle_chunk(&chunk("")).unwrap(); // the first chunk is never parsed
/// let events = state.handle_chunk(&chunk("{\"city\": \"Par")).unwrap();
/// assert_eq!(events[0].to_json(&state)["parsed"], json!({}));
/// let events = state.handle_chunk(&chunk("is\"}")).unwrap();
/// assert_eq!(events[0].to_json(&state)["parsed"], json!({"city": "Paris"}));
/// ```
#[derive(Debug)]
pub struct StructuredState {
    mode: PartialMode,
    /// Whether the content is structured output (a `json_schema` response format).
    content: bool,
    strict: Strict,
    started: bool,
    choices: Vec<Choice>,
    /// The SDK's event states, looked up as it does: by the choice's index into a list that
    /// grows by one for an index past its end (so choices first seen out of order share one).
    states: Vec<EventState>,
}

impl Default for StructuredState {
    fn default() -> Self {
        StructuredState {
            mode: PartialMode::On,
            content: true,
            strict: Strict::All,
            started: false,
            choices: Vec::new(),
            states: Vec::new(),
        }
    }
}

fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str)
}

fn index(value: Option<&Value>) -> usize {
    value
        .and_then(Value::as_u64)
        .map_or(0, |i| usize::try_from(i).unwrap_or(usize::MAX))
        .min(crate::chat::MAX_INDEX as usize)
}

/// Appends `delta` as the SDK's `accumulate_delta` does a string field: set when absent or
/// null, concatenated when both are strings, kept otherwise.
fn accumulate(field: &mut Option<String>, delta: Option<&Value>) {
    match (field.as_mut(), delta) {
        (None, Some(Value::String(s))) => *field = Some(s.clone()),
        (Some(acc), Some(Value::String(s))) => acc.push_str(s),
        _ => {}
    }
}

impl StructuredState {
    /// A state before any chunk, parsing as the SDK does ([`PartialMode::On`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A state whose partial values are parsed in `mode` (`TrailingStrings` shows an
    /// unfinished string as it stands, beyond the SDK).
    pub fn with_mode(mode: PartialMode) -> Self {
        StructuredState {
            mode,
            ..Self::default()
        }
    }

    /// A state for this request body (its JSON, as `ChatRequest::to_json` gives it), as the
    /// SDK sets itself up from its arguments: the content is structured output when the
    /// request has a `json_schema` response format, and only the tools marked `strict` have
    /// their arguments parsed; `length` and `content_filter` are errors only when one of the
    /// two holds.
    pub fn for_request(request: &Value, mode: PartialMode) -> Self {
        let content = request
            .get("response_format")
            .and_then(|f| f.get("type"))
            .and_then(Value::as_str)
            == Some("json_schema");
        let strict = request
            .get("tools")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|tool| tool.get("function"))
            .filter(|function| function.get("strict").and_then(Value::as_bool) == Some(true))
            .filter_map(|function| function.get("name").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        StructuredState {
            mode,
            content,
            strict: Strict::Named(strict),
            ..Self::default()
        }
    }

    /// Whether the SDK's `has_parseable_input` holds (then `length` raises).
    fn parseable(&self) -> bool {
        self.content
            || match &self.strict {
                Strict::All => true,
                Strict::Named(names) => !names.is_empty(),
            }
    }

    /// Applies a chunk (its JSON as sent) and returns the events it fires, in the SDK's
    /// order; an error where the SDK raises (then the chunk fires nothing).
    pub fn handle_chunk(&mut self, chunk: &Value) -> Result<Vec<StructuredEvent>, StructuredError> {
        let first = !self.started;
        self.started = true;
        let choices = chunk
            .get("choices")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for choice in choices {
            self.accumulate(choice, first)?;
        }
        let mut events = Vec::new();
        for choice in choices {
            self.fire(choice, &mut events)?;
        }
        Ok(events)
    }

    /// The SDK's `_accumulate_chunk` for one choice.
    fn accumulate(&mut self, chunk: &Value, first: bool) -> Result<(), StructuredError> {
        let at = index(chunk.get("index"));
        let mode = self.mode;
        let (structured, parseable) = (self.content, self.parseable());
        let strict = &self.strict;
        // The SDK's snapshot holds choices by position: the first chunk places each at its
        // index.
        if at >= self.choices.len() {
            self.choices.resize_with(at + 1, || Choice {
                parser: PartialJson::new(mode),
                ..Choice::default()
            });
        }
        let Some(choice) = self.choices.get_mut(at) else {
            return Ok(());
        };
        // A choice first named after the first chunk: the SDK builds its snapshot from the
        // chunk's choice, logprobs included, then applies the logprobs again.
        let late = !first && !choice.seen;
        choice.seen = true;
        let delta = chunk.get("delta");
        let content_delta = delta.and_then(|d| d.get("content"));
        accumulate(&mut choice.content, content_delta);
        if let Some(piece) = text(content_delta) {
            // An error stays in the parser: it matters only where the SDK parses.
            let _ = choice.parser.push(piece.as_bytes());
        }
        accumulate(&mut choice.refusal, delta.and_then(|d| d.get("refusal")));
        let tool_deltas = delta
            .and_then(|d| d.get("tool_calls"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for tool in tool_deltas {
            let i = index(tool.get("index"));
            while choice.tools.len() <= i {
                choice.tools.push(ToolCall {
                    parser: PartialJson::new(mode),
                    ..ToolCall::default()
                });
            }
            if let Some(call) = choice.tools.get_mut(i) {
                let function = tool.get("function");
                accumulate(&mut call.name, function.and_then(|f| f.get("name")));
                let arguments = function.and_then(|f| f.get("arguments"));
                accumulate(&mut call.arguments, arguments);
                if let Some(piece) = text(arguments) {
                    let _ = call.parser.push(piece.as_bytes());
                }
            }
        }
        if let Some(reason) = text(chunk.get("finish_reason")).filter(|r| !r.is_empty()) {
            choice.finish_reason = Some(reason.to_owned());
            // The first chunk becomes the snapshot as it is: the SDK checks nothing there.
            if !first && parseable {
                match reason {
                    "length" => return Err(StructuredError::Length),
                    "content_filter" => return Err(StructuredError::ContentFilter),
                    _ => {}
                }
            }
        }
        // `parsed`: reset every chunk, set when there is content, no refusal and more than
        // whitespace (never on the first chunk, which becomes the snapshot unparsed).
        let content = choice.content.as_deref().unwrap_or_default();
        choice.parsed = structured
            && !first
            && !content.is_empty()
            && choice.refusal.as_deref().is_none_or(str::is_empty)
            && !content.trim_start_matches(is_python_space).is_empty();
        // Where the SDK parses, jiter raises on what is not a prefix of JSON (and on a
        // prefix with no value yet, such as an unfinished top-level string).
        if choice.parsed && unparsable(&choice.parser) {
            return Err(StructuredError::InvalidJson);
        }
        if !first {
            for tool in tool_deltas {
                let i = index(tool.get("index"));
                if let Some(call) = choice.tools.get_mut(i) {
                    let has_arguments = call.arguments.as_deref().is_some_and(|a| !a.is_empty());
                    if strict.allows(call.name.as_deref()) && has_arguments {
                        if unparsable(&call.parser) {
                            return Err(StructuredError::InvalidJson);
                        }
                        call.parsed = true;
                    }
                }
            }
        }
        if let Some(logprobs) = chunk.get("logprobs").filter(|l| !l.is_null()) {
            let list = |key: &str| logprobs.get(key).and_then(Value::as_array).cloned();
            if choice.logprobs.is_none() {
                choice.logprobs = Some((list("content"), list("refusal")));
                if !late {
                    return Ok(());
                }
            }
            match &mut choice.logprobs {
                None => {}
                Some((content, refusal)) => {
                    for (slot, new) in [(content, list("content")), (refusal, list("refusal"))] {
                        if let Some(new) = new.filter(|n| !n.is_empty()) {
                            slot.get_or_insert_with(Vec::new).extend(new);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The SDK's `_build_events` for one choice.
    fn fire(
        &mut self,
        chunk: &Value,
        events: &mut Vec<StructuredEvent>,
    ) -> Result<(), StructuredError> {
        let at = index(chunk.get("index"));
        // The SDK's `_get_choice_state`: by index, or a new one appended.
        let slot = if at < self.states.len() {
            at
        } else {
            self.states.push(EventState::default());
            self.states.len() - 1
        };
        let (structured, strict) = (self.content, &self.strict);
        let (Some(choice), Some(state)) = (self.choices.get_mut(at), self.states.get_mut(slot))
        else {
            return Ok(());
        };
        let done = Done {
            structured,
            strict,
            at,
        };
        let delta = chunk.get("delta");
        if let (Some(piece), Some(_)) =
            (text(delta.and_then(|d| d.get("content"))), &choice.content)
        {
            events.push(StructuredEvent::ContentDelta {
                choice: at,
                delta: piece.to_owned(),
            });
        }
        if let (Some(piece), Some(_)) =
            (text(delta.and_then(|d| d.get("refusal"))), &choice.refusal)
        {
            events.push(StructuredEvent::RefusalDelta {
                choice: at,
                delta: piece.to_owned(),
            });
        }
        let tool_deltas = delta
            .and_then(|d| d.get("tool_calls"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for tool in tool_deltas {
            let arguments = tool.get("function").and_then(|f| f.get("arguments"));
            events.push(StructuredEvent::ArgumentsDelta {
                choice: at,
                index: index(tool.get("index")),
                delta: text(arguments).unwrap_or_default().to_owned(),
            });
        }
        if let (Some(logprobs), Some((content, refusal))) = (
            chunk.get("logprobs").filter(|l| !l.is_null()),
            &choice.logprobs,
        ) {
            let list = |key: &str| {
                logprobs
                    .get(key)
                    .and_then(Value::as_array)
                    .filter(|l| !l.is_empty())
                    .cloned()
            };
            if let (Some(new), Some(snapshot)) = (list("content"), content) {
                if !snapshot.is_empty() {
                    events.push(StructuredEvent::LogprobsContentDelta {
                        choice: at,
                        content: new,
                    });
                }
            }
            if let (Some(new), Some(snapshot)) = (list("refusal"), refusal) {
                if !snapshot.is_empty() {
                    events.push(StructuredEvent::LogprobsRefusalDelta {
                        choice: at,
                        refusal: new,
                    });
                }
            }
        }
        // The SDK's `get_done_events`.
        if choice.finish_reason.is_some() {
            done.content_events(choice, state, events)?;
            if let Some(current) = state.current_tool.filter(|c| !state.done_tools.contains(c)) {
                done.tool_event(choice, state, current, events)?;
            }
        }
        for tool in tool_deltas {
            let i = index(tool.get("index"));
            if state.current_tool != Some(i) {
                done.content_events(choice, state, events)?;
                if let Some(current) = state.current_tool {
                    done.tool_event(choice, state, current, events)?;
                }
            }
            state.current_tool = Some(i);
        }
        Ok(())
    }

    /// The choice's content so far.
    pub fn content(&self, choice: usize) -> Option<&str> {
        self.choices.get(choice)?.content.as_deref()
    }

    /// The choice's content parsed so far, as the SDK's `parsed` shows it after the last
    /// chunk (the whole value once `content.done` fired).
    pub fn parsed(&self, choice: usize) -> Option<&Value> {
        let slot = self.choices.get(choice)?;
        slot.done.as_ref().or_else(|| self.partial(choice))
    }

    /// The choice's content parsed at the last chunk (what a `content.delta` carries).
    pub fn partial(&self, choice: usize) -> Option<&Value> {
        let choice = self.choices.get(choice)?;
        choice.parsed.then(|| choice.parser.value()).flatten()
    }

    /// The SDK's last check on the final completion (`parse_chat_completion`): a choice that
    /// ended by `length` or `content_filter` is an error when the request is parseable, even
    /// when the stream state let it pass (on the first chunk).
    pub fn final_check(&self) -> Result<(), StructuredError> {
        if !self.parseable() {
            return Ok(());
        }
        for choice in &self.choices {
            match choice.finish_reason.as_deref() {
                Some("length") => return Err(StructuredError::Length),
                Some("content_filter") => return Err(StructuredError::ContentFilter),
                _ => {}
            }
        }
        Ok(())
    }

    /// The choice's finish reason, once it has one.
    pub fn finish_reason(&self, choice: usize) -> Option<&str> {
        self.choices.get(choice)?.finish_reason.as_deref()
    }

    /// The choice's refusal so far, if it refuses.
    pub fn refusal(&self, choice: usize) -> Option<&str> {
        self.choices.get(choice)?.refusal.as_deref()
    }

    /// A tool call's arguments parsed so far, as the SDK's `parsed_arguments` shows them.
    pub fn parsed_arguments(&self, choice: usize, index: usize) -> Option<&Value> {
        let call = self.choices.get(choice)?.tools.get(index)?;
        if call.done.is_some() {
            return call.done.as_ref();
        }
        call.parsed.then(|| call.parser.value()).flatten()
    }
}

/// What the done events need to know of the request, for one choice.
struct Done<'a> {
    structured: bool,
    strict: &'a Strict,
    at: usize,
}

impl Done<'_> {
    /// The SDK's `_content_done_events`.
    fn content_events(
        &self,
        choice: &mut Choice,
        state: &mut EventState,
        events: &mut Vec<StructuredEvent>,
    ) -> Result<(), StructuredError> {
        let at = self.at;
        let content = choice.content.as_deref().unwrap_or_default();
        if !content.is_empty() && !state.content_done {
            state.content_done = true;
            // The whole content, validated, where the SDK's response format parses it.
            if self.structured && choice.refusal.as_deref().is_none_or(str::is_empty) {
                let value: Value =
                    serde_json::from_str(content).map_err(|_| StructuredError::InvalidJson)?;
                choice.done = Some(value);
            }
            events.push(StructuredEvent::ContentDone { choice: at });
        }
        if choice.refusal.is_some() && !state.refusal_done {
            state.refusal_done = true;
            events.push(StructuredEvent::RefusalDone { choice: at });
        }
        if let Some((content, refusal)) = &choice.logprobs {
            if content.is_some() && !state.logprobs_content_done {
                state.logprobs_content_done = true;
                events.push(StructuredEvent::LogprobsContentDone { choice: at });
            }
            if refusal.is_some() && !state.logprobs_refusal_done {
                state.logprobs_refusal_done = true;
                events.push(StructuredEvent::LogprobsRefusalDone { choice: at });
            }
        }
        Ok(())
    }

    /// The SDK's `_add_tool_done_event`: the whole arguments parsed, for a strict tool.
    fn tool_event(
        &self,
        choice: &mut Choice,
        state: &mut EventState,
        index: usize,
        events: &mut Vec<StructuredEvent>,
    ) -> Result<(), StructuredError> {
        if !state.done_tools.insert(index) {
            return Ok(());
        }
        if let Some(call) = choice.tools.get_mut(index) {
            if self.strict.allows(call.name.as_deref()) {
                let arguments = call.arguments.as_deref().unwrap_or_default();
                let value: Value =
                    serde_json::from_str(arguments).map_err(|_| StructuredError::InvalidJson)?;
                call.done = Some(value);
            }
        }
        events.push(StructuredEvent::ArgumentsDone {
            choice: self.at,
            index,
        });
        Ok(())
    }
}

impl StructuredEvent {
    /// The event as the SDK's event model dumps it (`type` and its own fields), plus
    /// `"choice"`: what `replay --parsed` prints.
    pub fn to_json(&self, state: &StructuredState) -> Value {
        let choice_of = |c: usize| state.choices.get(c);
        let logprobs = |c: usize| choice_of(c).and_then(|c| c.logprobs.as_ref());
        match self {
            // What the SDK puts in a delta's `parsed`: this chunk's partial parse (the done
            // events of the same chunk replace it only afterwards).
            StructuredEvent::ContentDelta { choice, delta } => json!({
                "type": "content.delta", "choice": choice, "delta": delta,
                "snapshot": state.content(*choice), "parsed": state.partial(*choice),
            }),
            StructuredEvent::ContentDone { choice } => json!({
                "type": "content.done", "choice": choice,
                "content": state.content(*choice), "parsed": state.parsed(*choice),
            }),
            StructuredEvent::RefusalDelta { choice, delta } => json!({
                "type": "refusal.delta", "choice": choice, "delta": delta,
                "snapshot": choice_of(*choice).and_then(|c| c.refusal.as_deref()),
            }),
            StructuredEvent::RefusalDone { choice } => json!({
                "type": "refusal.done", "choice": choice,
                "refusal": choice_of(*choice).and_then(|c| c.refusal.as_deref()),
            }),
            StructuredEvent::ArgumentsDelta {
                choice,
                index,
                delta,
            } => {
                let call = choice_of(*choice).and_then(|c| c.tools.get(*index));
                json!({
                    "type": "tool_calls.function.arguments.delta", "choice": choice,
                    "name": call.and_then(|c| c.name.as_deref()), "index": index,
                    "arguments": call.and_then(|c| c.arguments.as_deref()),
                    "parsed_arguments": state.parsed_arguments(*choice, *index),
                    "arguments_delta": delta,
                })
            }
            StructuredEvent::ArgumentsDone { choice, index } => {
                let call = choice_of(*choice).and_then(|c| c.tools.get(*index));
                json!({
                    "type": "tool_calls.function.arguments.done", "choice": choice,
                    "index": index, "name": call.and_then(|c| c.name.as_deref()),
                    "arguments": call.and_then(|c| c.arguments.as_deref()),
                    "parsed_arguments": state.parsed_arguments(*choice, *index),
                })
            }
            StructuredEvent::LogprobsContentDelta { choice, content } => json!({
                "type": "logprobs.content.delta", "choice": choice, "content": content,
                "snapshot": logprobs(*choice).and_then(|l| l.0.as_ref()),
            }),
            StructuredEvent::LogprobsContentDone { choice } => json!({
                "type": "logprobs.content.done", "choice": choice,
                "content": logprobs(*choice).and_then(|l| l.0.as_ref()),
            }),
            StructuredEvent::LogprobsRefusalDelta { choice, refusal } => json!({
                "type": "logprobs.refusal.delta", "choice": choice, "refusal": refusal,
                "snapshot": logprobs(*choice).and_then(|l| l.1.as_ref()),
            }),
            StructuredEvent::LogprobsRefusalDone { choice } => json!({
                "type": "logprobs.refusal.done", "choice": choice,
                "refusal": logprobs(*choice).and_then(|l| l.1.as_ref()),
            }),
        }
    }
}
