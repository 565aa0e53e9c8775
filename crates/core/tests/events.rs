//! Typed events: every name, both framings, errors, endings.

use streaming_assistants_core::assistants::event::{Decoder, Ending, Error, Framing, StreamEvent};
use streaming_assistants_core::assistants::types::RunStatus;
use streaming_assistants_core::sse::{Limits, Parser};
use streaming_assistants_core::wire::protocol::Decode;

const NAMES: [&str; 23] = [
    "thread.created",
    "thread.run.created",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.requires_action",
    "thread.run.completed",
    "thread.run.incomplete",
    "thread.run.failed",
    "thread.run.cancelling",
    "thread.run.cancelled",
    "thread.run.expired",
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.run.step.delta",
    "thread.run.step.completed",
    "thread.run.step.failed",
    "thread.run.step.cancelled",
    "thread.run.step.expired",
    "thread.message.created",
    "thread.message.in_progress",
    "thread.message.delta",
    "thread.message.completed",
    "thread.message.incomplete",
];

fn decode_all(body: &[u8], chunk: usize) -> (Vec<Result<StreamEvent, Error>>, Ending) {
    let mut decoder = Decoder::new();
    let mut out = Vec::new();
    for piece in body.chunks(chunk.max(1)) {
        decoder.push(piece);
        while let Some(item) = decoder.next_event() {
            out.push(item);
        }
    }
    let ending = decoder.finish();
    (out, ending)
}

