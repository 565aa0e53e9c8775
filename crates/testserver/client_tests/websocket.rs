// The Responses API over one WebSocket, written once in async form and played by both clients
// (see `responses.rs` for how): against a raw WebSocket server replaying recorded Responses
// events as frames (the same final `Response` as the SSE path; a close, a drop, `error` frames
// and a refused upgrade each a clear error, the key in none), and against the test server (a
// tool loop on one connection, two lanes at once, a busy lane, the cache of a connection, the
// idle timeout, a reconnect).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use serde_json::json;
use streaming_assistants_core::drive::Timeouts;
use streaming_assistants_core::drive::websocket::{LaneError, Reconnect};
use streaming_assistants_core::responses::{Accumulator, Decoder, EventType};
use streaming_assistants_core::wire::protocol::Decode;
use streaming_assistants_testserver::raw_websocket::{Ending, RawWebSocketServer, Reply};
use streaming_assistants_testserver::{Cut, Delivery, RunScript};

const KEY: &str = "sk-websocket-secret";

fn recording(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/recordings/responses");
    std::fs::read(dir.join(name)).expect("recording")
}

/// A recording's events as frames, and what the SSE path accumulates them to.
fn frames_and_expected(name: &str) -> (Vec<String>, serde_json::Value) {
    let mut decoder = Decoder::new();
    decoder.push(&recording(name));
    let mut acc = Accumulator::new();
    let mut frames = Vec::new();
    while let Some(event) = decoder.next_event() {
        let event = event.unwrap();
        acc.apply(&event).unwrap();
        frames.push(serde_json::to_string(&event).unwrap());
    }
    (frames, acc.into_snapshot().into_value())
}

fn ws_client(base_url: &str) -> Client {
    Client::new(Config::new(KEY).base_url(base_url)).unwrap()
}

fn no_key(err: &Error) {
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(KEY), "{shown}");
}

const RECORDED: [&str; 4] = [
    "resp_dotnet_HelloWorldStreaming_gpt_4o_mini__65d5703f__e0.sse",
    "resp_dotnet_FunctionCallStreamingWorks__33db028a__e0.sse",
    "resp_dotnet_StreamingResponsesWithReasoningSummaryAsync__87964c3b__e0.sse",
    "responses_synthetic_refusal_incomplete_no_output.sse",
];

client_test! {
    async fn recorded_events_as_frames_give_the_sse_response() {
        let replies = RECORDED
            .iter()
            .map(|name| Reply::Frames(frames_and_expected(name).0, Ending::Open))
            .collect();
        let server = RawWebSocketServer::start(replies);
        for name in RECORDED {
            let client = ws_client(&server.base_url());
            let mut connection = client.responses().connect().await.unwrap();
            let request = ResponseRequest::new("gpt-4o-mini").input("Hi").background(true);
            let response = connection.create(&request).await.unwrap().into_response().await.unwrap();
            assert_eq!(response.into_value(), frames_and_expected(name).1, "{name}");
        }
        let sent: serde_json::Value = serde_json::from_str(&server.received()[0]).unwrap();
        assert_eq!(sent, json!({"type": "response.create", "model": "gpt-4o-mini", "input": "Hi"}));
    }
}

client_test! {
    async fn a_close_mid_response_is_a_truncation_with_the_text_so_far() {
        let (frames, _) = frames_and_expected(RECORDED[0]);
        let half = frames[..frames.len() / 2].to_vec();
        let server = RawWebSocketServer::start(vec![
            Reply::Frames(half.clone(), Ending::Close(1000)),
            Reply::Frames(half, Ending::Drop),
        ]);
        for expected in ["code 1000", "dropped"] {
            let client = ws_client(&server.base_url());
            let mut connection = client.responses().connect().await.unwrap();
            let mut text = connection.create(&ResponseRequest::new("m")).await.unwrap().text();
            let mut got = String::new();
            let err = loop {
                match text.next().await {
                    Some(Ok(piece)) => got.push_str(&piece),
                    Some(Err(err)) => break err,
                    None => panic!("a clean end"),
                }
            };
            assert!(err.is_truncated(), "{err}");
            assert!(err.to_string().contains(expected), "{err}");
            assert!(!got.is_empty(), "the text before the close is kept");
            no_key(&err);
            assert!(text.next().await.is_none());
        }
    }
}

