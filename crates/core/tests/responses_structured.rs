//! Responses structured output (`responses::StructuredState`): the text's value grows with
//! each delta in both partial modes; `response.output_text.done` is parsed by openai-python's
//! rule (a `commentary` message is not the answer; no phase or `final_answer` is), and
//! `response.completed` carries the first parsed answer as `output_parsed`.

use serde_json::{json, Value};
use streaming_assistants_core::chat::StructuredError;
use streaming_assistants_core::json::PartialMode;
use streaming_assistants_core::responses::StructuredState;

/// Applies `event` and writes it out as `replay --parsed` does.
fn handle(state: &mut StructuredState, event: &Value) -> Result<Option<Value>, StructuredError> {
    Ok(state
        .handle_event(event)?
        .map(|fired| fired.to_json(event, state)))
}

fn added(out: u64, phase: Option<&str>) -> Value {
    let mut item = json!({"type": "message", "id": format!("msg_{out}"), "content": []});
    if let Some(phase) = phase {
        item["phase"] = json!(phase);
    }
    json!({"type": "response.output_item.added", "output_index": out, "item": item})
}

fn delta(out: u64, text: &str) -> Value {
    json!({"type": "response.output_text.delta", "output_index": out, "content_index": 0, "delta": text})
}

fn done(out: u64, text: &str) -> Value {
    json!({"type": "response.output_text.done", "output_index": out, "content_index": 0, "text": text})
}

#[test]
fn the_answer_grows_then_is_parsed_by_the_sdks_rule() {
    for (mode, unfinished) in [
        (PartialMode::On, json!({"a": [1]})),
        (PartialMode::TrailingStrings, json!({"a": [1], "b": "x"})),
    ] {
        let mut state = StructuredState::with_mode(mode);
        assert_eq!(
            handle(&mut state, &added(0, Some("commentary"))).unwrap(),
            None
        );
        // Commentary: its deltas carry their value, its done event no `parsed`.
        handle(&mut state, &delta(0, "{\"thinking\": 1}")).unwrap();
        let event = handle(&mut state, &done(0, "{\"thinking\": 1}"))
            .unwrap()
            .unwrap();
        assert_eq!(event["parsed"], Value::Null);
        handle(&mut state, &added(1, Some("final_answer"))).unwrap();
        handle(&mut state, &delta(1, "{\"a\": [1], ")).unwrap();
        let event = handle(&mut state, &delta(1, "\"b\": \"x"))
            .unwrap()
            .unwrap();
        assert_eq!(event["parsed"], unfinished, "{mode:?}");
        assert_eq!(event["snapshot"], "{\"a\": [1], \"b\": \"x");
        assert_eq!(state.parsed_text(1, 0), Some(&unfinished));
        let whole = "{\"a\": [1], \"b\": \"xy\"}";
        let event = handle(&mut state, &done(1, whole)).unwrap().unwrap();
        assert_eq!(event["parsed"], json!({"a": [1], "b": "xy"}));
        let completed = json!({"type": "response.completed", "response": {"id": "resp_1"}});
        let event = handle(&mut state, &completed).unwrap().unwrap();
        assert_eq!(event["output_parsed"], json!({"a": [1], "b": "xy"}));
        assert_eq!(event["response"]["id"], "resp_1");
    }
}

#[test]
fn a_final_answer_that_is_not_json_is_the_sdks_error() {
    let mut state = StructuredState::new();
    handle(&mut state, &added(0, None)).unwrap();
    handle(&mut state, &delta(0, "Hello")).unwrap();
    assert_eq!(
        handle(&mut state, &done(0, "Hello")),
        Err(StructuredError::InvalidJson)
    );
    // Events without structured fields pass by.
    let created = json!({"type": "response.created", "response": {"id": "resp_1"}});
    assert_eq!(handle(&mut state, &created).unwrap(), None);
}
