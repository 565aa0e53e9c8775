//! The Responses API through the sync client over loopback, against a raw server answering
//! real recorded bodies (`crates/core/tests/recordings/responses/`).

use std::path::PathBuf;

use streaming_assistants_core::responses::{Accumulator, Decoder, EventType};
use streaming_assistants_sync::{Client, Config, ResponseRequest};
use streaming_assistants_testserver::raw::{chunked_sse_cut, sse_head, Answer, RawServer};

fn recording(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/recordings/responses");
    std::fs::read(dir.join(name)).expect("recording")
}

const HELLO: &str = "resp_dotnet_HelloWorldStreaming_gpt_4o_mini__65d5703f__e0.sse";
const CALL: &str = "resp_dotnet_FunctionCallStreamingWorks__33db028a__e0.sse";
const BACKGROUND: &str = "resp_dotnet_CanStreamBackgroundResponsesAsync__3acac71c__e0.sse";
const RESUMED: &str = "resp_dotnet_CanStreamBackgroundResponsesAsync__3acac71c__e2.sse";

fn stream(body: &[u8]) -> Answer {
    Answer::Bytes([sse_head(), body.to_vec()].concat())
}

/// The whole body through the core alone: what an uncut stream accumulates to.
fn expected(body: &[u8]) -> serde_json::Value {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    decoder.push(body);
    while let Some(event) = decoder.next_event() {
        acc.apply(&event.unwrap()).unwrap();
    }
    acc.into_snapshot().into_value()
}

fn client(server: &RawServer) -> Client {
    Client::new(Config::new("sk-responses").base_url(server.base_url()))
}

