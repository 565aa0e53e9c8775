//! The lenient rule on each deviation of `docs/chat.md` (from `CHAT.md`'s table), one test per
//! server, with bodies shaped like that server's; and what the strict rule does on them.

use serde_json::{json, Value};
use streaming_assistants_core::chat::{
    AccumulateError, Accumulator, Chat, ChatEvent, Decoded, Rule,
};
use streaming_assistants_core::drive::{Reader, StreamError, Verdict};
use streaming_assistants_core::wire::protocol::Decode;

/// Frames `chunks` as data-only SSE (with `extra` lines before each), then `[DONE]`.
fn body(chunks: &[Value], extra: &str) -> String {
    let mut out = String::new();
    for chunk in chunks {
        out.push_str(extra);
        out.push_str(&format!("data: {chunk}\n\n"));
    }
    out.push_str("data: [DONE]\n\n");
    out
}

fn complete(body: &str, rule: Rule) -> (Value, Vec<StreamError>) {
    let mut reader = Reader::<Chat>::new();
    let mut acc = Accumulator::new(rule);
    let mut errors = Vec::new();
    for piece in body.as_bytes().chunks(5) {
        reader.push(piece);
        while let Some(item) = reader.next_item() {
            match item {
                Ok(Decoded::Chunk(chunk)) => acc.apply_json(&chunk).expect("applies"),
                Ok(Decoded::Content(delta)) => acc.apply_content(&delta).expect("applies"),
                Ok(_) => {}
                Err(err) => errors.push(err),
            }
        }
    }
    assert!(reader.end().is_none());
    assert_eq!(reader.verdict(), Some(Verdict::Clean));
    (acc.completion().expect("a completion"), errors)
}

fn lenient(body: &str) -> Value {
    complete(body, Rule::Lenient).0
}

#[test]
fn openai_audio_chunks_without_choices_and_a_late_choice() {
    let chunks = [
        json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-audio",
            "choices": [{"index": 0, "delta": {"role": "assistant", "audio": {"id": "audio_1", "transcript": "Hel"}}}]}),
        json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-audio"}),
        json!({"id": "c1", "choices": [{"index": 0, "delta": {"audio": {"id": "audio_1", "data": "AAA", "transcript": "lo"}}}]}),
        json!({"id": "c1", "choices": [], "usage": {"total_tokens": 9}}),
        json!({"id": "c1", "choices": [{"index": 0, "delta": {"audio": {"id": "audio_1", "data": "BBB", "expires_at": 5}}}]}),
    ];
    let done = lenient(&body(&chunks, ""));
    let audio = &done["choices"][0]["message"]["audio"];
    assert_eq!(
        audio,
        &json!({"id": "audio_1", "data": "AAABBB", "transcript": "Hello", "expires_at": 5})
    );
    assert_eq!(done["usage"]["total_tokens"], 9);
    // `expires_at` came with other audio fields: not the closing delta (openai-node's rule).
    assert_eq!(done["choices"][0]["finish_reason"], Value::Null);

    // An `expires_at`-only delta closes whole audio: "stop", by both rules.
    let closing =
        json!({"id": "c1", "choices": [{"index": 0, "delta": {"audio": {"expires_at": 6}}}]});
    let closed = [&chunks[..], std::slice::from_ref(&closing)].concat();
    for rule in [Rule::Lenient, Rule::Strict] {
        let (done, _) = complete(&body(&closed, ""), rule);
        assert_eq!(done["choices"][0]["finish_reason"], "stop", "{rule:?}");
    }
    // A delta after the closing one reopens the choice.
    let reopened = [&closed[..], &[chunks[2].clone()]].concat();
    assert_eq!(
        lenient(&body(&reopened, ""))["choices"][0]["finish_reason"],
        Value::Null
    );
    // Audio without data is not whole: still no finish_reason.
    let partial = [chunks[0].clone(), closing];
    assert_eq!(
        lenient(&body(&partial, ""))["choices"][0]["finish_reason"],
        Value::Null
    );
}

