//! The Responses API's WebSocket connection, without a socket: every recorded stream replayed
//! as frames gives the SSE path's final `Response` (on the default lane, and on two named lanes
//! interleaved); a busy lane refuses a create before anything is sent; closes, drops, `error`
//! frames of both shapes, connection-level errors, steering acknowledgements, unknown events
//! and buffer budgets each end or continue a lane as documented.

use std::path::PathBuf;

use serde_json::{json, Value};
use streaming_assistants_core::drive::websocket::{
    Closed, Connection, End, Lane, LaneError, LanePoll, Limits,
};
use streaming_assistants_core::drive::{Error, StreamError};
use streaming_assistants_core::prelude::*;
use streaming_assistants_core::responses::{
    Accumulator, Decoder, EventType, ResponseEvent, ResponseRequest,
};

fn recordings() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recordings/responses");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sse"))
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    files
}

/// The JSON data of each event of an SSE body, and the SSE path's final response.
fn sse_path(body: &[u8]) -> (Vec<String>, Value) {
    let mut decoder = Decoder::new();
    decoder.push(body);
    let mut frames = Vec::new();
    let mut acc = Accumulator::new();
    while let Some(event) = decoder.next_event() {
        let event = event.unwrap();
        if event.kind == EventType::Unknown("[DONE]".into()) {
            continue;
        }
        frames.push(serde_json::to_string(&event).unwrap());
        let _ = acc.apply(&event);
    }
    (frames, acc.into_snapshot().into_value())
}

fn with_stream_id(frame: &str, id: &str) -> String {
    let mut value: Value = serde_json::from_str(frame).unwrap();
    value["stream_id"] = json!(id);
    value.to_string()
}

/// Reads `lane` until it is idle: its events and errors.
fn drain(connection: &mut Connection, lane: &Lane) -> Vec<Result<ResponseEvent, Error>> {
    let mut out = Vec::new();
    while let LanePoll::Event(item) = connection.poll(lane) {
        out.push(item);
    }
    out
}

fn without_stream_id(mut response: Value) -> Value {
    if let Some(fields) = response.as_object_mut() {
        fields.remove("stream_id");
    }
    response
}

#[test]
fn every_recording_as_frames_gives_the_sse_response() {
    for path in recordings() {
        let (frames, expected) = sse_path(&std::fs::read(&path).unwrap());
        let mut connection = Connection::default();
        let lane = connection.default_lane();
        connection
            .create(&lane, &ResponseRequest::new("m").input("x"))
            .unwrap();
        for frame in &frames {
            connection.receive(frame).unwrap();
        }
        let items = drain(&mut connection, &lane);
        assert_eq!(items.len(), frames.len(), "{}", path.display());
        let got = serde_json::to_value(connection.response(&lane).unwrap()).unwrap();
        assert_eq!(got, expected, "{}", path.display());
        assert!(!connection.is_in_flight(&lane));
    }
}

