//! Structured outputs as a Responses stream goes: openai-python 3.57's `ResponseStreamState`
//! additions — `response.output_text.delta` with its `snapshot`, `response.output_text.done`
//! with `parsed` (by its rule: only for a message whose `phase` is absent or `final_answer`),
//! `response.function_call_arguments.delta` with its `snapshot` — and, beyond the SDK, the
//! partial value so far on every delta (`parsed`, `parsed_arguments`), in linear time: each
//! text and each call's arguments feed a [`PartialJson`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::chat::StructuredError;
use crate::json::{PartialJson, PartialMode};

/// A Responses event with structured fields ([`StructuredState::handle_event`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StructuredEvent {
    /// `response.output_text.delta`: the text and its value so far are in the state.
    TextDelta {
        /// The message's output index.
        output_index: u64,
        /// The text's content index.
        content_index: u64,
    },
    /// `response.output_text.done`, with the text parsed by the SDK's rule (`None`: not the
    /// answer).
    TextDone {
        /// The whole text's value.
        parsed: Option<Value>,
    },
    /// `response.function_call_arguments.delta`: the arguments and their value so far are in
    /// the state.
    ArgumentsDelta {
        /// The call's output index.
        output_index: u64,
    },
    /// `response.function_call_arguments.done`, with the arguments parsed.
    ArgumentsDone {
        /// The whole arguments' value (`None`: not JSON).
        parsed: Option<Value>,
    },
    /// `response.completed`: the answer is [`StructuredState::output_parsed`].
    Completed,
}

impl StructuredEvent {
    /// The event as `replay --parsed` prints it: the event as sent, with `snapshot` and the
    /// value so far (`parsed`, `parsed_arguments`) on deltas, `parsed` or `parsed_arguments`
    /// on done events, `output_parsed` on `response.completed`.
    pub fn to_json(&self, event: &Value, state: &StructuredState) -> Value {
        let mut added = Map::new();
        let or_null = |value: Option<&Value>| value.cloned().unwrap_or(Value::Null);
        match self {
            StructuredEvent::TextDelta {
                output_index,
                content_index,
            } => {
                let text = state
                    .text(*output_index, *content_index)
                    .unwrap_or_default();
                added.insert("snapshot".into(), Value::String(text.to_owned()));
                let parsed = state.parsed_text(*output_index, *content_index);
                added.insert("parsed".into(), or_null(parsed));
            }
            StructuredEvent::TextDone { parsed } => {
                added.insert("parsed".into(), or_null(parsed.as_ref()));
            }
            StructuredEvent::ArgumentsDelta { output_index } => {
                let text = state.arguments(*output_index).unwrap_or_default();
                added.insert("snapshot".into(), Value::String(text.to_owned()));
                let parsed = state.parsed_arguments(*output_index);
                added.insert("parsed_arguments".into(), or_null(parsed));
            }
            StructuredEvent::ArgumentsDone { parsed } => {
                added.insert("parsed_arguments".into(), or_null(parsed.as_ref()));
            }
            StructuredEvent::Completed => {
                added.insert("output_parsed".into(), or_null(state.output_parsed()));
            }
        }
        let mut event = event.as_object().cloned().unwrap_or_default();
        event.extend(added);
        Value::Object(event)
    }
}

/// One output text or one call's arguments, as they come.
#[derive(Debug, Default)]
struct Part {
    text: String,
    parser: PartialJson,
}

impl Part {
    fn new(mode: PartialMode) -> Self {
        Part {
            text: String::new(),
            parser: PartialJson::new(mode),
        }
    }

    /// The next delta: its text appended, fed to the parser (an error stays there: the SDK
    /// parses only the whole text, at its done event).
    fn push(&mut self, delta: &str) {
        self.text.push_str(delta);
        let _ = self.parser.push(delta.as_bytes());
    }
}