#[test]
fn azure_empty_first_chunk_filter_only_choices_and_duplicate_tool_ids() {
    let chunks = [
        json!({"id": "", "object": "", "created": 0, "model": "", "choices": [], "prompt_filter_results": [{"prompt_index": 0}]}),
        json!({"id": "chatcmpl-az", "object": "chat.completion.chunk", "created": 7, "model": "gpt-4o",
            "choices": [{"index": 0, "delta": {"role": "assistant", "tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{\"a\""}}]}}]}),
        json!({"id": "chatcmpl-az", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "call_1", "function": {"arguments": ":1}"}}]}}]}),
        json!({"id": "chatcmpl-az", "choices": [{"index": 0, "finish_reason": "tool_calls", "delta": {}}]}),
        json!({"id": "chatcmpl-az", "choices": [{"index": 0, "content_filter_results": {"hate": {"filtered": false}}}]}),
    ];
    let done = lenient(&body(&chunks, ""));
    assert_eq!(
        (done["id"].as_str(), done["model"].as_str()),
        (Some("chatcmpl-az"), Some("gpt-4o"))
    );
    let call = &done["choices"][0]["message"]["tool_calls"][0];
    assert_eq!(
        call["id"], "call_1",
        "a repeated id is replaced, not appended (call_1call_1)"
    );
    assert_eq!(call["function"]["arguments"], "{\"a\":1}");
    assert_eq!(
        done["choices"][0]["content_filter_results"]["hate"]["filtered"],
        false
    );
    assert_eq!(done["choices"][0]["finish_reason"], "tool_calls");
}