#[test]
fn two_lanes_interleaved_each_give_their_own_sse_response() {
    let files = recordings();
    let (a_frames, a_expected) = sse_path(&std::fs::read(&files[4]).unwrap());
    let (b_frames, b_expected) = sse_path(&std::fs::read(&files[6]).unwrap());
    let mut connection = Connection::default();
    let (a, b) = (
        connection.lane("a").unwrap(),
        connection.lane("b.2").unwrap(),
    );
    let request = ResponseRequest::new("m");
    assert!(connection
        .create(&a, &request)
        .unwrap()
        .contains(r#""stream_id":"a""#));
    connection.create(&b, &request).unwrap();
    let (mut ai, mut bi) = (a_frames.iter(), b_frames.iter());
    loop {
        let (x, y) = (ai.next(), bi.next());
        if x.is_none() && y.is_none() {
            break;
        }
        for (frame, id) in [(x, "a"), (y, "b.2")] {
            if let Some(frame) = frame {
                connection.receive(&with_stream_id(frame, id)).unwrap();
            }
        }
    }
    // Lane b is read first: a's events wait in its queue.
    assert!(drain(&mut connection, &b).iter().all(Result::is_ok));
    assert!(drain(&mut connection, &a).iter().all(Result::is_ok));
    for (lane, expected) in [(&a, a_expected), (&b, b_expected)] {
        let got = serde_json::to_value(connection.response(lane).unwrap()).unwrap();
        assert_eq!(without_stream_id(got), expected);
    }
}

#[test]
fn a_second_create_on_a_busy_lane_is_refused_before_sending() {
    let mut connection = Connection::default();
    let lane = connection.default_lane();
    let request = ResponseRequest::new("m");
    connection.create(&lane, &request).unwrap();
    assert_eq!(
        connection.create(&lane, &request),
        Err(LaneError::Busy(None))
    );
    assert!(matches!(connection.poll(&lane), LanePoll::Read));
    connection
        .receive(r#"{"type":"response.completed","sequence_number":0,"response":{"id":"r","status":"completed","output":[]}}"#)
        .unwrap();
    drain(&mut connection, &lane);
    assert!(
        connection.create(&lane, &request).is_ok(),
        "free after its terminal event"
    );
    assert!(matches!(
        connection.lane("bad id"),
        Err(LaneError::InvalidStreamId(_))
    ));
    connection.lane("x").unwrap();
    assert!(matches!(connection.lane("x"), Err(LaneError::Duplicate(_))));
    let mut small = Connection::new(Limits::default().max_lanes(2));
    small.lane("one").unwrap();
    assert_eq!(small.lane("two"), Err(LaneError::TooManyLanes(2)));
}

const CREATED: &str = r#"{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress","output":[]}}"#;
const DELTA: &str = r#"{"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hel"}"#;

#[test]
fn a_close_before_the_terminal_event_truncates_the_lanes_in_flight() {
    for end in [
        End::Closed(Closed::new(Some(1000), "bye")),
        End::Dropped("connection reset".into()),
    ] {
        let mut connection = Connection::default();
        let lane = connection.default_lane();
        let idle = connection.lane("idle").unwrap();
        connection
            .create(&lane, &ResponseRequest::new("m"))
            .unwrap();
        connection.receive(CREATED).unwrap();
        connection.ended(end.clone());
        let items = drain(&mut connection, &lane);
        assert_eq!(items.len(), 2);
        let Err(err @ Error::Truncated { at, .. }) = &items[1] else {
            panic!("{items:?}")
        };
        assert_eq!(*at, CREATED.len() as u64);
        assert!(err.to_string().contains(&end.to_string()), "{err}");
        assert!(drain(&mut connection, &idle).is_empty());
        assert_eq!(
            connection.create(&lane, &ResponseRequest::new("m")),
            Err(LaneError::Closed)
        );
        connection.reconnected();
        assert!(connection.create(&lane, &ResponseRequest::new("m")).is_ok());
    }
}

#[test]
fn error_frames_of_both_shapes_end_the_lane_with_their_code() {
    let flat = r#"{"type":"error","sequence_number":2,"code":"server_error","message":"boom","param":null}"#;
    let nested = r#"{"type":"error","status":400,"stream_id":"a","error":{"type":"invalid_request_error","code":"previous_response_not_found","message":"Previous response with id 'resp_x' not found.","param":"previous_response_id"}}"#;
    for (frame, lane_name, code) in [
        (flat, None, "server_error"),
        (nested, Some("a"), "previous_response_not_found"),
    ] {
        let mut connection = Connection::default();
        let lane = match lane_name {
            Some(name) => connection.lane(name).unwrap(),
            None => connection.default_lane(),
        };
        connection
            .create(&lane, &ResponseRequest::new("m"))
            .unwrap();
        connection.receive(frame).unwrap();
        let items = drain(&mut connection, &lane);
        let [Err(Error::Stream(StreamError::ErrorEvent(err)))] = items.as_slice() else {
            panic!("{items:?}")
        };
        assert_eq!(err.code.as_deref(), Some(code));
        assert!(!connection.is_in_flight(&lane));
    }
}

#[test]
fn an_error_naming_no_lane_goes_to_the_default_lane_only() {
    // As openai-python routes it: named lanes are not touched.
    let mut connection = Connection::default();
    let a = connection.lane("a").unwrap();
    connection.create(&a, &ResponseRequest::new("m")).unwrap();
    connection.receive(&with_stream_id(CREATED, "a")).unwrap();
    connection
        .receive(r#"{"type":"error","status":429,"error":{"type":"invalid_request_error","code":"websocket_connection_limit_reached","message":"Too many"}}"#)
        .unwrap();
    assert_eq!(drain(&mut connection, &a).len(), 1);
    assert!(connection.is_in_flight(&a), "lane a's response goes on");
    let default = connection.default_lane();
    let items = drain(&mut connection, &default);
    assert!(
        matches!(&items[..], [Err(Error::Stream(StreamError::ErrorEvent(e)))] if e.code.as_deref() == Some("websocket_connection_limit_reached"))
    );
}

#[test]
fn an_unregistered_lanes_events_change_nothing_on_the_default_lane() {
    let mut connection = Connection::default();
    let default = connection.default_lane();
    connection
        .create(&default, &ResponseRequest::new("m"))
        .unwrap();
    connection.receive(CREATED).unwrap();
    let foreign_error = r#"{"type":"error","stream_id":"nobody","error":{"type":"server_error","code":"x","message":"not yours"}}"#;
    connection.receive(foreign_error).unwrap();
    connection
        .receive(&with_stream_id(CREATED, "nobody"))
        .unwrap();
    let items = drain(&mut connection, &default);
    assert_eq!(items.len(), 3, "seen raw on the default lane");
    assert!(
        connection.is_in_flight(&default),
        "the default lane's response goes on"
    );
    connection
        .receive(r#"{"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","status":"completed","output":[]}}"#)
        .unwrap();
    assert_eq!(drain(&mut connection, &default).len(), 1);
    assert!(!connection.is_in_flight(&default));
    assert_eq!(
        connection.response(&default).unwrap().id.as_deref(),
        Some("resp_1")
    );
}

#[test]
fn an_undecodable_frame_still_goes_to_its_lane() {
    let mut connection = Connection::default();
    let a = connection.lane("a").unwrap();
    let b = connection.lane("b").unwrap();
    connection.create(&a, &ResponseRequest::new("m")).unwrap();
    connection.create(&b, &ResponseRequest::new("m")).unwrap();
    // `sequence_number` must be a number: the event does not decode, its `stream_id` routes it.
    connection
        .receive(r#"{"type":"response.output_text.delta","sequence_number":"x","stream_id":"b"}"#)
        .unwrap();
    assert!(drain(&mut connection, &a).is_empty());
    let items = drain(&mut connection, &b);
    assert!(
        matches!(&items[..], [Err(Error::Stream(StreamError::Decode(_)))]),
        "{items:?}"
    );
}

#[test]
fn a_reconnect_drops_what_the_old_connection_left_queued() {
    let mut connection = Connection::default();
    let lane = connection.default_lane();
    connection
        .create(&lane, &ResponseRequest::new("m"))
        .unwrap();
    connection.receive(CREATED).unwrap();
    connection.ended(End::Dropped("reset".into()));
    connection.reconnected();
    assert!(matches!(connection.poll(&lane), LanePoll::Idle));
    connection
        .create(&lane, &ResponseRequest::new("m"))
        .unwrap();
    assert!(
        matches!(connection.poll(&lane), LanePoll::Read),
        "no old truncation ends it"
    );
}

#[test]
fn an_accepted_steers_successor_is_the_lanes_next_response() {
    let mut connection = Connection::default();
    let lane = connection.lane("a").unwrap();
    connection
        .create(&lane, &ResponseRequest::new("m"))
        .unwrap();
    let completed = |id: &str| {
        with_stream_id(
            &format!(
                r#"{{"type":"response.completed","sequence_number":1,"response":{{"id":"{id}","status":"completed","output":[]}}}}"#
            ),
            "a",
        )
    };
    connection.receive(&with_stream_id(CREATED, "a")).unwrap();
    connection.receive(&completed("resp_1")).unwrap();
    let successor = CREATED.replace("resp_1", "resp_2");
    connection
        .receive(&with_stream_id(&successor, "a"))
        .unwrap();
    // Read up to the first terminal event: the successor already arrived, so the lane is busy.
    for _ in 0..2 {
        assert!(matches!(connection.poll(&lane), LanePoll::Event(Ok(_))));
    }
    assert!(connection.is_in_flight(&lane));
    assert_eq!(
        connection.create(&lane, &ResponseRequest::new("m")),
        Err(LaneError::Busy(Some("a".into())))
    );
    connection.receive(&completed("resp_2")).unwrap();
    assert_eq!(drain(&mut connection, &lane).len(), 2);
    assert!(!connection.is_in_flight(&lane));
    assert_eq!(
        connection.response(&lane).unwrap().id.as_deref(),
        Some("resp_2")
    );
}

#[test]
fn an_interrupted_summary_part_decodes() {
    // `status: "incomplete"` on `reasoning_summary_part.done` (the WebSocket `status` field
    // is a number on `error`s: both decode).
    let frame = r#"{"type":"response.reasoning_summary_part.done","sequence_number":5,"item_id":"rs_1","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":"x"},"status":"incomplete"}"#;
    let mut connection = Connection::default();
    let lane = connection.default_lane();
    connection
        .create(&lane, &ResponseRequest::new("m"))
        .unwrap();
    connection.receive(frame).unwrap();
    assert!(
        matches!(connection.poll(&lane), LanePoll::Event(Ok(e)) if e.status == Some(json!("incomplete")))
    );
}

#[test]
fn steering_acknowledgements_unknown_events_and_unregistered_lanes_are_kept() {
    let mut connection = Connection::default();
    let lane = connection.lane("a").unwrap();
    connection
        .create(&lane, &ResponseRequest::new("m"))
        .unwrap();
    connection.receive(&with_stream_id(CREATED, "a")).unwrap();
    connection
        .receive(r#"{"type":"response.steer.accepted","sequence_number":1,"stream_id":"a","steer":{"id":"steer_1","previous_response_id":"resp_1"}}"#)
        .unwrap();
    connection
        .receive(r#"{"type":"response.future_thing","stream_id":"a","x":1}"#)
        .unwrap();
    connection.receive(&with_stream_id(CREATED, "zzz")).unwrap();
    let items = drain(&mut connection, &lane);
    let kinds: Vec<_> = items
        .iter()
        .map(|i| i.as_ref().unwrap().kind.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            EventType::Created,
            EventType::SteerAccepted,
            EventType::Unknown("response.future_thing".into())
        ]
    );
    assert_eq!(
        items[1].as_ref().unwrap().steer.as_ref().unwrap()["id"],
        "steer_1"
    );
    // The unregistered lane's event went to the default lane, and started nothing there.
    let default = connection.default_lane();
    assert_eq!(drain(&mut connection, &default).len(), 1);
    assert!(connection.response(&default).is_none());
}

#[test]
fn without_set_up_events_the_finalized_items_fill_an_omitted_output() {
    let item = json!({"id": "msg_1", "type": "message", "role": "assistant", "status": "completed",
        "content": [{"type": "output_text", "text": "Hello", "annotations": []}]});
    let frames = [
        CREATED.to_owned(),
        DELTA.to_owned(),
        json!({"type": "response.output_item.done", "sequence_number": 4, "output_index": 0, "item": item}).to_string(),
        r#"{"type":"response.incomplete","sequence_number":5,"response":{"id":"resp_1","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}}"#.to_owned(),
    ];
    let mut connection = Connection::default();
    let lane = connection.default_lane();
    connection
        .create(&lane, &ResponseRequest::new("m"))
        .unwrap();
    for frame in &frames {
        connection.receive(frame).unwrap();
    }
    assert!(drain(&mut connection, &lane).iter().all(Result::is_ok));
    let response = connection.response(&lane).unwrap();
    assert_eq!(
        serde_json::to_value(&response).unwrap()["status"],
        "incomplete"
    );
    assert_eq!(
        serde_json::to_value(&response).unwrap()["output"],
        json!([item])
    );
}

#[test]
fn the_fallback_fills_a_completed_or_failed_response_without_output() {
    let item = json!({"id": "msg_1", "type": "message", "role": "assistant", "status": "completed",
        "content": [{"type": "output_text", "text": "Hi", "annotations": []}]});
    for terminal in [
        r#"{"type":"response.completed","sequence_number":5,"response":{"id":"resp_1","status":"completed","output":null}}"#,
        r#"{"type":"response.failed","sequence_number":5,"response":{"id":"resp_1","status":"failed"}}"#,
    ] {
        let mut connection = Connection::default();
        let lane = connection.default_lane();
        connection
            .create(&lane, &ResponseRequest::new("m"))
            .unwrap();
        // No `output_item.added`: the SSE accumulator rejects the delta, the fallback takes over.
        for frame in [CREATED.to_owned(), DELTA.to_owned(),
            json!({"type": "response.output_item.done", "sequence_number": 4, "output_index": 0, "item": item}).to_string(),
            terminal.to_owned()] {
            connection.receive(&frame).unwrap();
        }
        drain(&mut connection, &lane);
        let response = serde_json::to_value(connection.response(&lane).unwrap()).unwrap();
        assert_eq!(response["output"], json!([item]), "{terminal}");
    }
}

#[test]
fn a_lane_past_its_budget_ends_the_connection_with_a_capacity_error() {
    let mut connection = Connection::new(Limits::default().per_lane(2, 1 << 20));
    let a = connection.lane("a").unwrap();
    let b = connection.lane("b").unwrap();
    connection.create(&a, &ResponseRequest::new("m")).unwrap();
    connection.create(&b, &ResponseRequest::new("m")).unwrap();
    connection.receive(&with_stream_id(CREATED, "b")).unwrap();
    connection.receive(&with_stream_id(DELTA, "b")).unwrap();
    let err = connection.receive(&with_stream_id(DELTA, "b")).unwrap_err();
    assert_eq!(err.limit, "max_events_per_lane");
    let items = drain(&mut connection, &a);
    assert!(
        matches!(&items[..], [Err(Error::Stream(StreamError::Capacity(_)))]),
        "{items:?}"
    );
    // Lane b keeps what it had, then the same error.
    let items = drain(&mut connection, &b);
    assert_eq!(items.len(), 3);
    assert!(items[2].is_err());
}

#[test]
fn invalid_frames_are_decode_errors_in_the_lane_in_flight() {
    let mut connection = Connection::default();
    let a = connection.lane("a").unwrap();
    connection.create(&a, &ResponseRequest::new("m")).unwrap();
    connection.receive("{not json").unwrap();
    connection.receive_binary(&[0xff, 0xfe]).unwrap();
    let items = drain(&mut connection, &a);
    assert_eq!(items.len(), 2);
    assert!(items
        .iter()
        .all(|i| matches!(i, Err(Error::Stream(StreamError::Decode(_))))));
    assert!(
        connection.is_in_flight(&a),
        "a bad frame does not end the response"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any interleaving of two lanes' frames, and any order of reading the lanes (each read
    /// after any number of frames), gives each lane the SSE path's response: routing and
    /// queueing never change a lane's events.
    #[test]
    fn any_interleaving_gives_each_lane_its_sse_response(
        order in proptest::collection::vec(proptest::prelude::any::<(bool, bool)>(), 0..400)
    ) {
        let files = recordings();
        let (a_frames, a_expected) = sse_path(&std::fs::read(&files[1]).unwrap());
        let (b_frames, b_expected) = sse_path(&std::fs::read(&files[5]).unwrap());
        let mut connection = Connection::default();
        let (a, b) = (connection.lane("a").unwrap(), connection.lane("b").unwrap());
        connection.create(&a, &ResponseRequest::new("m")).unwrap();
        connection.create(&b, &ResponseRequest::new("m")).unwrap();
        let (mut ai, mut bi) = (a_frames.iter(), b_frames.iter());
        let (mut a_seen, mut b_seen) = (0, 0);
        let mut steps = order.into_iter().chain(std::iter::repeat((true, false)));
        while a_seen < a_frames.len() || b_seen < b_frames.len() {
            let (take_a, read) = steps.next().unwrap();
            let next = if take_a { ai.next().map(|f| (f, "a")) } else { None }
                .or_else(|| bi.next().map(|f| (f, "b")))
                .or_else(|| ai.next().map(|f| (f, "a")));
            if let Some((frame, id)) = next {
                connection.receive(&with_stream_id(frame, id)).unwrap();
            }
            if read {
                let lane = if take_a { &a } else { &b };
                let seen = drain(&mut connection, lane);
                proptest::prop_assert!(seen.iter().all(Result::is_ok));
                *(if take_a { &mut a_seen } else { &mut b_seen }) += seen.len();
            }
            if next.is_none() {
                a_seen += drain(&mut connection, &a).len();
                b_seen += drain(&mut connection, &b).len();
            }
        }
        for (lane, expected) in [(&a, &a_expected), (&b, &b_expected)] {
            let got = serde_json::to_value(connection.response(lane).unwrap()).unwrap();
            proptest::prop_assert_eq!(&without_stream_id(got), expected);
        }
    }
}
