//! Objects as the service writes them: every field, `null` when unset. The core's wire types
//! write back only the fields they have, and strict clients (`async-openai`'s types, which
//! require `instructions` and `parallel_tool_calls` on a run) reject objects without the rest,
//! so the server completes each object it sends with the service's defaults here.

use serde::Serialize;
use serde_json::{json, Value};

/// `value` serialized and completed (objects of lists too).
pub(crate) fn full<T: Serialize>(value: &T) -> Value {
    let mut value = serde_json::to_value(value).unwrap_or(Value::Null);
    complete(&mut value);
    value
}

fn complete(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(items)) = object.get_mut("data") {
        items.iter_mut().for_each(complete);
    }
    let kind = object.get("object").and_then(Value::as_str).unwrap_or("");
    let Value::Object(defaults) = defaults(kind) else {
        return;
    };
    for (key, default) in defaults {
        object.entry(key).or_insert(default);
    }
}

fn defaults(kind: &str) -> Value {
    match kind {
        "thread.run" => json!({
            "instructions": "", "tools": [], "metadata": {}, "parallel_tool_calls": true,
            "required_action": null, "last_error": null, "expires_at": null, "started_at": null,
            "cancelled_at": null, "failed_at": null, "completed_at": null,
            "incomplete_details": null, "usage": null, "temperature": 1.0, "top_p": 1.0,
            "max_prompt_tokens": null, "max_completion_tokens": null,
            "truncation_strategy": {"type": "auto", "last_messages": null},
            "response_format": "auto", "tool_choice": "auto",
        }),
        "thread.run.step" => json!({
            "last_error": null, "expired_at": null, "cancelled_at": null, "failed_at": null,
            "completed_at": null, "metadata": null, "usage": null,
        }),
        "thread.message" => json!({
            "content": [], "assistant_id": null, "run_id": null, "attachments": [], "metadata": {},
            "incomplete_details": null, "completed_at": null, "incomplete_at": null,
        }),
        "thread" => json!({"metadata": {}, "tool_resources": {}}),
        "assistant" => json!({
            "name": null, "description": null, "instructions": null, "tools": [],
            "metadata": {}, "top_p": 1.0, "temperature": 1.0, "response_format": "auto",
            "tool_resources": {},
        }),
        _ => Value::Null,
    }
}
