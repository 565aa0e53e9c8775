//! The scripted model of the Responses API: a script entry (text, reasoning summary, refusal,
//! a function call, how it ends) becomes the events the real service streams, numbered by
//! `sequence_number`, and the final response that retrieving it returns.

use serde_json::{json, Value};

use crate::script::{RunEnd, RunScript, ToolCallScript};
use crate::store::Store;

/// A response the server holds: its final object and every event it streamed (the JSON data,
/// in order), for `GET /responses/{id}` and its `stream=true&starting_after=N` replay.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub(crate) response: Value,
    pub(crate) events: Vec<(String, String)>,
    pub(crate) background: bool,
}

/// What the request asks, as far as the model cares.
pub(crate) struct Asked<'a> {
    pub(crate) body: &'a Value,
    /// The outputs of function calls in `input` (`function_call_output` items).
    pub(crate) outputs: Vec<String>,
}

impl<'a> Asked<'a> {
    pub(crate) fn new(body: &'a Value) -> Self {
        let outputs = body
            .get("input")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|item| item.get("type").and_then(Value::as_str) == Some("function_call_output"))
            .filter_map(|item| {
                item.get("output")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .collect();
        Asked { body, outputs }
    }

    fn first_function(&self) -> Option<String> {
        self.body
            .get("tools")?
            .as_array()?
            .iter()
            .find(|t| t.get("type").and_then(Value::as_str) == Some("function"))?
            .get("name")?
            .as_str()
            .map(str::to_owned)
    }
}

/// The built-in model when the script has no entry left: call the request's first function
/// tool (arguments in pieces); once its output comes back, or with no function tool, reply
/// with a short text.
pub(crate) fn default_script(asked: &Asked<'_>) -> RunScript {
    match (asked.first_function(), asked.outputs.first()) {
        (Some(name), None) => {
            RunScript::text(Vec::<String>::new()).call(&name, ["{\"location\": ", "\"Paris\"}"])
        }
        (_, Some(output)) => RunScript::text(["The forecast says ", output.as_str(), "."]),
        (None, None) => RunScript::text(["Hello", "! How can I ", "help you today?"]),
    }
}

struct Builder<'a> {
    store: &'a mut Store,
    response: Value,
    events: Vec<(String, String)>,
    output: Vec<Value>,
}

impl Builder<'_> {
    fn emit(&mut self, kind: &str, mut data: Value) {
        if let Some(object) = data.as_object_mut() {
            object.insert("type".into(), json!(kind));
            object.insert("sequence_number".into(), json!(self.events.len()));
        }
        self.events.push((kind.to_owned(), data.to_string()));
    }

    fn lifecycle(&mut self, kind: &str, status: &str) {
        self.response["status"] = json!(status);
        let response = self.response.clone();
        self.emit(kind, json!({ "response": response }));
    }

    fn item(&mut self, item: Value, body: impl FnOnce(&mut Self, usize, &str) -> Value) {
        let index = self.output.len();
        let id = item["id"].as_str().unwrap_or_default().to_owned();
        self.emit(
            "response.output_item.added",
            json!({"output_index": index, "item": item}),
        );
        let done = body(self, index, &id);
        self.emit(
            "response.output_item.done",
            json!({"output_index": index, "item": done}),
        );
        self.output.push(done);
    }

    fn reasoning(&mut self, pieces: &[String]) {
        let id = self.store.id("rs");
        self.item(
            json!({"id": id, "type": "reasoning", "summary": []}),
            |b, index, id| {
                let at = json!({"item_id": id, "output_index": index, "summary_index": 0});
                let empty = json!({"type": "summary_text", "text": ""});
                b.emit(
                    "response.reasoning_summary_part.added",
                    merge(&at, json!({"part": empty})),
                );
                for piece in pieces {
                    b.emit(
                        "response.reasoning_summary_text.delta",
                        merge(&at, json!({"delta": piece})),
                    );
                }
                let text = pieces.concat();
                b.emit(
                    "response.reasoning_summary_text.done",
                    merge(&at, json!({"text": text})),
                );
                let part = json!({"type": "summary_text", "text": text});
                b.emit(
                    "response.reasoning_summary_part.done",
                    merge(&at, json!({"part": part})),
                );
                json!({"id": id, "type": "reasoning", "summary": [part]})
            },
        );
    }

    fn function_call(&mut self, call: &ToolCallScript) {
        let id = self.store.id("fc");
        let call_id = self.store.id("call");
        let item = json!({"id": id, "type": "function_call", "status": "in_progress",
            "call_id": call_id, "name": call.name, "arguments": ""});
        self.item(item.clone(), |b, index, id| {
            let at = json!({"item_id": id, "output_index": index});
            for piece in &call.arguments {
                b.emit(
                    "response.function_call_arguments.delta",
                    merge(&at, json!({"delta": piece})),
                );
            }
            let arguments = call.arguments.concat();
            b.emit(
                "response.function_call_arguments.done",
                merge(&at, json!({"arguments": arguments})),
            );
            merge(
                &item,
                json!({"status": "completed", "arguments": arguments}),
            )
        });
    }

    fn message(&mut self, pieces: &[String], refusal: bool, status: &str) {
        let id = self.store.id("msg");
        let item = json!({"id": id, "type": "message", "status": "in_progress", "role": "assistant", "content": []});
        let (kind, field, part) = if refusal {
            (
                "refusal",
                "refusal",
                json!({"type": "refusal", "refusal": ""}),
            )
        } else {
            (
                "output_text",
                "text",
                json!({"type": "output_text", "text": "", "annotations": [], "logprobs": []}),
            )
        };
        self.item(item.clone(), |b, index, id| {
            let at = json!({"item_id": id, "output_index": index, "content_index": 0});
            b.emit(
                "response.content_part.added",
                merge(&at, json!({"part": part})),
            );
            for piece in pieces {
                b.emit(
                    &format!("response.{kind}.delta"),
                    merge(&at, json!({"delta": piece, "logprobs": []})),
                );
            }
            let whole = pieces.concat();
            b.emit(
                &format!("response.{kind}.done"),
                merge(&at, json!({ field: whole, "logprobs": [] })),
            );
            let done = merge(&part, json!({ field: whole }));
            b.emit(
                "response.content_part.done",
                merge(&at, json!({"part": done})),
            );
            merge(&item, json!({"status": status, "content": [done]}))
        });
    }
}

