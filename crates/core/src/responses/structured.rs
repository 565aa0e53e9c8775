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

/// One output text or one call's arguments, as they come.
#[derive(Debug, Default)]
struct Part {
    text: String,
    parser: PartialJson,
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
/// let event = state.handle_event(&delta(", 2]}")).unwrap().unwrap();
/// assert_eq!(event["snapshot"], "{\"a\": [1, 2]}");
/// assert_eq!(event["parsed"], json!({"a": [1, 2]}));
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

    /// Applies an event (its JSON as sent): the event with the structured fields added, for
    /// the events that have them (`None` for the others); an error where the SDK raises (a
    /// final answer's text that is not JSON).
    pub fn handle_event(&mut self, event: &Value) -> Result<Option<Value>, StructuredError> {
        let kind = event
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let out = number(event, "output_index");
        let text_of = |key: &str| event.get(key).and_then(Value::as_str).unwrap_or_default();
        let mut added = Map::new();
        match kind {
            "response.output_item.added" => {
                let item = event.get("item");
                if let Some(phase) = item.and_then(|i| i.get("phase")).and_then(Value::as_str) {
                    self.phases.insert(out, phase.to_owned());
                }
                return Ok(None);
            }
            "response.output_text.delta" => {
                let part = self.part(out, number(event, "content_index"));
                let delta = text_of("delta");
                part.text.push_str(delta);
                let _ = part.parser.push(delta.as_bytes());
                added.insert("snapshot".into(), Value::String(part.text.clone()));
                added.insert(
                    "parsed".into(),
                    part.parser.value().cloned().unwrap_or(Value::Null),
                );
            }
            "response.output_text.done" => {
                let final_answer = self.phases.get(&out).is_none_or(|p| p == "final_answer");
                let parsed = if final_answer {
                    let value: Value = serde_json::from_str(text_of("text"))
                        .map_err(|_| StructuredError::InvalidJson)?;
                    self.output_parsed.get_or_insert_with(|| value.clone());
                    value
                } else {
                    Value::Null
                };
                added.insert("parsed".into(), parsed);
            }
            "response.function_call_arguments.delta" => {
                let mode = self.mode;
                let part = self.arguments.entry(out).or_insert_with(|| Part {
                    parser: PartialJson::new(mode),
                    ..Part::default()
                });
                let delta = text_of("delta");
                part.text.push_str(delta);
                let _ = part.parser.push(delta.as_bytes());
                added.insert("snapshot".into(), Value::String(part.text.clone()));
                let parsed = part.parser.value().cloned().unwrap_or(Value::Null);
                added.insert("parsed_arguments".into(), parsed);
            }
            "response.function_call_arguments.done" => {
                let parsed = serde_json::from_str(text_of("arguments")).unwrap_or(Value::Null);
                added.insert("parsed_arguments".into(), parsed);
            }
            "response.completed" => {
                added.insert(
                    "output_parsed".into(),
                    self.output_parsed.clone().unwrap_or(Value::Null),
                );
            }
            _ => return Ok(None),
        }
        let mut event = event.as_object().cloned().unwrap_or_default();
        event.extend(added);
        Ok(Some(Value::Object(event)))
    }

    fn part(&mut self, out: u64, content: u64) -> &mut Part {
        let mode = self.mode;
        self.texts.entry((out, content)).or_insert_with(|| Part {
            parser: PartialJson::new(mode),
            ..Part::default()
        })
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