client_test! {
    async fn error_frames_of_both_shapes_end_with_their_code() {
        let nested = json!({"type": "error", "status": 400, "error": {"type": "invalid_request_error",
            "code": "previous_response_not_found", "message": "Previous response with id 'resp_x' not found.",
            "param": "previous_response_id"}}).to_string();
        let flat = json!({"type": "error", "sequence_number": 3, "code": "server_error",
            "message": "The model failed.", "param": null}).to_string();
        let server = RawWebSocketServer::start(vec![
            Reply::Frames(vec![nested], Ending::Open),
            Reply::Frames(vec![flat], Ending::Open),
        ]);
        for code in ["previous_response_not_found", "server_error"] {
            let client = ws_client(&server.base_url());
            let mut connection = client.responses().connect().await.unwrap();
            let err = connection
                .create(&ResponseRequest::new("m"))
                .await
                .unwrap()
                .into_response()
                .await
                .unwrap_err();
            assert_eq!(err.error_object().and_then(|e| e.code.as_deref()), Some(code), "{err}");
            no_key(&err);
        }
    }
}

client_test! {
    async fn a_refused_upgrade_is_the_apis_error() {
        let body = json!({"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
            "code": "invalid_api_key", "param": null}}).to_string();
        let server = RawWebSocketServer::start(vec![Reply::Refuse(401, body)]);
        let client = ws_client(&server.base_url());
        let err = client.responses().connect().await.unwrap_err();
        assert_eq!(err.status(), Some(401), "{err}");
        assert_eq!(err.api_error().and_then(|e| e.code()), Some("invalid_api_key"));
        no_key(&err);
    }
}

client_test! {
    async fn a_tool_loop_runs_over_one_connection() {
        let server = serve(Script::new()).await;
        let client = ws_client(&server.base_url());
        let tools = json!([{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}]);
        let request = ResponseRequest::new("m").input("Weather in Paris?").tools(tools).store(false);
        let mut connection = client.responses().connect().await.unwrap();
        let asked = Arc::new(AtomicU32::new(0));
        let counter = asked.clone();
        let mut turns = connection.run_with_tools(&request, async move |call: &streaming_assistants_core::responses::FunctionCall| {
            counter.fetch_add(1, Ordering::SeqCst);
            assert_eq!(call.name, "get_weather");
            "sunny".to_owned()
        });
        let mut texts = String::new();
        while let Some(event) = turns.next().await {
            if let Some(text) = event.unwrap().output_text_delta() {
                texts.push_str(text);
            }
        }
        assert_eq!(turns.turns(), 2);
        let response = turns.into_response().await.unwrap();
        assert_eq!(response.output_text(), "The forecast says sunny.");
        assert_eq!(texts, "The forecast says sunny.");
        assert_eq!(asked.load(Ordering::SeqCst), 1);
        assert_eq!(server.websocket_connections(), 1);
        assert_eq!(connection.connections_opened(), 1);
    }
}

client_test! {
    async fn two_lanes_stream_at_once_and_a_busy_lane_refuses_a_create() {
        let slow = Delivery { pause_ms: Some(5), ..Delivery::default() };
        let server = serve(Script::new().default_delivery(slow)).await;
        let client = ws_client(&server.base_url());
        let mut connection = client.responses().connect().await.unwrap();
        let a = connection.lane("a").unwrap();
        let b = connection.lane("b").unwrap();
        connection.send(&a, &ResponseRequest::new("m").input("one")).await.unwrap();
        connection.send(&b, &ResponseRequest::new("m").input("two")).await.unwrap();
        let busy = connection.send(&a, &ResponseRequest::new("m")).await.unwrap_err();
        assert!(matches!(busy, Error::Lane(LaneError::Busy(_))), "{busy}");
        let rb = connection.events(&b).into_response().await.unwrap();
        let ra = connection.events(&a).into_response().await.unwrap();
        assert_ne!(ra.id, rb.id);
        assert_eq!(ra.output_text(), "Hello! How can I help you today?");
        assert_eq!(rb.output_text(), ra.output_text());
        // Lane a's events waited in its queue while b was read.
        assert!(connection.send(&a, &ResponseRequest::new("m")).await.is_ok());
        assert_eq!(server.websocket_connections(), 1);
    }
}

