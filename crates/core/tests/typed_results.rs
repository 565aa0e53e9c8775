//! The typed results (`responses::Response`, `chat::ChatCompletion`) on every recorded and
//! synthetic body: read from the accumulated JSON they give back exactly that JSON (nulls,
//! unknown fields and all), every documented item type is typed (never `Unknown`), and a field
//! sent with another type than documented is kept, not an error. And on random objects: any
//! JSON object round-trips.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use streaming_assistants_core::chat::{self, ChatCompletion};
use streaming_assistants_core::drive::Reader;
use streaming_assistants_core::responses::{self, OutputItem, Response, ResponseStatus, Responses};
use streaming_assistants_core::wire::protocol::Accumulate;

fn bodies(dir: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/recordings")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sse"))
        .collect();
    files.sort();
    files
}

fn response_of(file: &Path) -> responses::Snapshot {
    let mut reader = Reader::<Responses>::new();
    let mut acc = responses::Accumulator::new();
    reader.push(&std::fs::read(file).unwrap());
    while let Some(item) = reader.next_item() {
        if let Ok(item) = item {
            let _ = acc.apply_decoded(&item);
        }
    }
    acc.into_snapshot()
}

#[test]
fn every_responses_body_reads_typed_and_writes_back_the_same_json() {
    let files = bodies("responses");
    assert!(files.len() >= 10, "{}", files.len());
    let mut items = 0;
    for file in files {
        let snapshot = response_of(&file);
        let json = snapshot.clone().into_value();
        if json.is_null() {
            continue;
        }
        let typed = snapshot.into_response();
        assert_eq!(typed.to_value(), json, "{}", file.display());
        for item in typed.output() {
            items += 1;
            assert!(
                !matches!(item, OutputItem::Unknown(_)),
                "{}: {item:?}",
                file.display()
            );
        }
        assert!(typed.id().is_some_and(|id| id.starts_with("resp_")));
        assert!(
            !matches!(typed.status(), Some(ResponseStatus::Unknown(_))),
            "{}",
            file.display()
        );
    }
    assert!(items >= 10, "items typed: {items}");
}

#[test]
fn every_chat_body_reads_typed_and_writes_back_the_same_json() {
    for rule in [chat::Rule::Lenient, chat::Rule::Strict] {
        for file in bodies("chat") {
            let mut reader = Reader::<chat::Chat>::new();
            let mut acc = chat::Accumulator::new(rule);
            reader.push(&std::fs::read(&file).unwrap());
            while let Some(item) = reader.next_item() {
                if let Ok(item) = item {
                    let _ = acc.apply_item(&item);
                }
            }
            let json = acc.completion().expect("a completion");
            let typed = acc.into_completion();
            assert_eq!(typed.to_value(), json, "{}", file.display());
            assert!(!typed.choices().is_empty(), "{}", file.display());
            assert!(typed.choices().iter().all(|c| c.message.is_some()));
        }
    }
}

#[test]
fn the_accessors_read_the_typed_fields() {
    let response = Response::from_map(obj(json!({
        "id": "resp_1", "object": "response", "status": "completed", "created_at": 1.5,
        "output": [
            {"type": "reasoning", "id": "rs_1", "summary": []},
            {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f",
                "arguments": "{\"a\":1}"},
            {"type": "message", "id": "msg_1", "role": "assistant", "content": [
                {"type": "output_text", "text": "Hel", "annotations": []},
                {"type": "refusal", "refusal": "no"},
                {"type": "output_text", "text": "lo", "annotations": []}]},
            {"type": "web_search_call", "id": "ws_1", "status": "completed"},
            {"type": "brand_new_item", "id": "x_1"}
        ],
        "usage": {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5},
        "x_new_field": {"kept": true}
    })));
    assert_eq!(response.output_text(), "Hello");
    let calls = response.function_calls();
    assert_eq!((calls.len(), calls[0].name.as_str()), (1, "f"));
    assert!(matches!(response.output()[3], OutputItem::WebSearchCall(_)));
    assert_eq!(response.output()[4].kind(), Some("brand_new_item"));
    assert!(matches!(response.output()[4], OutputItem::Unknown(_)));
    assert_eq!(response.usage.as_ref().unwrap().total_tokens, Some(5));
    assert_eq!(response.extra["x_new_field"], json!({"kept": true}));

    let completion = ChatCompletion::from_map(obj(json!({
        "id": "c", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [
            {"index": 1, "finish_reason": "stop", "logprobs": null,
                "message": {"role": "assistant", "content": "other"}},
            {"index": 0, "finish_reason": "tool_calls", "logprobs": null,
                "message": {"role": "assistant", "content": null, "refusal": null,
                    "tool_calls": [{"id": "call_1", "type": "function",
                        "function": {"name": "f", "arguments": "{}"}}]}}
        ]
    })));
    assert_eq!(
        completion
            .choice(1)
            .unwrap()
            .message
            .as_ref()
            .unwrap()
            .content
            .as_deref(),
        Some("other")
    );
    assert_eq!(completion.content(), None, "choice 0 has no text");
    assert_eq!(completion.tool_calls()[0].id.as_deref(), Some("call_1"));
    assert_eq!(
        completion
            .choice(0)
            .unwrap()
            .finish_reason
            .as_ref()
            .unwrap()
            .as_str(),
        "tool_calls"
    );
}

/// A server's deviation is kept, never an error: the field stays in `extra`, as sent.
#[test]
fn a_field_of_another_type_is_kept_as_sent() {
    let sent = json!({"id": 5, "status": ["odd"], "output": "not a list", "created_at": "x",
        "usage": {"input_tokens": -1, "total_tokens": 1.5}});
    let response = Response::from_map(obj(sent.clone()));
    assert_eq!(response.id, None);
    assert_eq!(response.extra["id"], 5);
    assert!(response.output().is_empty());
    assert_eq!(response.to_value(), sent);
    let sent = json!({"choices": [{"index": "0", "message": 7}, 3], "created": 1e3});
    let completion = ChatCompletion::from_map(obj(sent.clone()));
    assert_eq!(completion.to_value(), sent);
}

fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => panic!("an object"),
    }
}

/// JSON values, nested, with keys drawn from the typed fields' names and others.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-z_]{0,6}".prop_map(Value::from),
        prop_oneof![
            Just("message"),
            Just("function_call"),
            Just("output_text"),
            Just("refusal"),
            Just("reasoning"),
            Just("completed"),
            Just("stop")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop_oneof![
            Just("id"),
            Just("type"),
            Just("status"),
            Just("output"),
            Just("content"),
            Just("text"),
            Just("usage"),
            Just("choices"),
            Just("message"),
            Just("index"),
            Just("tool_calls"),
            Just("function"),
            Just("logprobs"),
            Just("created"),
            Just("created_at"),
            Just("total_tokens"),
            Just("finish_reason"),
            Just("audio"),
            Just("bytes"),
            Just("summary"),
            Just("arguments")
        ]
        .prop_map(str::to_owned),
        "x_[a-z]{1,3}",
    ]
}

proptest! {
    #[test]
    fn any_object_round_trips(pairs in prop::collection::vec((key(), json_value()), 0..10)) {
        let map: Map<String, Value> = pairs.into_iter().collect();
        let sent = Value::Object(map.clone());
        prop_assert_eq!(Response::from_map(map.clone()).to_value(), sent.clone());
        prop_assert_eq!(ChatCompletion::from_map(map.clone()).to_value(), sent.clone());
        prop_assert_eq!(serde_json::to_value(OutputItem::from_map(map)).unwrap(), sent);
    }
}