#[test]
fn create_stream_text_and_into_response() {
    let body = recording(HELLO);
    let server = RawServer::start(vec![stream(&body), stream(&body), stream(&body)]);
    let client = client(&server);
    let request = ResponseRequest::new("gpt-4o-mini").input("Hello");
    let events: Vec<_> = client
        .responses()
        .create_stream(&request)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(events.len(), 17);
    assert_eq!(events.last().unwrap().kind, EventType::Completed);
    let pieces: Vec<String> = client
        .responses()
        .create_stream(&request)
        .unwrap()
        .text()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(pieces.len() > 1, "{pieces:?}");
    let response = client
        .responses()
        .create_stream(&request)
        .unwrap()
        .into_response()
        .unwrap();
    assert_eq!(response.output_text(), pieces.concat());
    assert_eq!(response.clone().into_value(), expected(&body));
    let sent = &server.requests()[0];
    assert!(sent.starts_with("POST /v1/responses HTTP/1.1"), "{sent}");
    assert!(!sent.to_ascii_lowercase().contains("openai-beta"), "{sent}");
    assert!(sent.contains(r#""stream":true"#), "{sent}");
}

#[test]
fn a_cut_background_response_is_resumed_without_repeats() {
    let whole = recording(BACKGROUND);
    // Cut the connection (a chunked body never finished) after the 40th event.
    let cut_at = whole
        .windows(2)
        .enumerate()
        .filter(|(_, w)| *w == b"\n\n")
        .nth(39)
        .map(|(i, _)| i + 2)
        .unwrap();
    let server = RawServer::start(vec![
        Answer::Bytes(chunked_sse_cut(&whole[..cut_at])),
        stream(&recording(RESUMED)),
    ]);
    let client = client(&server);
    let request = ResponseRequest::new("gpt-4.1-mini")
        .input("a story")
        .background(true);
    let mut sequence = Vec::new();
    let mut acc = Accumulator::new();
    for event in client.responses().stream_resuming(&request) {
        let event = event.expect("the cut is resumed, not reported");
        sequence.push(event.sequence_number.unwrap());
        acc.apply(&event).unwrap();
    }
    eprintln!(
        "{:#?}",
        server
            .requests()
            .iter()
            .map(|r| r.lines().next().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    );
    let total = whole.windows(2).filter(|w| *w == b"\n\n").count() as u64;
    assert_eq!(
        sequence,
        (0..total).collect::<Vec<_>>(),
        "each event once, in order"
    );
    assert_eq!(acc.into_snapshot().into_value(), expected(&whole));
    let resumed = &server.requests()[1];
    assert!(
        resumed.starts_with("GET /v1/responses/resp_01466b9ec36d1ae70069845b099c74819685e67ac5309dd138?stream=true&starting_after=39 "),
        "{resumed}"
    );
}

#[test]
fn the_tool_loop_sends_function_call_outputs_with_the_previous_response() {
    let server = RawServer::start(vec![stream(&recording(CALL)), stream(&recording(HELLO))]);
    let client = client(&server);
    let request = ResponseRequest::new("gpt-4o-mini")
        .input("Weather in Paris?")
        .tools(serde_json::json!([{"type": "function", "name": "get_weather"}]));
    let mut asked = Vec::new();
    let events: Vec<_> = client
        .responses()
        .run_with_tools(&request, |call| {
            asked.push((call.name.clone(), call.arguments.clone()));
            "sunny".to_owned()
        })
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(events.last().unwrap().kind, EventType::Completed);
    let requests = server.requests();
    let second = &requests[1];
    assert!(
        second.contains(r#""type":"function_call_output""#),
        "{second}"
    );
    assert!(second.contains(r#""output":"sunny""#), "{second}");
    assert!(
        second.contains(r#""previous_response_id":"resp_"#),
        "{second}"
    );
    assert!(
        second.contains(r#""tools":[{"#),
        "the tools are sent again: {second}"
    );
}

mod against_the_test_server {
    use streaming_assistants_core::responses::EventType;
    use streaming_assistants_sync::{
        CallError, Client, Config, Error, ResponseRequest, StreamError,
    };
    use streaming_assistants_testserver::{
        BlockingTestServer, Cut, Delivery, RunEnd, RunScript, Script,
    };

    fn client(server: &BlockingTestServer) -> Client {
        Client::new(Config::new("sk-responses").base_url(server.base_url()))
    }

    #[test]
    fn a_tool_round_trip_with_the_default_model() {
        let server = BlockingTestServer::start(Script::new()).unwrap();
        let api = client(&server);
        let request = ResponseRequest::new("m")
            .input("Weather in Paris?")
            .tools(serde_json::json!([{"type": "function", "name": "get_weather"}]));
        let mut text = String::new();
        let tools = api.responses().run_with_tools(&request, |call| {
            assert_eq!(call.name, "get_weather");
            "sunny".to_owned()
        });
        for event in tools {
            text.extend(event.unwrap().output_text_delta());
        }
        assert_eq!(text, "The forecast says sunny.");
    }

    #[test]
    fn a_cut_background_response_resumes_to_the_same_response() {
        let cut = Delivery {
            cut: Some(Cut::InsideEvent(9)),
            ..Delivery::default()
        };
        let script =
            Script::new().run(RunScript::text(["one ", "two ", "three ", "four"]).delivered(cut));
        let server = BlockingTestServer::start(script).unwrap();
        let api = client(&server);
        let request = ResponseRequest::new("m").input("count").background(true);
        let snapshot = api
            .responses()
            .stream_resuming(&request)
            .into_snapshot()
            .expect("resumed, not failed");
        assert_eq!(snapshot.output_text(), "one two three four");
        let stored = api.responses().retrieve(snapshot.id().unwrap()).unwrap();
        assert_eq!(snapshot.into_value(), stored, "equal to the uncut response");
        // Without resuming, the same cut is an error after what arrived.
        let server = BlockingTestServer::start(Script::new().run(
            RunScript::text(["one ", "two"]).delivered(Delivery {
                cut: Some(Cut::InsideEvent(9)),
                ..Delivery::default()
            }),
        ))
        .unwrap();
        let result = client(&server)
            .responses()
            .create_stream(&request)
            .unwrap()
            .into_response();
        assert!(matches!(result, Err(Error::Io(_))), "{result:?}");
    }

    #[test]
    fn failures_error_events_and_api_errors() {
        let script = Script::new()
            .run(RunScript::text(["par"]).ending(RunEnd::Failed {
                code: "server_error".into(),
                message: "boom".into(),
            }))
            .run(RunScript::text(["so far"]).ending(RunEnd::ErrorEvent {
                message: "overloaded".into(),
            }));
        let server = BlockingTestServer::start(script).unwrap();
        let api = client(&server);
        let request = ResponseRequest::new("m").input("x");
        let events: Vec<_> = api.responses().create_stream(&request).unwrap().collect();
        let last = events.last().unwrap().as_ref().unwrap();
        assert_eq!(last.kind, EventType::Failed);
        let mut stream = api.responses().create_stream(&request).unwrap();
        let items: Vec<_> = stream.by_ref().collect();
        assert!(matches!(
            items.last(),
            Some(Err(Error::Call(CallError::Stream(StreamError::ErrorEvent(e))))) if e.message.as_deref() == Some("overloaded")
        ));
        assert_eq!(
            stream.verdict(),
            Some(streaming_assistants_sync::Verdict::Clean)
        );
        let missing = api
            .responses()
            .create_stream(&request.clone().previous_response_id("resp_nope"));
        assert!(matches!(missing, Err(Error::Call(CallError::Api(e))) if e.status == 404));
        assert!(api.responses().retrieve("resp_nope").is_err());
    }
}
