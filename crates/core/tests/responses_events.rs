//! Responses events: dispatch on the JSON type (with or without an `event:` line), unknown
//! types and fields kept (a decode/encode round trip, proptest), both error shapes, and events
//! out of order — a typed error or kept aside, never a panic, never a lost snapshot.

use proptest::prelude::*;
use serde_json::{json, Value};
use streaming_assistants_core::responses::{
    AccumulateError, Accumulator, Decoder, EventType, ResponseEvent,
};

fn decode(data: &str) -> ResponseEvent {
    ResponseEvent::decode("message", data, 0).unwrap()
}

#[test]
fn dispatch_is_on_the_json_type_with_or_without_an_event_line() {
    let data = r#"{"type":"response.refusal.delta","sequence_number":7,"item_id":"msg_1","output_index":1,"content_index":2,"delta":"no"}"#;
    for framed in [
        format!("event: response.refusal.delta\ndata: {data}\n\n"),
        format!("data: {data}\n\n"),
    ] {
        let mut decoder = Decoder::new();
        decoder.push(framed.as_bytes());
        let event = decoder.next_event().unwrap().unwrap();
        assert_eq!(event.kind, EventType::RefusalDelta);
        assert_eq!(
            (
                event.sequence_number,
                event.output_index,
                event.content_index,
                event.item_id.as_deref()
            ),
            (Some(7), Some(1), Some(2), Some("msg_1"))
        );
    }
}

#[test]
fn both_error_shapes_and_the_end_of_the_stream() {
    let nested = decode(
        r#"{"type":"error","sequence_number":2,"error":{"type":"invalid_request_error","code":"bad","message":"nested","param":null}}"#,
    );
    let flat = decode(
        r#"{"type":"error","sequence_number":2,"code":"bad","message":"flat","param":"input"}"#,
    );
    assert_eq!(
        nested.error_object().unwrap().message.as_deref(),
        Some("nested")
    );
    let flat_error = flat.error_object().unwrap();
    assert_eq!(
        (flat_error.message.as_deref(), flat_error.param.as_deref()),
        (Some("flat"), Some("input"))
    );
    for kind in [
        EventType::Completed,
        EventType::Failed,
        EventType::Incomplete,
        EventType::Error,
    ] {
        assert!(kind.is_terminal());
    }
    assert!(!EventType::Keepalive.is_terminal());
}

#[test]
fn an_unknown_type_is_kept_with_its_json() {
    let event =
        decode(r#"{"type":"response.future_thing","sequence_number":3,"novel":{"a":[1,2]}}"#);
    assert_eq!(
        event.kind,
        EventType::Unknown("response.future_thing".into())
    );
    assert_eq!(
        serde_json::to_value(&event).unwrap()["novel"],
        json!({"a": [1, 2]})
    );
    let mut acc = Accumulator::new();
    assert!(acc.apply(&event).is_ok(), "kept aside, not an error");
}

fn created(id: &str) -> ResponseEvent {
    decode(
        &json!({"type": "response.created", "sequence_number": 0,
        "response": {"id": id, "object": "response", "status": "in_progress", "output": []}})
        .to_string(),
    )
}

#[test]
fn events_out_of_order_are_typed_errors_and_the_snapshot_stays() {
    let mut acc = Accumulator::new();
    let delta = decode(
        r#"{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"x"}"#,
    );
    assert_eq!(
        acc.apply(&delta),
        Err(AccumulateError::NotStarted {
            event: "response.output_text.delta".into()
        })
    );
    acc.apply(&created("resp_1")).unwrap();
    let before = acc.snapshot().clone();
    // A delta for an index never added.
    assert_eq!(
        acc.apply(&delta),
        Err(AccumulateError::Missing {
            what: "output",
            index: 0
        })
    );
    // A second `created`.
    assert_eq!(
        acc.apply(&created("resp_1")),
        Err(AccumulateError::AlreadyStarted)
    );
    // A lifecycle event of another response.
    let other = decode(
        &json!({"type": "response.completed", "sequence_number": 9,
        "response": {"id": "resp_2", "status": "completed", "output": []}})
        .to_string(),
    );
    assert!(matches!(
        acc.apply(&other),
        Err(AccumulateError::OtherResponse { .. })
    ));
    // An item added out of order, an item done that is another item.
    let added = decode(
        r#"{"type":"response.output_item.added","sequence_number":2,"output_index":3,"item":{"id":"msg_1","type":"message","content":[]}}"#,
    );
    assert_eq!(
        acc.apply(&added),
        Err(AccumulateError::Missing {
            what: "output",
            index: 3
        })
    );
    assert_eq!(acc.snapshot(), &before, "nothing changed");
    let added = decode(
        r#"{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","content":[]}}"#,
    );
    acc.apply(&added).unwrap();
    let done = decode(
        r#"{"type":"response.output_item.done","sequence_number":3,"output_index":0,"item":{"id":"fc_9","type":"function_call","call_id":"c","arguments":"{}"}}"#,
    );
    assert!(matches!(
        acc.apply(&done),
        Err(AccumulateError::Mismatch { .. })
    ));
    assert_eq!(acc.snapshot().output().len(), 1);
    // Huge indexes: an error, no allocation, no panic.
    let far = decode(
        r#"{"type":"response.content_part.added","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":18446744073709551615,"part":{"type":"output_text","text":""}}"#,
    );
    assert!(acc.apply(&far).is_err());
}

#[test]
fn a_completed_response_with_null_output_keeps_the_finished_items() {
    let mut acc = Accumulator::new();
    acc.apply(&created("resp_1")).unwrap();
    for data in [
        r#"{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_1","type":"message","content":[],"status":"in_progress"}}"#,
        r#"{"type":"response.output_item.done","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","content":[],"status":"completed"}}"#,
        r#"{"type":"response.completed","sequence_number":3,"response":{"id":"resp_1","status":"completed","output":null}}"#,
    ] {
        acc.apply(&decode(data)).unwrap();
    }
    assert_eq!(acc.snapshot().status(), Some("completed"));
    assert_eq!(acc.snapshot().output()[0]["status"], "completed");
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-z ]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Unknown fields (and the known ones) survive a decode/encode round trip, whatever the type.
    #[test]
    fn unknown_fields_survive_a_round_trip(
        kind in prop_oneof![Just("response.output_text.delta".to_owned()), Just("response.created".to_owned()), Just("error".to_owned()), "[a-z.]{1,20}"],
        extra in prop::collection::btree_map("x_[a-z]{1,6}", json_value(), 0..4),
        sequence in any::<u64>(),
    ) {
        let mut object = serde_json::Map::new();
        object.insert("type".into(), json!(kind));
        object.insert("sequence_number".into(), json!(sequence));
        for (key, value) in &extra {
            object.insert(key.clone(), value.clone());
        }
        let data = Value::Object(object);
        let event = ResponseEvent::decode("message", &data.to_string(), 0).unwrap();
        let again = serde_json::to_value(&event).unwrap();
        prop_assert_eq!(again, data);
    }
}