/// The structured view of a Responses stream (events as JSON, as sent).
///
/// ```
/// use serde_json::json;
/// use streaming_assistants_core::responses::StructuredState;
///
/// let mut state = StructuredState::new();
/// let delta = |d: &str| json!({"type": "response.output_text.delta", "output_index": 0,
///     "content_index": 0, "item_id": "msg_1", "delta": d, "sequence_number": 3});
/// state.handle_event(&delta("{\"a\": [1")).unwrap();
/// assert_eq!(state.parsed_text(0, 0), Some(&json!({"a": [1]}))); // lent, not copied
/// let last = delta(", 2]}");
/// let event = state.handle_event(&last).unwrap().unwrap();
/// let line = event.to_json(&last, &state); // as `replay --parsed` prints it
/// assert_eq!(line["snapshot"], "{\"a\": [1, 2]}");
/// assert_eq!(line["parsed"], json!({"a": [1, 2]}));
/// ```
#[derive(Debug, Default)]
pub struct StructuredState {
    mode: PartialMode,
    /// Output texts by (output index, content index).
    texts: BTreeMap<(u64, u64), Part>,
    /// Function calls' arguments by output index.
    arguments: BTreeMap<u64, Part>,
    /// Messages' phases by output index (absent: no phase).
    phases: BTreeMap<u64, String>,
    /// The structured answer: the first output text parsed by the SDK's rule.
    output_parsed: Option<Value>,
}

fn number(event: &Value, key: &str) -> u64 {
    event.get(key).and_then(Value::as_u64).unwrap_or(0)
}

impl StructuredState {
    /// A state before any event, partial values as openai-python parses them
    /// ([`PartialMode::On`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A state whose partial values are parsed in `mode`.
    pub fn with_mode(mode: PartialMode) -> Self {
        StructuredState {
            mode,
            ..Self::default()
        }
    }

    /// Applies an event (its JSON as sent): which structured event it is, if it is one of
    /// those with structured fields (`None` for the others); an error where the SDK raises (a
    /// final answer's text that is not JSON). The values are lent by the state
    /// ([`StructuredState::parsed_text`], ...), or written out by
    /// [`StructuredEvent::to_json`]: nothing is copied per delta.
    pub fn handle_event(
        &mut self,
        event: &Value,
    ) -> Result<Option<StructuredEvent>, StructuredError> {
        let kind = event
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let out = number(event, "output_index");
        let text_of = |key: &str| event.get(key).and_then(Value::as_str).unwrap_or_default();
        Ok(Some(match kind {
            "response.output_item.added" => {
                let item = event.get("item");
                if let Some(phase) = item.and_then(|i| i.get("phase")).and_then(Value::as_str) {
                    self.phases.insert(out, phase.to_owned());
                }
                return Ok(None);
            }
            "response.output_text.delta" => {
                let content = number(event, "content_index");
                let mode = self.mode;
                self.texts
                    .entry((out, content))
                    .or_insert_with(|| Part::new(mode))
                    .push(text_of("delta"));
                StructuredEvent::TextDelta {
                    output_index: out,
                    content_index: content,
                }
            }
            "response.output_text.done" => {
                let final_answer = self.phases.get(&out).is_none_or(|p| p == "final_answer");
                let parsed = if final_answer {
                    let value: Value = serde_json::from_str(text_of("text"))
                        .map_err(|_| StructuredError::InvalidJson)?;
                    self.output_parsed.get_or_insert_with(|| value.clone());
                    Some(value)
                } else {
                    None
                };
                StructuredEvent::TextDone { parsed }
            }
            "response.function_call_arguments.delta" => {
                let mode = self.mode;
                self.arguments
                    .entry(out)
                    .or_insert_with(|| Part::new(mode))
                    .push(text_of("delta"));
                StructuredEvent::ArgumentsDelta { output_index: out }
            }
            "response.function_call_arguments.done" => StructuredEvent::ArgumentsDone {
                parsed: serde_json::from_str(text_of("arguments")).ok(),
            },
            "response.completed" => StructuredEvent::Completed,
            _ => return Ok(None),
        }))
    }

    /// An output text so far.
    pub fn text(&self, output_index: u64, content_index: u64) -> Option<&str> {
        Some(&self.texts.get(&(output_index, content_index))?.text)
    }

    /// A function call's arguments so far.
    pub fn arguments(&self, output_index: u64) -> Option<&str> {
        Some(&self.arguments.get(&output_index)?.text)
    }

    /// An output text's value so far (lent: no copy).
    pub fn parsed_text(&self, output_index: u64, content_index: u64) -> Option<&Value> {
        self.texts
            .get(&(output_index, content_index))?
            .parser
            .value()
    }

    /// A function call's arguments so far (lent: no copy).
    pub fn parsed_arguments(&self, output_index: u64) -> Option<&Value> {
        self.arguments.get(&output_index)?.parser.value()
    }

    /// The structured answer, once its text is done (openai-python's `output_parsed`).
    pub fn output_parsed(&self) -> Option<&Value> {
        self.output_parsed.as_ref()
    }
}