client_test! {
    async fn a_store_false_response_is_not_found_on_a_new_connection() {
        let server = serve(Script::new()).await;
        let client = ws_client(&server.base_url());
        let mut first = client.responses().connect().await.unwrap();
        let request = ResponseRequest::new("m").input("Hi").store(false);
        let response = first.create(&request).await.unwrap().into_response().await.unwrap();
        let next = ResponseRequest::new("m").input("Again").previous_response_id(response.id.clone().unwrap());
        assert!(first.create(&next).await.unwrap().into_response().await.is_ok(), "the connection's cache");
        let mut second = client.responses().connect().await.unwrap();
        let err = second.create(&next).await.unwrap().into_response().await.unwrap_err();
        assert_eq!(err.error_object().and_then(|e| e.code.as_deref()), Some("previous_response_not_found"));
    }
}

client_test! {
    async fn a_silent_server_is_an_idle_timeout_and_the_connection_stays() {
        let slow = Delivery { pause_ms: Some(400), ..Delivery::default() };
        let server = serve(Script::new().run(RunScript::text(["a", "b"]).delivered(slow))).await;
        let timeouts = Timeouts::default().idle(Duration::from_millis(100));
        let client = Client::with_timeouts(Config::new(KEY).base_url(server.base_url()), timeouts).unwrap();
        let mut connection = client.responses().connect().await.unwrap();
        let mut events = connection.create(&ResponseRequest::new("m")).await.unwrap();
        let first = events.next().await.unwrap().unwrap();
        assert_eq!(first.kind, EventType::Created);
        let err = events.next().await.unwrap().unwrap_err();
        assert!(err.is_timeout(), "{err}");
        pause(Duration::from_millis(500)).await;
        assert!(events.next().await.unwrap().is_ok(), "reading goes on after a timeout");
    }
}

client_test! {
    async fn a_dropped_connection_is_reopened_for_the_next_create() {
        let cut = Delivery { cut: Some(Cut::AfterEvents(3)), ..Delivery::default() };
        let server = serve(Script::new().run(RunScript::text(["a", "b"]).delivered(cut))).await;
        let client = ws_client(&server.base_url());
        let asked = Arc::new(AtomicU32::new(0));
        let counter = asked.clone();
        let options = streaming_assistants_core::drive::websocket::Options::default().reconnect(
            Reconnect::new(2, Duration::from_millis(10), Duration::from_millis(20)),
            move |event| {
                assert_eq!(event.close_code, 1006);
                counter.fetch_add(1, Ordering::SeqCst);
                true
            },
        );
        let mut connection = client.responses().connect_with(options).await.unwrap();
        let err = connection.create(&ResponseRequest::new("m")).await.unwrap().into_response().await.unwrap_err();
        assert!(err.is_truncated(), "{err}");
        let response = connection.create(&ResponseRequest::new("m")).await.unwrap().into_response().await.unwrap();
        assert_eq!(response.output_text(), "Hello! How can I help you today?");
        assert_eq!((connection.connections_opened(), asked.load(Ordering::SeqCst)), (2, 1));
        assert_eq!(server.websocket_connections(), 2);
    }
}

client_test! {
    async fn the_upgrade_carries_the_configs_headers_and_query_and_pings_are_answered() {
        let (frames, expected) = frames_and_expected(RECORDED[0]);
        let server = RawWebSocketServer::start(vec![Reply::Frames(frames, Ending::Open)]);
        let config = Config::new(KEY)
            .base_url(server.base_url())
            .header("OpenAI-Organization", "org_1")
            .header("OpenAI-Project", "proj_1")
            .query("api-version", "2026-12-01");
        let client = Client::new(config).unwrap();
        let mut connection = client.responses().connect().await.unwrap();
        let response = connection.create(&ResponseRequest::new("m")).await.unwrap().into_response().await.unwrap();
        assert_eq!(response.into_value(), expected);
        let upgrade = server.upgrades().remove(0);
        assert!(upgrade.starts_with("/v1/responses?api-version=2026-12-01\n"), "{upgrade}");
        for header in [&format!("authorization: Bearer {KEY}")[..], "openai-organization: org_1", "openai-project: proj_1"] {
            assert!(upgrade.lines().any(|l| l == header), "{header} in {upgrade}");
        }
        connection.close().await.unwrap();
        for _ in 0..100 {
            if server.pongs() > 0 {
                break;
            }
            pause(Duration::from_millis(10)).await;
        }
        assert!(server.pongs() >= 1, "the server's ping was answered");
    }
}

