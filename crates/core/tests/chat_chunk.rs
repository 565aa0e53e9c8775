//! `ChatChunk` typed: every field a chunk carries, an open `finish_reason`, unknown fields kept
//! and written back; `[DONE]` and an error payload as their own events.

use serde_json::{json, Value};
use streaming_assistants_core::chat::{ChatEvent, FinishReason};

fn decode(data: &Value) -> ChatEvent {
    ChatEvent::decode("", &data.to_string(), 0).expect("decodes")
}

#[test]
fn every_field_of_a_chunk_is_typed_and_unknown_ones_are_kept() {
    let wire = json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1733000000,
        "model": "gpt-4o", "system_fingerprint": "fp_1", "service_tier": "default",
        "obfuscation": "x9Qz",
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
        "x_server": {"region": "eu"},
        "choices": [{
            "index": 1,
            "finish_reason": "eos_token",
            "logprobs": {"content": [{"token": "Hi", "logprob": -0.5, "bytes": [72, 105], "top_logprobs": []}], "refusal": null},
            "content_filter_results": {"hate": {"filtered": false}},
            "delta": {
                "role": "assistant", "content": "Hi", "refusal": "No",
                "reasoning_content": "think", "reasoning": "hm",
                "audio": {"id": "audio_1", "transcript": "Hi"},
                "tool_calls": [{"index": 2, "id": "call_1", "type": "function",
                    "function": {"name": "f", "arguments": "{\"a\":"}, "extra_content": {"google": {}}}]
            }
        }]
    });
    let ChatEvent::Chunk(chunk) = decode(&wire) else {
        panic!("not a chunk");
    };
    assert_eq!(chunk.id.as_deref(), Some("chatcmpl-1"));
    assert_eq!(chunk.object.as_deref(), Some("chat.completion.chunk"));
    assert_eq!(chunk.created, Some(1733000000));
    assert_eq!(chunk.model.as_deref(), Some("gpt-4o"));
    assert_eq!(chunk.system_fingerprint.as_deref(), Some("fp_1"));
    assert_eq!(chunk.service_tier.as_deref(), Some("default"));
    assert_eq!(chunk.obfuscation.as_deref(), Some("x9Qz"));
    assert_eq!(chunk.usage.as_ref().unwrap()["total_tokens"], 4);
    assert_eq!(chunk.extra.get("x_server"), Some(&json!({"region": "eu"})));

    let choice = &chunk.choices.as_ref().unwrap()[0];
    assert_eq!(choice.index, Some(1));
    assert_eq!(
        choice.finish_reason,
        Some(FinishReason::Unknown("eos_token".into())),
        "an open enum"
    );
    assert_eq!(
        choice.logprobs.as_ref().unwrap()["content"][0]["token"],
        "Hi"
    );
    assert!(choice.extra.get("content_filter_results").is_some());

    let delta = choice.delta.as_ref().unwrap();
    assert_eq!(delta.role.as_deref(), Some("assistant"));
    assert_eq!(delta.content.as_deref(), Some("Hi"));
    assert_eq!(delta.refusal.as_deref(), Some("No"));
    assert_eq!(delta.reasoning_content.as_deref(), Some("think"));
    assert_eq!(delta.reasoning.as_deref(), Some("hm"));
    assert_eq!(delta.audio.as_ref().unwrap()["id"], "audio_1");
    let call = &delta.tool_calls.as_ref().unwrap()[0];
    assert_eq!(call.index, Some(2));
    assert_eq!(call.id.as_deref(), Some("call_1"));
    assert_eq!(call.kind.as_deref(), Some("function"));
    let function = call.function.as_ref().unwrap();
    assert_eq!(function.name.as_deref(), Some("f"));
    assert_eq!(function.arguments.as_deref(), Some("{\"a\":"));
    assert!(call.extra.get("extra_content").is_some());

    // Written back, it is the chunk received: every field, known or not.
    assert_eq!(serde_json::to_value(&chunk).unwrap(), wire);
}

#[test]
fn known_finish_reasons_done_and_an_error_payload() {
    for (wire, reason) in [
        ("stop", FinishReason::Stop),
        ("length", FinishReason::Length),
        ("tool_calls", FinishReason::ToolCalls),
        ("content_filter", FinishReason::ContentFilter),
        ("function_call", FinishReason::FunctionCall),
    ] {
        let ChatEvent::Chunk(chunk) =
            decode(&json!({"choices": [{"index": 0, "delta": {}, "finish_reason": wire}]}))
        else {
            panic!("not a chunk");
        };
        assert_eq!(chunk.choices.unwrap()[0].finish_reason, Some(reason));
    }
    assert_eq!(ChatEvent::decode("", "[DONE]", 9).unwrap(), ChatEvent::Done);
    let ChatEvent::Error(err) =
        decode(&json!({"error": {"message": "overloaded", "type": "server_error", "code": 503}}))
    else {
        panic!("not an error");
    };
    assert_eq!(err.message.as_deref(), Some("overloaded"));
}
