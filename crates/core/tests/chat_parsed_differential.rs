//! Chat structured-output events (`chat::StructuredState`) against openai-python 3.57.0's
//! `ChatCompletionStreamState` (a response format taking any JSON, every named function tool
//! strict): the same events, in the same order, with the same values, on every recorded body
//! and on generated structured streams (several choices, tool calls, arguments and content cut
//! anywhere, whitespace, a refusal, `length`), whole and in 1- and 7-byte chunks. Nulls and
//! absent keys compare equal (the SDK's models print every field they know).

use std::path::PathBuf;
use std::process::Command;

#[path = "support/oracle.rs"]
mod oracle;

use serde_json::{json, Value};
use streaming_assistants_core::chat::{Chat, ChatEvent, StructuredState};
use streaming_assistants_core::drive::Reader;

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Drops null members, recursively: the SDK prints every field its models know.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Our events for `body` fed `chunk` bytes at a time, as `replay --parsed` prints them.
fn ours(body: &[u8], chunk: usize) -> Vec<Value> {
    let mut reader = Reader::<Chat>::new();
    let mut state = StructuredState::new();
    let mut events = Vec::new();
    for piece in body.chunks(chunk) {
        reader.push(piece);
        while let Some(event) = reader.next_event() {
            if let Ok(ChatEvent::Chunk(chunk)) = event {
                let json = serde_json::to_value(&chunk).unwrap();
                match state.handle_chunk(&json) {
                    Ok(fired) => events.extend(fired.iter().map(|e| e.to_json(&state))),
                    Err(err) => {
                        events.push(json!({ "error": err.name() }));
                        return events;
                    }
                }
            }
        }
    }
    events
}

fn sse(chunks: &[Value]) -> Vec<u8> {
    let mut body = String::new();
    for chunk in chunks {
        body.push_str(&format!("data: {chunk}\n\n"));
    }
    body.push_str("data: [DONE]\n\n");
    body.into_bytes()
}

fn chunk(choices: Value) -> Value {
    json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": choices})
}