#[test]
fn gemini_parallel_calls_all_at_index_0_or_without_index() {
    let chunks = [
        json!({"id": "g1", "object": "chat.completion.chunk", "created": 1, "model": "gemini",
            "choices": [{"index": 0, "delta": {"role": "assistant", "tool_calls": [
                {"index": 0, "id": "call_a", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}, "extra_content": {"google": {"thought": true}}}]}}]}),
        json!({"id": "g1", "choices": [{"index": 0, "delta": {"tool_calls": [
                {"index": 0, "id": "call_b", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Rome\"}"}}]}}]}),
        json!({"id": "g1", "choices": [{"index": 0, "delta": {"tool_calls": [
                {"id": "call_c", "type": "function", "function": {"name": "time", "arguments": "{}"}}]}}]}),
        json!({"id": "g1", "choices": [{"index": 0, "finish_reason": "stop", "delta": {}}]}),
    ];
    let done = lenient(&body(&chunks, ""));
    let calls = done["choices"][0]["message"]["tool_calls"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = calls.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["call_a", "call_b", "call_c"]);
    assert_eq!(calls[1]["function"]["arguments"], "{\"city\":\"Rome\"}");
    assert_eq!(
        calls[0]["extra_content"]["google"]["thought"], true,
        "unknown fields kept"
    );
    // The strict rule (as the SDKs) merges every call at index 0 into one.
    let (strict, _) = complete(&body(&chunks[..2], ""), Rule::Strict);
    assert_eq!(
        strict["choices"][0]["message"]["tool_calls"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn gemini_parallel_calls_with_a_null_index_and_an_empty_id() {
    let call = |name: &str, arguments: &str| {
        json!({"index": null, "id": "", "type": "function",
            "function": {"name": name, "arguments": arguments}})
    };
    let chunks = [
        json!({"id": "g2", "object": "chat.completion.chunk", "created": 1, "model": "gemini",
            "choices": [{"index": 0, "delta": {"role": "assistant", "tool_calls": [call("weather", "{\"city\":\"Paris\"}")]}}]}),
        json!({"id": "g2", "choices": [{"index": 0, "delta": {"tool_calls": [call("weather", "{\"city\":\"Rome\"}")]}}]}),
        json!({"id": "g2", "choices": [{"index": 0, "delta": {"tool_calls": [call("time", "{}")]}}]}),
        json!({"id": "g2", "choices": [{"index": 0, "finish_reason": "stop", "delta": {}}]}),
    ];
    let done = lenient(&body(&chunks, ""));
    let calls = done["choices"][0]["message"]["tool_calls"]
        .as_array()
        .unwrap();
    let found: Vec<(&str, &str)> = calls
        .iter()
        .map(|c| {
            let f = &c["function"];
            (
                f["name"].as_str().unwrap(),
                f["arguments"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("weather", "{\"city\":\"Paris\"}"),
            ("weather", "{\"city\":\"Rome\"}"),
            ("time", "{}")
        ]
    );
    // A continuation without index or id (arguments only) still extends the last call.
    let pieces = [
        chunks[0].clone(),
        json!({"id": "g2", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": null, "id": "", "function": {"arguments": ", more"}}]}}]}),
    ];
    let done = lenient(&body(&pieces, ""));
    let calls = done["choices"][0]["message"]["tool_calls"]
        .as_array()
        .unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0]["function"]["arguments"],
        "{\"city\":\"Paris\"}, more"
    );
}

#[test]
fn ollama_whole_calls_without_index_and_reasoning() {
    let chunks = [
        json!({"id": "o1", "object": "chat.completion.chunk", "created": 1, "model": "llama3",
            "choices": [{"index": 0, "delta": {"role": "assistant", "reasoning": "Think", "content": ""}}]}),
        json!({"id": "o1", "choices": [{"index": 0, "delta": {"reasoning": "ing."}}]}),
        json!({"id": "o1", "choices": [{"index": 0, "delta": {"tool_calls": [{"id": "call_x", "function": {"name": "f", "arguments": "{}"}}]}}]}),
        json!({"id": "o1", "choices": [{"index": 0, "delta": {"tool_calls": [{"id": "call_y", "function": {"name": "g", "arguments": "{\"b\":2}"}}]}}]}),
        json!({"id": "o1", "choices": [{"index": 0, "finish_reason": "tool_calls", "delta": {}}]}),
    ];
    let done = lenient(&body(&chunks, ""));
    let message = &done["choices"][0]["message"];
    assert_eq!(message["reasoning"], "Thinking.");
    let names: Vec<&str> = message["tool_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["function"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["f", "g"]);
}

#[test]
fn vllm_reasoning_content_empty_tool_lists_usage_everywhere_and_an_error() {
    let chunks = [
        json!({"id": "v1", "object": "chat.completion.chunk", "created": 1, "model": "qwen",
            "choices": [{"index": 0, "delta": {"role": "assistant", "reasoning_content": "Hm", "tool_calls": []}}], "usage": {"total_tokens": 1}}),
        json!({"id": "v1", "choices": [{"index": 0, "delta": {"content": "Hi", "tool_calls": []}}], "usage": {"total_tokens": 2}}),
        json!({"id": "v1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": {"total_tokens": 3}}),
        json!({"error": {"message": "engine overloaded", "type": "server_error", "code": 503}}),
    ];
    let (done, errors) = complete(&body(&chunks, ""), Rule::Lenient);
    let message = &done["choices"][0]["message"];
    assert_eq!(
        (
            message["reasoning_content"].as_str(),
            message["content"].as_str()
        ),
        (Some("Hm"), Some("Hi"))
    );
    assert!(
        message.get("tool_calls").is_none(),
        "an empty list changes nothing"
    );
    assert_eq!(done["usage"]["total_tokens"], 3);
    assert!(
        matches!(&errors[..], [StreamError::ErrorEvent(e)] if e.message.as_deref() == Some("engine overloaded"))
    );
    let mut decoder = streaming_assistants_core::chat::Decoder::new();
    decoder.push(format!("data: {}\n\n", chunks[3]).as_bytes());
    assert!(matches!(
        decoder.next_event(),
        Some(Ok(ChatEvent::Error(_)))
    ));
}

#[test]
fn llamacpp_repeated_names_and_arguments_from_the_first_delta() {
    let chunks = [
        json!({"id": "l1", "object": "chat.completion.chunk", "created": 1, "model": "local",
            "choices": [{"index": 0, "delta": {"role": "assistant", "tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"loc"}}]}}]}),
        json!({"id": "l1", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"name": "get_weather", "arguments": "ation\":1}"}}]}}]}),
        json!({"id": "l1", "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}], "usage": {"total_tokens": 4}}),
    ];
    let done = lenient(&body(&chunks, ""));
    let call = &done["choices"][0]["message"]["tool_calls"][0];
    assert_eq!(
        call["function"]["name"], "get_weather",
        "replaced, not getget"
    );
    assert_eq!(call["function"]["arguments"], "{\"location\":1}");
    assert_eq!(done["usage"]["total_tokens"], 4);
}

#[test]
fn litellm_choices_by_their_index_never_by_position() {
    let chunks = [
        json!({"id": "x", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 1, "delta": {"role": "assistant", "content": "second"}}]}),
        json!({"id": "x", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "first"}}]}),
        json!({"id": "x", "choices": [{"index": 1, "delta": {}, "finish_reason": "stop"}, {"index": 0, "delta": {}, "finish_reason": "length"}]}),
    ];
    let done = lenient(&body(&chunks, ""));
    assert_eq!(done["choices"][0]["message"]["content"], "first");
    assert_eq!(done["choices"][1]["message"]["content"], "second");
    assert_eq!(done["choices"][0]["finish_reason"], "length");
}

#[test]
fn openrouter_two_finish_reasons_and_comments() {
    let chunks = [
        json!({"id": "r", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "ok"}}]}),
        json!({"id": "r", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}),
        json!({"id": "r", "choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]}),
    ];
    let done = lenient(&body(&chunks, ": OPENROUTER PROCESSING\n\n"));
    assert_eq!(
        done["choices"][0]["finish_reason"], "length",
        "the last non-empty reason"
    );
    assert_eq!(done["choices"][0]["message"]["content"], "ok");
}

