//! Responses events: dispatch on the JSON type (with or without an `event:` line), unknown
//! types and fields kept (a decode/encode round trip, proptest), both error shapes, and events
//! out of order — a typed error or kept aside, never a panic, never a lost snapshot; a
//! `keepalive` in the middle of a real stream changes nothing.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{json, Value};
use streaming_assistants_core::drive::{Reader, Verdict};
use streaming_assistants_core::responses::{
    AccumulateError, Accumulator, Decoded, Decoder, EventType, ResponseEvent, Responses, Snapshot,
};
use streaming_assistants_core::wire::protocol::Decode;

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

/// A real body (`tests/recordings/responses/`, see PROVENANCE.md).
fn recording(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recordings/responses");
    std::fs::read_to_string(dir.join(name)).expect("recording")
}

/// `body` with a `keepalive` after its first `at` events, as the service sends one on a long
/// request (`{"type":"keepalive","sequence_number":466}`): it takes the next sequence number,
/// and the events after it are numbered on from there.
fn with_keepalive(body: &str, at: usize, event_line: bool) -> String {
    let mut out = String::new();
    for (k, event) in body.split_inclusive("\n\n").enumerate() {
        if k == at {
            if event_line {
                out.push_str("event: keepalive\n");
            }
            out.push_str(&format!(
                "data: {{\"type\":\"keepalive\",\"sequence_number\":{at}}}\n\n"
            ));
        }
        if k < at {
            out.push_str(event);
        } else {
            let (old, new) = (
                format!("\"sequence_number\":{k},"),
                format!("\"sequence_number\":{},", k + 1),
            );
            assert!(event.contains(&old), "event {k}: {event}");
            out.push_str(&event.replacen(&old, &new, 1));
        }
    }
    out
}

/// Through the transports' pump and the borrowed hot path: the snapshot, the verdict, and the
/// sequence numbers of the `keepalive` events seen. Every event must apply.
fn pump(body: &[u8], chunk: usize) -> (Snapshot, Option<Verdict>, Vec<Option<u64>>) {
    let mut reader = Reader::<Responses>::new();
    let mut acc = Accumulator::new();
    let mut keepalives = Vec::new();
    for piece in body.chunks(chunk.max(1)) {
        reader.push(piece);
        while let Some(item) = reader.next_item() {
            let item = item.expect("decodes");
            if let Decoded::Event(event) = &item {
                if event.kind == EventType::Keepalive {
                    keepalives.push(event.sequence_number);
                }
            }
            acc.apply_decoded(&item).expect("applies");
        }
    }
    let _ = reader.end();
    (acc.into_snapshot(), reader.verdict(), keepalives)
}

#[test]
fn a_keepalive_mid_stream_changes_nothing_and_the_stream_ends_cleanly() {
    let body = recording("resp_dotnet_HelloWorldStreaming_gpt_4o_mini__65d5703f__e0.sse");
    let events: Vec<&str> = body.split_inclusive("\n\n").collect();
    // Among the output text deltas: the message is half written.
    let at = 8;
    assert!(events[at - 1].starts_with("event: response.output_text.delta"));
    let (expected, verdict, _) = pump(body.as_bytes(), body.len());
    assert_eq!(verdict, Some(Verdict::Clean));
    let before: usize = events[..at].iter().map(|e| e.len()).sum();
    let (expected_before, _, _) = pump(&body.as_bytes()[..before], before);
    assert_ne!(expected_before, expected);
    // With and without its `event:` line (dispatch is on the JSON type).
    for event_line in [true, false] {
        let with = with_keepalive(&body, at, event_line);
        assert_eq!(with.split_inclusive("\n\n").count(), events.len() + 1);
        for chunk in [with.len(), 1, 7] {
            let (snapshot, verdict, keepalives) = pump(with.as_bytes(), chunk);
            assert_eq!(keepalives, [Some(at as u64)], "{chunk}-byte chunks");
            assert_eq!(snapshot, expected, "{chunk}-byte chunks");
            assert_eq!(verdict, Some(Verdict::Clean), "{chunk}-byte chunks");
        }
        // Cut right after the keepalive: the snapshot is the one before it, and the stream is
        // truncated there.
        let end = with
            .split_inclusive("\n\n")
            .take(at + 1)
            .map(str::len)
            .sum::<usize>();
        let (snapshot, verdict, keepalives) = pump(&with.as_bytes()[..end], 7);
        assert_eq!(keepalives.len(), 1);
        assert_eq!(snapshot, expected_before);
        assert_eq!(verdict, Some(Verdict::Truncated { at: end as u64 }));
        // The owned path: the keepalive is decoded, typed, applied (changing nothing), and
        // the decoder still sees the end.
        let mut decoder = Decoder::new();
        let mut acc = Accumulator::new();
        decoder.push(with.as_bytes());
        let mut kinds = Vec::new();
        while let Some(event) = decoder.next_event() {
            let event = event.expect("decodes");
            let unchanged = acc.snapshot().clone();
            acc.apply(&event).expect("applies");
            if event.kind == EventType::Keepalive {
                assert_eq!(acc.snapshot(), &unchanged);
            }
            kinds.push(event.kind);
        }
        assert!(decoder.finish_at().complete);
        assert_eq!(kinds[at], EventType::Keepalive);
        assert_eq!(kinds.last(), Some(&EventType::Completed));
        assert_eq!(acc.snapshot(), &expected);
    }
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