/// Structured streams the recordings do not have.
fn generated() -> Vec<(&'static str, Vec<u8>)> {
    let answer = r#"{"rows": [{"name": "Ada \"the\" first", "score": 12.5, "tags": ["a", "b"]}, {"name": "Bob", "score": -3, "ok": true}], "note": "caf\u00e9 😀"}"#;
    let pieces = |text: &str, size: usize| -> Vec<String> {
        text.chars()
            .collect::<Vec<_>>()
            .chunks(size)
            .map(|c| c.iter().collect())
            .collect()
    };
    let content = |choice: u64, text: &str| {
        chunk(json!([{"index": choice, "delta": {"content": text}, "finish_reason": null}]))
    };
    let finish = |choice: u64, reason: &str| {
        chunk(json!([{"index": choice, "delta": {}, "finish_reason": reason}]))
    };
    let mut streams = Vec::new();

    // One choice, the answer cut every 3 characters, after a role chunk and whitespace.
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": ""}}]),
    )];
    chunks.push(content(0, "  "));
    chunks.extend(pieces(answer, 3).iter().map(|p| content(0, p)));
    chunks.push(finish(0, "stop"));
    streams.push(("one choice", sse(&chunks)));

    // Two choices interleaved, 5 and 7 characters a delta.
    let mut chunks = vec![chunk(json!([
        {"index": 0, "delta": {"role": "assistant", "content": ""}},
        {"index": 1, "delta": {"role": "assistant", "content": ""}},
    ]))];
    let (a, b) = (pieces(answer, 5), pieces(answer, 7));
    for i in 0..a.len().max(b.len()) {
        if let Some(p) = a.get(i) {
            chunks.push(content(0, p));
        }
        if let Some(p) = b.get(i) {
            chunks.push(content(1, p));
        }
    }
    chunks.push(chunk(json!([
        {"index": 0, "delta": {}, "finish_reason": "stop"},
        {"index": 1, "delta": {}, "finish_reason": "stop"},
    ])));
    streams.push(("two choices", sse(&chunks)));

    // Two tool calls, their arguments cut every 4 characters, after some content.
    let args = r#"{"city": "Edinburgh", "days": [1, 2, 3], "units": {"temp": "c"}}"#;
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": null}}]),
    )];
    chunks.push(content(0, r#"{"thinking": "#));
    chunks.push(content(0, r#""yes"}"#));
    for (i, name) in ["get_weather", "get_time"].iter().enumerate() {
        chunks.push(chunk(json!([{"index": 0, "delta": {"tool_calls": [
            {"index": i, "id": format!("call_{i}"), "type": "function", "function": {"name": name, "arguments": ""}}
        ]}}])));
        for p in pieces(args, 4) {
            chunks.push(chunk(json!([{"index": 0, "delta": {"tool_calls": [
                {"index": i, "function": {"arguments": p}}
            ]}}])));
        }
    }
    chunks.push(finish(0, "tool_calls"));
    streams.push(("tool calls", sse(&chunks)));

    // A refusal with logprobs, then a stream cut by its length limit.
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "refusal": ""}, "logprobs": {"content": null, "refusal": []}}]),
    )];
    for p in ["I'm sorry, ", "I can't ", "help."] {
        chunks.push(chunk(json!([{"index": 0, "delta": {"refusal": p}, "logprobs": {"content": null, "refusal": [{"token": p, "logprob": -0.5, "bytes": null, "top_logprobs": []}]}}])));
    }
    chunks.push(finish(0, "stop"));
    streams.push(("refusal", sse(&chunks)));
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": ""}}]),
    )];
    chunks.extend(pieces(&answer[..40], 6).iter().map(|p| content(0, p)));
    chunks.push(finish(0, "length"));
    streams.push(("length", sse(&chunks)));

    // The first chunk already carries content (never parsed), a chunk of whitespace inside,
    // and a finish reason on a chunk that also carries content.
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": "{\"a\": [1, "}}]),
    )];
    chunks.push(content(0, "2,   "));
    chunks.push(content(0, "\n  "));
    chunks.push(chunk(
        json!([{"index": 0, "delta": {"content": "3]}"}, "finish_reason": "stop"}]),
    ));
    streams.push(("content in the first chunk", sse(&chunks)));

    // The whole answer in one chunk with its finish reason (a server that does not stream).
    let chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": "{\"a\": 1}"}, "finish_reason": "stop"}]),
    )];
    streams.push(("one chunk", sse(&chunks)));

    // Choices first seen out of order (1, then 0): the SDK's event states are shared.
    let mut chunks = vec![chunk(json!([
        {"index": 1, "delta": {"role": "assistant", "content": ""}},
        {"index": 0, "delta": {"role": "assistant", "content": ""}},
    ]))];
    for p in pieces(answer, 9) {
        chunks.push(chunk(
            json!([{"index": 1, "delta": {"content": p}}, {"index": 0, "delta": {"content": p}}]),
        ));
    }
    chunks.push(chunk(json!([
        {"index": 0, "delta": {}, "finish_reason": "stop"},
        {"index": 1, "delta": {}, "finish_reason": "stop"},
    ])));
    streams.push(("choices out of order", sse(&chunks)));

    // Two argument objects run together (`{...}{...}`): jiter's partial mode ignores what
    // follows a whole value, so only the done event fails.
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "tool_calls": [
            {"index": 0, "id": "call_0", "type": "function", "function": {"name": "f", "arguments": ""}}
        ]}}]),
    )];
    for p in ["{\"a\": 1}", "{\"b\"", ": 2}"] {
        chunks.push(chunk(json!([{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": p}}]}}])));
    }
    chunks.push(finish(0, "tool_calls"));
    streams.push(("arguments run together", sse(&chunks)));

    // Content that starts with separators Python strips (U+001C..U+001F) but JSON does not
    // allow, and a content filter.
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": ""}}]),
    )];
    chunks.push(content(0, "\u{1c}"));
    chunks.push(content(0, "{}"));
    streams.push(("python whitespace", sse(&chunks)));
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": ""}}]),
    )];
    chunks.push(content(0, "{\"a\""));
    chunks.push(finish(0, "content_filter"));
    streams.push(("content filter", sse(&chunks)));

    // A second choice first named in a later chunk, with logprobs (the SDK applies them
    // twice), and a tool name given in two pieces.
    let token = |t: &str| json!({"token": t, "logprob": -0.1, "bytes": null, "top_logprobs": []});
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": ""}}]),
    )];
    chunks.push(chunk(json!([
        {"index": 0, "delta": {"content": "{}"}, "logprobs": {"content": [token("{}")], "refusal": null}},
        {"index": 1, "delta": {"role": "assistant", "content": "[1]"}, "logprobs": {"content": [token("[1]")], "refusal": null}},
    ])));
    chunks.push(chunk(json!([{"index": 1, "delta": {"content": " "}, "logprobs": {"content": [token(" ")], "refusal": null}}])));
    chunks.push(chunk(json!([
        {"index": 0, "delta": {}, "finish_reason": "stop"},
        {"index": 1, "delta": {}, "finish_reason": "stop"},
    ])));
    streams.push(("a choice named late, with logprobs", sse(&chunks)));
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "tool_calls": [
            {"index": 0, "id": "call_0", "type": "function", "function": {"name": "get_", "arguments": ""}}
        ]}}]),
    )];
    chunks.push(chunk(json!([{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"name": "weather", "arguments": "{\"a\""}}]}}])));
    chunks.push(chunk(json!([{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": ": 1}"}}]}}])));
    chunks.push(finish(0, "tool_calls"));
    streams.push(("a tool name in two pieces", sse(&chunks)));
    streams
}

#[test]
fn events_equal_openai_pythons_stream_state() {
    let Some(python) = oracle::python("events_equal_openai_pythons_stream_state") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("chat-parsed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(tests_dir().join("recordings/chat"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sse"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    files.sort();
    for (name, body) in generated() {
        let path = dir.join(format!("{}.sse", name.replace(' ', "_")));
        std::fs::write(&path, body).unwrap();
        files.push((name.to_owned(), path));
    }
    let output = Command::new(&python)
        .arg(tests_dir().join("sdk/chat_parsed.py"))
        .args(files.iter().map(|(_, p)| p))
        .output()
        .expect("run the oracle");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(expected.len(), files.len());
    for ((name, path), expected) in files.iter().zip(&expected) {
        let body = std::fs::read(path).unwrap();
        let expected = without_nulls(&expected["events"]);
        assert!(
            expected.as_array().is_some_and(|e| !e.is_empty()),
            "{name}: no events"
        );
        for size in [body.len().max(1), 1, 7] {
            let ours = without_nulls(&Value::Array(ours(&body, size)));
            if ours != expected {
                let (ours, theirs) = (ours.as_array().unwrap(), expected.as_array().unwrap());
                let at = ours
                    .iter()
                    .zip(theirs)
                    .position(|(a, b)| a != b)
                    .unwrap_or(ours.len().min(theirs.len()));
                panic!(
                    "{name} in {size}-byte chunks: event {at} differs ({} ours, {} the SDK's)\n ours: {}\n SDK:  {}",
                    ours.len(), theirs.len(),
                    ours.get(at).map_or("-".into(), Value::to_string),
                    theirs.get(at).map_or("-".into(), Value::to_string),
                );
            }
        }
    }
}