#[test]
fn others_empty_reason_other_object_name_and_a_late_null_usage() {
    let chunks = [
        json!({"id": "o", "object": "chat.completions.chunk", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "x"}, "finish_reason": ""}]}),
        json!({"id": "o", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}),
        // An empty reason after the real one is no reason: "stop" stays.
        json!({"id": "o", "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": ""}]}),
        json!({"id": "o", "choices": [], "usage": {"total_tokens": 5}}),
        json!({"id": "o", "choices": [], "usage": null}),
    ];
    let done = lenient(&body(&chunks, ""));
    assert_eq!(done["object"], "chat.completion");
    assert_eq!(
        done["usage"]["total_tokens"], 5,
        "a null never erases a usage already seen"
    );
    assert_eq!(done["choices"][0]["finish_reason"], "stop");
    // The strict rule erases it, as openai-node does.
    let (strict, _) = complete(&body(&chunks, ""), Rule::Strict);
    assert!(strict["usage"].is_null());
}

#[test]
fn huge_indexes_are_typed_errors_not_allocations() {
    let mut acc = Accumulator::new(Rule::Lenient);
    let far_choice =
        json!({"id": "h", "choices": [{"index": 1_000_000, "delta": {"content": "x"}}]});
    assert!(matches!(
        acc.apply_json(&far_choice),
        Err(AccumulateError::BadIndex { what: "choice", .. })
    ));
    let far_tool = json!({"id": "h", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 4_294_967_296_u64, "id": "c"}]}}]});
    assert!(matches!(
        acc.apply_json(&far_tool),
        Err(AccumulateError::BadIndex {
            what: "tool call",
            ..
        })
    ));
    assert!(acc.snapshot().is_none(), "nothing applied");
}