#[test]
fn every_event_name_has_its_variant() {
    for name in NAMES {
        let event = StreamEvent::decode(name, r#"{"id":"x"}"#, 0).unwrap();
        assert_eq!(event.name(), name);
        assert!(!matches!(event, StreamEvent::Unknown { .. }), "{name}");
    }
    assert_eq!(
        StreamEvent::decode("done", "[DONE]", 0).unwrap(),
        StreamEvent::Done
    );
}

#[test]
fn both_framings_give_identical_events() {
    let mut v2 = String::new();
    let mut wrapped = String::new();
    for (i, name) in NAMES.iter().enumerate() {
        let data = format!(r#"{{"id":"obj_{i}","status":"in_progress","created_at":{i}}}"#);
        v2.push_str(&format!("event: {name}\ndata: {data}\n\n"));
        wrapped.push_str(&format!(
            "data: {{\"event\":\"{name}\",\"data\":{data}}}\n\n"
        ));
    }
    let (a, _) = decode_all(v2.as_bytes(), 7);
    let (b, _) = decode_all(wrapped.as_bytes(), 3);
    assert_eq!(a.len(), NAMES.len());
    assert_eq!(a, b);
}

#[test]
fn unknown_names_are_kept_not_errors() {
    let (events, _) = decode_all(b"event: thread.run.step.pondered\ndata: {\"x\":1}\n\n", 64);
    assert_eq!(
        events,
        [Ok(StreamEvent::Unknown {
            event: "thread.run.step.pondered".into(),
            data: "{\"x\":1}".into()
        })]
    );
}

#[test]
fn malformed_json_names_the_event_and_position_and_decoding_goes_on() {
    let body = b"event: thread.run.created\ndata: {\"id\":\"run_1\"}\n\nevent: thread.message.delta\ndata: {\"id\":\n\nevent: done\ndata: [DONE]\n\n";
    let (events, ending) = decode_all(body, 5);
    assert_eq!(events.len(), 3);
    let Err(Error::Decode(err)) = &events[1] else {
        panic!("{:?}", events[1])
    };
    assert_eq!(err.event, "thread.message.delta");
    assert_eq!(err.position, 1);
    assert_eq!((err.line, err.column), (1, 6));
    assert!(err
        .to_string()
        .starts_with("could not decode `thread.message.delta` event #1"));
    assert_eq!(events[2], Ok(StreamEvent::Done));
    assert_eq!(ending, Ending::Done);
}

#[test]
fn error_event_decodes_to_the_error_object() {
    let data = r#"{"code":"server_error","message":"boom","param":null,"type":"server_error"}"#;
    let StreamEvent::Error(err) = StreamEvent::decode("error", data, 0).unwrap() else {
        panic!()
    };
    assert_eq!(err.message.as_deref(), Some("boom"));
    assert_eq!(err.kind.as_deref(), Some("server_error"));
    // Wrapped in `{"error": ...}` too.
    let StreamEvent::Error(err) =
        StreamEvent::decode("error", r#"{"error":{"message":"wrapped"}}"#, 0).unwrap()
    else {
        panic!()
    };
    assert_eq!(err.message.as_deref(), Some("wrapped"));
}

#[test]
fn endings_follow_the_protocol() {
    let run = |status: &str| {
        format!("event: thread.run.{status}\ndata: {{\"id\":\"r\",\"status\":\"{status}\"}}\n\n")
    };
    let done = "event: done\ndata: [DONE]\n\n";
    assert_eq!(
        decode_all(format!("{}{done}", run("completed")).as_bytes(), 9).1,
        Ending::Done
    );
    // Astra: no `done`, a terminal run event.
    assert_eq!(
        decode_all(run("completed").as_bytes(), 9).1,
        Ending::RunEnded(RunStatus::Completed)
    );
    assert_eq!(
        decode_all(run("requires_action").as_bytes(), 9).1,
        Ending::RunEnded(RunStatus::RequiresAction)
    );
    // Cut short: the last run event is not terminal.
    assert_eq!(
        decode_all(run("in_progress").as_bytes(), 9).1,
        Ending::Truncated { at: None }
    );
    let cut = format!(
        "{}event: thread.message.delta\ndata: {{\"id\"",
        run("in_progress")
    );
    let (events, ending) = decode_all(cut.as_bytes(), 4);
    assert_eq!(events.len(), 1, "earlier events kept");
    assert!(matches!(ending, Ending::Truncated { at: Some(_) }));
    assert!(!ending.is_clean());
}

#[test]
fn sse_limit_errors_pass_through_and_decoding_goes_on() {
    let mut decoder = Decoder::with_limits(Limits::default().max_line_len(32));
    decoder.push(b"event: x\ndata: this line is far longer than thirty-two bytes\n\nevent: done\ndata: [DONE]\n\n");
    assert!(matches!(decoder.next_event(), Some(Err(Error::Sse(_)))));
    assert_eq!(decoder.next_event(), Some(Ok(StreamEvent::Done)));
}

#[test]
fn framing_is_detected_from_the_first_event() {
    let first = |body: &[u8]| {
        let mut parser = Parser::new();
        parser.push(body);
        let event = parser.next_event().unwrap().unwrap();
        Framing::detect(&event)
    };
    assert_eq!(
        first(b"event: thread.run.created\ndata: {}\n\n"),
        Framing::V2
    );
    assert_eq!(
        first(b"data: {\"event\":\"thread.run.created\",\"data\":{}}\n\n"),
        Framing::Wrapped
    );
    assert_eq!(
        first(b"data: {\"object\":\"list\",\"data\":[]}\n\n"),
        Framing::Legacy
    );
    assert_eq!(first(b"data: []\n\n"), Framing::Legacy);
}

#[test]
fn events_serialize_as_event_and_data() {
    let event = StreamEvent::decode(
        "thread.message.delta",
        r#"{"id":"m","delta":{"content":[{"index":0,"type":"text","text":{"value":"hi"}}]}}"#,
        0,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_string(&event).unwrap(),
        r#"{"event":"thread.message.delta","data":{"id":"m","delta":{"content":[{"index":0,"type":"text","text":{"value":"hi"}}]}}}"#
    );
    assert_eq!(
        serde_json::to_string(&StreamEvent::Done).unwrap(),
        r#"{"event":"done","data":"[DONE]"}"#
    );
    let unknown = StreamEvent::Unknown {
        event: "x".into(),
        data: "{\"a\": 1}".into(),
    };
    assert_eq!(
        serde_json::to_string(&unknown).unwrap(),
        r#"{"event":"x","data":{"a": 1}}"#
    );
    let not_json = StreamEvent::Unknown {
        event: "x".into(),
        data: "plain".into(),
    };
    assert_eq!(
        serde_json::to_string(&not_json).unwrap(),
        r#"{"event":"x","data":"plain"}"#
    );
}
