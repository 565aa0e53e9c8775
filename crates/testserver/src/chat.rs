//! The scripted model of Chat Completions: a script entry (text, reasoning, a tool call, how
//! it ends) becomes the chunks a server streams — OpenAI's, or one of the dialects that bend
//! the format (`Dialect::Azure`, `Gemini`, `Ollama`, `Vllm`, `LlamaCpp`).

use serde_json::{json, Value};

use crate::script::{RunEnd, RunScript};
use crate::store::Store;
use crate::Dialect;

/// The built-in model when the script has no entry left: call the request's first function
/// tool; once a `tool` message answers it, or with no tool, reply with a short text.
pub(crate) fn default_script(body: &Value) -> RunScript {
    let messages = body.get("messages").and_then(Value::as_array);
    let answered = messages
        .into_iter()
        .flatten()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("tool"))
        .and_then(|m| m.get("content").and_then(Value::as_str));
    let tool = body
        .get("tools")
        .and_then(Value::as_array)
        .and_then(|t| t.first())
        .and_then(|t| t.get("function")?.get("name")?.as_str());
    match (tool, answered) {
        (_, Some(output)) => RunScript::text(["The forecast says ", output, "."]),
        (Some(name), None) => {
            RunScript::text(Vec::<String>::new()).call(name, ["{\"location\": ", "\"Paris\"}"])
        }
        (None, None) => RunScript::text(["Hello", "! How can I ", "help you today?"]),
    }
}

/// The body: the chunks of the stream (each a `data:` frame), in order, ending with `[DONE]`
/// (or an error payload); and the whole completion for a request that does not stream.
pub(crate) fn play(
    store: &mut Store,
    body: &Value,
    script: &RunScript,
    dialect: Dialect,
) -> (Vec<String>, Value) {
    let id = store.id("chatcmpl");
    let created = store.now();
    let model = body.get("model").cloned().unwrap_or(Value::Null);
    let usage_wanted = body
        .get("stream_options")
        .and_then(|o| o.get("include_usage"))
        .and_then(Value::as_bool)
        == Some(true);
    let usage = json!({"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19});
    let filters = json!({"hate": {"filtered": false, "severity": "safe"}});
    let chunk = |choices: Value| {
        let mut chunk = json!({"id": id, "object": "chat.completion.chunk", "created": created,
            "model": model, "system_fingerprint": "fp_test", "choices": choices});
        if dialect == Dialect::Vllm {
            chunk["usage"] = usage.clone();
        }
        chunk
    };
    let choice = |delta: Value, finish: Value| {
        let mut choice =
            json!({"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish});
        if dialect == Dialect::Azure {
            choice["content_filter_results"] = filters.clone();
        }
        choice
    };
    let mut chunks: Vec<Value> = Vec::new();
    if dialect == Dialect::Azure {
        chunks.push(
            json!({"id": "", "object": "", "created": 0, "model": "", "choices": [],
            "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": filters}]}),
        );
    }
    chunks.push(chunk(json!([choice(
        json!({"role": "assistant", "content": ""}),
        Value::Null
    )])));
    for piece in &script.reasoning {
        let key = if dialect == Dialect::Ollama {
            "reasoning"
        } else {
            "reasoning_content"
        };
        chunks.push(chunk(json!([choice(json!({ key: piece }), Value::Null)])));
    }
    let mut message = json!({"role": "assistant", "content": null, "refusal": null});
    let finish;
    if let Some(call) = &script.tool_call {
        let call_id = store.id("call");
        let arguments = call.arguments.concat();
        match dialect {
            Dialect::Gemini | Dialect::Ollama => {
                let mut whole = json!({"id": call_id, "type": "function",
                    "function": {"name": call.name, "arguments": arguments}});
                if dialect == Dialect::Gemini {
                    whole["extra_content"] = json!({"google": {"thought_signature": "sig"}});
                }
                chunks.push(chunk(json!([choice(
                    json!({"tool_calls": [whole]}),
                    Value::Null
                )])));
            }
            _ => {
                for (i, piece) in call.arguments.iter().enumerate() {
                    let mut delta = json!({"index": 0, "function": {"arguments": piece}});
                    if i == 0 || dialect == Dialect::Azure {
                        delta["id"] = json!(call_id);
                        delta["type"] = json!("function");
                    }
                    if i == 0 || dialect == Dialect::LlamaCpp {
                        delta["function"]["name"] = json!(call.name);
                    }
                    if i == 0 && dialect != Dialect::LlamaCpp {
                        // OpenAI's first tool delta carries the name and no arguments yet.
                        chunks.push(chunk(json!([choice(
                            json!({"tool_calls": [{"index": 0, "id": call_id, "type": "function",
                                "function": {"name": call.name, "arguments": ""}}]}),
                            Value::Null
                        )])));
                        delta = json!({"index": 0, "function": {"arguments": piece}});
                        if dialect == Dialect::Azure {
                            delta["id"] = json!(call_id);
                        }
                    }
                    chunks.push(chunk(json!([choice(
                        json!({"tool_calls": [delta]}),
                        Value::Null
                    )])));
                }
            }
        }
        message["tool_calls"] = json!([{"id": call_id, "type": "function",
            "function": {"name": call.name, "arguments": arguments}}]);
        finish = if dialect == Dialect::Gemini {
            "stop"
        } else {
            "tool_calls"
        };
    } else {
        for piece in &script.text {
            let mut delta = json!({"content": piece});
            if dialect == Dialect::Vllm {
                delta["tool_calls"] = json!([]);
            }
            chunks.push(chunk(json!([choice(delta, Value::Null)])));
        }
        message["content"] = json!(script.text.concat());
        finish = match script.end {
            Some(RunEnd::Incomplete { .. }) => "length",
            _ => "stop",
        };
    }
    if let Some(RunEnd::ErrorEvent { message } | RunEnd::Failed { message, .. }) = &script.end {
        let error = json!({"error": {"message": message, "type": "server_error", "param": null, "code": "server_error"}});
        let mut frames: Vec<String> = chunks.iter().map(frame).collect();
        frames.push(frame(&error));
        return (frames, error);
    }
    let mut last = chunk(json!([choice(json!({}), json!(finish))]));
    if dialect == Dialect::LlamaCpp {
        last["usage"] = usage.clone();
    }
    chunks.push(last);
    if dialect == Dialect::Azure {
        chunks.push(chunk(
            json!([{"index": 0, "finish_reason": null, "content_filter_results": filters}]),
        ));
    }
    if usage_wanted && dialect != Dialect::Vllm && dialect != Dialect::LlamaCpp {
        let mut tail = chunk(json!([]));
        tail["usage"] = usage.clone();
        chunks.push(tail);
    }
    let mut frames: Vec<String> = chunks.iter().map(frame).collect();
    frames.push("data: [DONE]\n\n".to_owned());
    let completion = json!({"id": id, "object": "chat.completion", "created": created,
        "model": model, "system_fingerprint": "fp_test",
        "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish}],
        "usage": usage});
    (frames, completion)
}

fn frame(chunk: &Value) -> String {
    format!("data: {chunk}\n\n")
}