client_test! {
    /// A reader that stops holds the server back once the socket buffers are full: neither the
    /// client nor the server's lanes buffer the response ahead of the reader.
    async fn a_slow_reader_holds_the_server_back() {
        // ~40 MB of frames; the client reads one event, then stops reading for a while.
        let pieces = vec!["0123456789abcdef"; 200_000];
        let server = serve(Script::new().run(RunScript::text(pieces))).await;
        let client = ws_client(&server.base_url());
        let mut connection = client.responses().connect().await.unwrap();
        let mut events = connection.create(&ResponseRequest::new("m")).await.unwrap();
        assert_eq!(events.next().await.unwrap().unwrap().kind, EventType::Created);
        pause(Duration::from_millis(800)).await;
        let held = server.body_bytes_sent();
        assert!(held < 16 << 20, "{held} bytes sent to a client that is not reading");
        pause(Duration::from_millis(300)).await;
        assert!(server.body_bytes_sent() - held < 1 << 20, "the server kept writing");
        let mut deltas = 0;
        while let Some(event) = events.next().await {
            deltas += usize::from(event.unwrap().output_text_delta().is_some());
        }
        assert_eq!(deltas, 200_000);
        assert!(server.body_bytes_sent() > 35 << 20);
    }
}

client_test! {
    async fn a_steer_is_accepted_and_its_successor_is_the_lanes_next_response() {
        let slow = Delivery { pause_ms: Some(20), ..Delivery::default() };
        let server = serve(Script::new().default_delivery(slow)).await;
        let client = ws_client(&server.base_url());
        let mut connection = client.responses().connect().await.unwrap();
        let lane = connection.lane("a").unwrap();
        connection.send(&lane, &ResponseRequest::new("m").input("A long story")).await.unwrap();
        let created = connection.next_event(&lane).await.unwrap().unwrap();
        let first = created.response.as_ref().unwrap()["id"].as_str().unwrap().to_owned();
        connection.steer(&first, json!("Shorter, please")).await.unwrap();
        let mut kinds = Vec::new();
        while let Some(event) = connection.next_event(&lane).await {
            kinds.push(event.unwrap().kind);
        }
        assert!(kinds.contains(&EventType::SteerAccepted), "{kinds:?}");
        assert_eq!(kinds.iter().filter(|k| **k == EventType::Completed).count(), 2, "{kinds:?}");
        let successor = connection.response(&lane).unwrap().into_value();
        assert_ne!(successor["id"], first.as_str());
        assert_eq!(successor["previous_response_id"], first.as_str());
    }
}

client_test! {
    /// The server ends the connection between two turns: the tool loop sees the close before
    /// it writes the next turn, opens a new connection by its policy and goes on (the stored
    /// response is found from the new connection).
    async fn a_tool_loop_reopens_a_connection_closed_between_turns() {
        let cut = Delivery { cut: Some(Cut::AfterEnd), ..Delivery::default() };
        let first = RunScript::text(Vec::<String>::new()).call("get_weather", ["{}"]).delivered(cut);
        let server = serve(Script::new().run(first)).await;
        let client = ws_client(&server.base_url());
        let options = streaming_assistants_core::drive::websocket::Options::default()
            .reconnect(Reconnect::new(2, Duration::from_millis(10), Duration::from_millis(20)), |_| true);
        let mut connection = client.responses().connect_with(options).await.unwrap();
        let tools = json!([{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}]);
        let request = ResponseRequest::new("m").input("Weather?").tools(tools);
        let response = connection
            .run_with_tools(&request, async |_call: &streaming_assistants_core::responses::FunctionCall| {
                // The tool takes a while: the server's close arrives meanwhile.
                pause(Duration::from_millis(100)).await;
                "sunny".to_owned()
            })
            .into_response()
            .await
            .unwrap();
        assert_eq!(response.output_text(), "The forecast says sunny.");
        assert_eq!((connection.connections_opened(), server.websocket_connections()), (2, 2));
    }
}