/// `base` with the fields of `more` (objects only).
fn merge(base: &Value, more: Value) -> Value {
    let mut out = base.clone();
    if let (Some(out), Value::Object(more)) = (out.as_object_mut(), more) {
        out.extend(more);
    }
    out
}

/// Plays `script` for the request: the events, in order, and the stored response.
pub(crate) fn respond(store: &mut Store, asked: &Asked<'_>, script: &RunScript) -> Stored {
    let id = store.id("resp");
    let field = |key: &str| asked.body.get(key).cloned().unwrap_or(Value::Null);
    let background = field("background").as_bool() == Some(true);
    let response = json!({
        "id": id, "object": "response", "created_at": store.now(), "status": "in_progress",
        "background": background, "error": null, "incomplete_details": null,
        "instructions": field("instructions"), "model": field("model"), "output": [],
        "parallel_tool_calls": true, "previous_response_id": field("previous_response_id"),
        "store": field("store").as_bool().unwrap_or(true),
        "tools": asked.body.get("tools").cloned().unwrap_or(json!([])),
        "usage": null, "metadata": {}
    });
    let mut b = Builder {
        store,
        response,
        events: Vec::new(),
        output: Vec::new(),
    };
    b.lifecycle("response.created", "in_progress");
    b.lifecycle("response.in_progress", "in_progress");
    if !script.reasoning.is_empty() {
        b.reasoning(&script.reasoning);
    }
    if let Some(call) = &script.tool_call {
        b.function_call(call);
    }
    let cut_short = matches!(
        script.end,
        Some(RunEnd::Failed { .. } | RunEnd::Incomplete { .. })
    );
    let status = if cut_short { "incomplete" } else { "completed" };
    if !script.refusal.is_empty() {
        b.message(&script.refusal, true, status);
    } else if !script.text.is_empty() {
        b.message(&script.text, false, status);
    }
    b.response["output"] = Value::Array(b.output.clone());
    let words = b.output.len() as u64 * 10;
    b.response["usage"] = json!({"input_tokens": 12, "output_tokens": words, "total_tokens": 12 + words,
        "input_tokens_details": {"cached_tokens": 0}, "output_tokens_details": {"reasoning_tokens": 0}});
    match &script.end {
        Some(RunEnd::Failed { code, message }) => {
            b.response["error"] = json!({"code": code, "message": message});
            b.lifecycle("response.failed", "failed");
        }
        Some(RunEnd::Incomplete { reason }) => {
            b.response["incomplete_details"] = json!({"reason": reason});
            b.lifecycle("response.incomplete", "incomplete");
        }
        Some(RunEnd::ErrorEvent { message }) => {
            let error = json!({"type": "server_error", "code": "server_error", "message": message, "param": null});
            b.emit("error", json!({ "error": error }));
            b.response["status"] = json!("failed");
            b.response["error"] = json!({"code": "server_error", "message": message});
        }
        Some(RunEnd::Cancelled) => b.lifecycle("response.incomplete", "cancelled"),
        Some(RunEnd::Expired) | None => b.lifecycle("response.completed", "completed"),
    }
    Stored {
        response: b.response,
        events: b.events,
        background,
    }
}
