// The Responses API over loopback, written once in async form and played by both clients
// (`crates/sync/tests/client.rs`, `crates/async/tests/client.rs`; the sync twin is this code
// with `async` and `.await` stripped by `sync_twin!`): against a raw server answering real
// recorded bodies (`crates/core/tests/recordings/responses/`), and against the test server.
//
// Not a module of this crate: `include!`d by the runners, which bring into scope the
// transport's `Client`, `Config`, `ResponseRequest`, `Error`, `StreamError`, `Verdict`, the
// `client_test!` and `client_helper!` macros, and `serve`.

use std::path::PathBuf;

use serde_json::json;
use streaming_assistants_core::responses::{AccumulateError, Accumulator, Decoder, EventType};
use streaming_assistants_core::wire::protocol::Decode;
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

/// The byte offset just after event `n` (0-based) of an SSE body.
fn after_event(body: &[u8], n: usize) -> usize {
    body.windows(2)
        .enumerate()
        .filter(|(_, w)| *w == b"\n\n")
        .nth(n)
        .map(|(i, _)| i + 2)
        .unwrap()
}

fn client(server: &RawServer) -> Client {
    Client::new(Config::new("sk-responses").base_url(server.base_url())).unwrap()
}

client_test! {
    async fn create_stream_text_and_into_response() {
        let body = recording(HELLO);
        let server = RawServer::start(vec![stream(&body), stream(&body), stream(&body)]);
        let client = client(&server);
        let request = ResponseRequest::new("gpt-4o-mini").input("Hello");
        let mut stream = client.responses().create_stream(&request).await.unwrap();
        let mut events = Vec::new();
        while let Some(event) = stream.next().await {
            events.push(event.unwrap());
        }
        assert_eq!(events.len(), 17);
        assert_eq!(events.last().unwrap().kind, EventType::Completed);
        let mut text = client
            .responses()
            .create_stream(&request)
            .await
            .unwrap()
            .text();
        let mut pieces = Vec::new();
        while let Some(piece) = text.next().await {
            pieces.push(piece.unwrap());
        }
        assert!(pieces.len() > 1, "{pieces:?}");
        let response = client
            .responses()
            .create_stream(&request)
            .await
            .unwrap()
            .into_response()
            .await
            .unwrap();
        assert_eq!(response.output_text(), pieces.concat());
        assert_eq!(response.clone().into_value(), expected(&body));
        let sent = &server.requests()[0];
        assert!(sent.starts_with("POST /v1/responses HTTP/1.1"), "{sent}");
        assert!(!sent.to_ascii_lowercase().contains("openai-beta"), "{sent}");
        assert!(sent.contains(r#""stream":true"#), "{sent}");
    }
}

client_test! {
    async fn a_cut_background_response_is_resumed_without_repeats() {
        let whole = recording(BACKGROUND);
        // Cut the connection (a chunked body never finished) after the 40th event.
        let cut_at = after_event(&whole, 39);
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
        let mut stream = client.responses().create_stream_resuming(&request);
        while let Some(event) = stream.next().await {
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
}

client_test! {
    async fn the_tool_loop_sends_function_call_outputs_with_the_previous_response() {
        let server = RawServer::start(vec![stream(&recording(CALL)), stream(&recording(HELLO))]);
        let client = client(&server);
        let request = ResponseRequest::new("gpt-4o-mini")
            .input("Weather in Paris?")
            .tools(json!([{"type": "function", "name": "get_weather"}]));
        let mut asked = Vec::new();
        let mut events = Vec::new();
        let mut tools = client.responses().run_with_tools(&request, async |call| {
            asked.push((call.name.clone(), call.arguments.clone()));
            "sunny".to_owned()
        });
        while let Some(event) = tools.next().await {
            events.push(event.unwrap());
        }
        drop(tools);
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
}

client_test! {
    /// A stream resumed past its lifecycle events (`starting_after` beyond them) still ends
    /// with the whole response: the events before the next lifecycle event are kept aside, and
    /// the terminal event brings the response.
    async fn a_stream_resumed_past_its_first_events_ends_with_the_response() {
        let resumed = String::from_utf8(recording(RESUMED)).unwrap();
        let start = resumed.find("event: response.output_item.added").unwrap();
        let server = RawServer::start(vec![stream(&resumed.as_bytes()[start..])]);
        let response = client(&server)
            .responses()
            .retrieve_stream(
                "resp_01466b9ec36d1ae70069845b099c74819685e67ac5309dd138",
                Some(3),
            )
            .await
            .unwrap()
            .into_response()
            .await
            .unwrap();
        assert_eq!(response.into_value(), expected(&recording(BACKGROUND)));
    }
}

client_test! {
    /// The tool loop accumulates to the last response (the final answer), not the first
    /// leg's.
    async fn the_tool_loop_snapshot_is_the_final_response() {
        let server = RawServer::start(vec![stream(&recording(CALL)), stream(&recording(HELLO))]);
        let request = ResponseRequest::new("gpt-4o-mini")
            .input("Weather in Paris?")
            .tools(json!([{"type": "function", "name": "get_weather"}]));
        let snapshot = client(&server)
            .responses()
            .run_with_tools(&request, async |_: &_| "sunny".to_owned())
            .into_snapshot()
            .await
            .unwrap();
        assert_eq!(snapshot.into_value(), expected(&recording(HELLO)));
    }
}

client_test! {
    /// The tool loop's `into_snapshot` ends with an event the accumulator rejects (a delta
    /// for an output never added), as `into_response` does.
    async fn the_tool_loop_snapshot_reports_a_rejected_event() {
        let hello = String::from_utf8(recording(HELLO)).unwrap();
        let at = hello.find("event: response.in_progress").unwrap();
        let stray = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"item_id\":\"msg_x\",\"output_index\":9,\"content_index\":0,\"delta\":\"?\",\"logprobs\":[]}\n\n";
        let body = format!("{}{stray}{}", &hello[..at], &hello[at..]);
        let server = RawServer::start(vec![stream(body.as_bytes())]);
        let request = ResponseRequest::new("gpt-4o-mini").input("Hi");
        let err = client(&server)
            .responses()
            .run_with_tools(&request, async |_: &_| String::new())
            .into_snapshot()
            .await
            .unwrap_err();
        let Error::Stream(StreamError::Rejected(rejected)) = &err else {
            panic!("not rejected: {err:?}");
        };
        let inner = rejected.get_ref().downcast_ref::<AccumulateError>();
        assert!(
            matches!(inner, Some(AccumulateError::Missing { index: 9, .. })),
            "{inner:?}"
        );
    }
}

mod against_the_test_server {
    use super::*;

    use streaming_assistants_core::responses::{
        ContentPart, OutputItem, ResponseEvent, ResponseStatus, Snapshot,
    };
    use streaming_assistants_testserver::{Cut, Delivery, RunEnd, RunScript, Script, TestServer};

    fn client(server: &TestServer) -> Client {
        Client::new(Config::new("sk-responses").base_url(server.base_url())).unwrap()
    }

    client_test! {
        async fn a_cut_background_response_resumes_to_the_same_response() {
            let cut = Delivery {
                cut: Some(Cut::InsideEvent(9)),
                ..Delivery::default()
            };
            let script = Script::new()
                .run(RunScript::text(["one ", "two ", "three ", "four"]).delivered(cut.clone()));
            let server = serve(script).await;
            let api = client(&server);
            let request = ResponseRequest::new("m").input("count").background(true);
            let snapshot = api
                .responses()
                .create_stream_resuming(&request)
                .into_snapshot()
                .await
                .expect("resumed, not failed");
            assert_eq!(snapshot.output_text(), "one two three four");
            let stored = api
                .responses()
                .retrieve(snapshot.id().unwrap())
                .await
                .unwrap();
            assert_eq!(snapshot, stored, "equal to the uncut response");
            // Without resuming, the same cut is an error after what arrived.
            let server =
                serve(Script::new().run(RunScript::text(["one ", "two"]).delivered(cut))).await;
            let result = client(&server)
                .responses()
                .create_stream(&request)
                .await
                .unwrap()
                .into_response()
                .await;
            assert!(
                result.as_ref().is_err_and(Error::is_truncated),
                "{result:?}"
            );
        }
    }

    client_test! {
        async fn failures_error_events_and_api_errors() {
            let script = Script::new()
                .run(RunScript::text(["par"]).ending(RunEnd::Failed {
                    code: "server_error".into(),
                    message: "boom".into(),
                }))
                .run(RunScript::text(["so far"]).ending(RunEnd::ErrorEvent {
                    message: "overloaded".into(),
                }));
            let server = serve(script).await;
            let api = client(&server);
            let request = ResponseRequest::new("m").input("x");
            let mut stream = api.responses().create_stream(&request).await.unwrap();
            let mut last = None;
            while let Some(event) = stream.next().await {
                last = Some(event.unwrap().kind);
            }
            assert_eq!(last, Some(EventType::Failed));
            let mut stream = api.responses().create_stream(&request).await.unwrap();
            let mut items = Vec::new();
            while let Some(item) = stream.next().await {
                items.push(item);
            }
            assert!(matches!(
                items.last(),
                Some(Err(Error::Stream(StreamError::ErrorEvent(e)))) if e.message.as_deref() == Some("overloaded")
            ));
            assert_eq!(stream.verdict(), Some(Verdict::Clean));
            let missing = api
                .responses()
                .create_stream(&request.clone().previous_response_id("resp_nope"))
                .await;
            assert!(matches!(missing, Err(Error::Api(e)) if e.status == 404));
            assert!(api.responses().retrieve("resp_nope").await.is_err());
        }
    }

    /// The output items without their generated ids (two runs of one script differ only
    /// there).
    fn without_ids(response: &serde_json::Value) -> Vec<serde_json::Value> {
        let mut items = response["output"].as_array().cloned().unwrap_or_default();
        for item in &mut items {
            item.as_object_mut().unwrap().remove("id");
        }
        items
    }

    /// The `output_text` parts of a response's messages, joined (the SDKs' `output_text`).
    fn output_text(response: &serde_json::Value) -> String {
        let mut text = String::new();
        for item in response["output"].as_array().into_iter().flatten() {
            for part in item["content"].as_array().into_iter().flatten() {
                if part["type"] == "output_text" {
                    text.push_str(part["text"].as_str().unwrap());
                }
            }
        }
        text
    }

    fn api_status<T: std::fmt::Debug>(result: Result<T, Error>) -> u16 {
        match result {
            Err(Error::Api(e)) => e.status,
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    client_test! {
        async fn cancel_then_delete_then_retrieve_is_a_404() {
            let server = serve(Script::new()).await;
            let api = client(&server);
            let responses = api.responses();
            let request = ResponseRequest::new("m").input("hi").background(true);
            let created = responses.create(&request).await.unwrap().into_value();
            let id = created["id"].as_str().unwrap().to_owned();
            assert!(id.starts_with("resp_"), "{created}");
            assert_eq!(created["background"], true);
            let cancelled = responses.cancel(&id).await.unwrap().into_value();
            assert_eq!(cancelled["id"], id.as_str());
            assert_eq!(cancelled["object"], "response");
            // The scripted response has already run to its end: cancelling leaves it
            // completed.
            assert_eq!(cancelled["status"], "completed");
            assert_eq!(
                cancelled,
                responses.retrieve(&id).await.unwrap().into_value()
            );
            let deleted = responses.delete(&id).await.unwrap();
            assert_eq!(
                deleted,
                json!({"id": id, "object": "response", "deleted": true})
            );
            assert_eq!(api_status(responses.retrieve(&id).await), 404);
            assert_eq!(api_status(responses.delete(&id).await), 404);
            assert_eq!(api_status(responses.cancel(&id).await), 404);
            // Only background responses can be cancelled.
            let foreground = responses
                .create(&ResponseRequest::new("m").input("hi"))
                .await
                .unwrap();
            let foreground = foreground.id().unwrap();
            assert_eq!(api_status(responses.cancel(foreground).await), 400);
        }
    }

    client_test! {
        async fn a_non_streamed_create_equals_the_streamed_response() {
            let script = Script::new()
                .run(RunScript::text(["one ", "two ", "three"]))
                .repeat();
            let server = serve(script).await;
            let api = client(&server);
            let request = ResponseRequest::new("m").input("count");
            let plain = api.responses().create(&request).await.unwrap().into_value();
            let streamed = api
                .responses()
                .create_stream(&request)
                .await
                .unwrap()
                .into_response()
                .await
                .unwrap();
            assert_eq!(output_text(&plain), "one two three");
            assert_eq!(streamed.output_text(), output_text(&plain));
            assert_eq!(plain["status"], "completed");
            assert_eq!(
                streamed.status().map(|s| s.as_str()),
                plain["status"].as_str()
            );
            let streamed = streamed.into_value();
            assert_eq!(without_ids(&streamed), without_ids(&plain));
            assert_eq!(streamed["model"], plain["model"]);
            assert_ne!(streamed["id"], plain["id"], "two responses");
        }
    }

    client_helper! {
        /// Streams one scripted run, checking the accumulator's snapshot at `check_at` (before
        /// that event is applied: what the deltas alone built), and returns the events.
        async fn stream_checking(
            api: &Client,
            request: &ResponseRequest,
            check_at: EventType,
            check: impl Fn(&Snapshot),
        ) -> Vec<ResponseEvent> {
            let mut acc = Accumulator::new();
            let mut events = Vec::new();
            let mut checked = false;
            let mut stream = api.responses().create_stream(request).await.unwrap();
            while let Some(event) = stream.next().await {
                let event = event.unwrap();
                if event.kind == check_at {
                    check(acc.snapshot());
                    checked = true;
                }
                acc.apply(&event).unwrap();
                events.push(event);
            }
            assert!(checked, "no {check_at:?} event");
            events
        }
    }

    fn deltas(events: &[ResponseEvent], kind: EventType) -> Vec<&str> {
        events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.delta_str().unwrap())
            .collect()
    }

    client_helper! {
        /// A fresh stream's `text()` pieces, each one checked.
        async fn text_pieces(api: &Client, request: &ResponseRequest) -> Vec<String> {
            let mut text = api.responses().create_stream(request).await.unwrap().text();
            let mut pieces = Vec::new();
            while let Some(piece) = text.next().await {
                pieces.push(piece.unwrap());
            }
            pieces
        }
    }

    client_test! {
        async fn a_scripted_reasoning_summary_streams_into_the_snapshot() {
            let run = RunScript {
                reasoning: vec!["Weighing ".into(), "the options.".into()],
                ..RunScript::text(["Go ", "left."])
            };
            let server = serve(Script::new().run(run).repeat()).await;
            let api = client(&server);
            let request = ResponseRequest::new("m").input("which way?");
            let events = stream_checking(
                &api,
                &request,
                EventType::ReasoningSummaryTextDone,
                |snapshot| {
                    assert_eq!(
                        snapshot.output()[0]["summary"],
                        json!([{"type": "summary_text", "text": "Weighing the options."}]),
                        "built from the deltas"
                    );
                },
            )
            .await;
            assert_eq!(
                deltas(&events, EventType::ReasoningSummaryTextDelta),
                ["Weighing ", "the options."]
            );
            for kind in [
                EventType::ReasoningSummaryPartAdded,
                EventType::ReasoningSummaryPartDone,
            ] {
                assert_eq!(
                    events.iter().filter(|e| e.kind == kind).count(),
                    1,
                    "{kind:?}"
                );
            }
            let snapshot = api
                .responses()
                .create_stream(&request)
                .await
                .unwrap()
                .into_response()
                .await
                .unwrap();
            let output = snapshot.output();
            assert_eq!(output.len(), 2, "{output:?}");
            let OutputItem::Reasoning(reasoning) = &output[0] else {
                panic!("typed as reasoning: {output:?}");
            };
            assert!(reasoning.id.as_deref().unwrap().starts_with("rs_"));
            assert_eq!(
                reasoning.summary.as_deref(),
                Some(
                    &[json!({"type": "summary_text", "text": "Weighing the options."})][..]
                )
            );
            assert!(matches!(output[1], OutputItem::Message(_)), "{output:?}");
            assert_eq!(
                snapshot.output_text(),
                "Go left.",
                "the summary is not output text"
            );
            let stored = api
                .responses()
                .retrieve(snapshot.id().unwrap())
                .await
                .unwrap();
            assert_eq!(snapshot, stored);
            // text(): the reply's pieces only, one per delta, never the summary.
            assert_eq!(text_pieces(&api, &request).await, ["Go ", "left."]);
            let text = api
                .responses()
                .create_stream(&request)
                .await
                .unwrap()
                .into_text()
                .await
                .unwrap();
            assert_eq!(text, "Go left.");
        }
    }

    client_test! {
        async fn a_scripted_refusal_streams_into_the_snapshot_and_no_text() {
            let run = RunScript {
                refusal: vec!["I can't ".into(), "help with that.".into()],
                ..RunScript::default()
            };
            let server = serve(Script::new().run(run).repeat()).await;
            let api = client(&server);
            let request = ResponseRequest::new("m").input("something bad");
            let refusal = json!({"type": "refusal", "refusal": "I can't help with that."});
            let events = stream_checking(&api, &request, EventType::RefusalDone, |snapshot| {
                assert_eq!(
                    snapshot.output()[0]["content"],
                    json!([refusal.clone()]),
                    "built from the deltas"
                );
            })
            .await;
            assert_eq!(
                deltas(&events, EventType::RefusalDelta),
                ["I can't ", "help with that."]
            );
            assert!(events.iter().all(|e| e.output_text_delta().is_none()));
            let snapshot = api
                .responses()
                .create_stream(&request)
                .await
                .unwrap()
                .into_response()
                .await
                .unwrap();
            assert_eq!(snapshot.status(), Some(&ResponseStatus::Completed));
            let output = snapshot.output();
            assert_eq!(output.len(), 1, "{output:?}");
            let OutputItem::Message(message) = &output[0] else {
                panic!("typed as a message: {output:?}");
            };
            assert_eq!(message.role.as_deref(), Some("assistant"));
            let Some([ContentPart::Refusal(part)]) = message.content.as_deref() else {
                panic!("one refusal part: {message:?}");
            };
            assert_eq!(part.refusal.as_deref(), Some("I can't help with that."));
            assert_eq!(serde_json::to_value(part).unwrap(), refusal);
            assert_eq!(snapshot.output_text(), "", "a refusal is not output text");
            let stored = api
                .responses()
                .retrieve(snapshot.id().unwrap())
                .await
                .unwrap();
            assert_eq!(snapshot, stored);
            // text(): nothing at all, and a clean end.
            let pieces = text_pieces(&api, &request).await;
            assert!(pieces.is_empty(), "{pieces:?}");
            let text = api
                .responses()
                .create_stream(&request)
                .await
                .unwrap()
                .into_text()
                .await
                .unwrap();
            assert_eq!(text, "");
        }
    }
}

client_test! {
    /// Resumes that bring nothing new use up the budget (3 in a row); giving up is a
    /// truncation that says how many resumes it tried.
    async fn resumes_that_bring_nothing_give_up_and_say_so() {
        let whole = recording(BACKGROUND);
        let cut_at = after_event(&whole, 39);
        // Every resume replays the events already seen, then is cut again: no progress.
        let server = RawServer::start(vec![Answer::Bytes(chunked_sse_cut(&whole[..cut_at])); 5]);
        let request = ResponseRequest::new("m").input("a story").background(true);
        let client = client(&server);
        let mut stream = client.responses().create_stream_resuming(&request);
        let (mut events, mut errors) = (0, Vec::new());
        while let Some(item) = stream.next().await {
            match item {
                Ok(_) => events += 1,
                Err(err) => errors.push(err),
            }
        }
        assert_eq!(events, 40, "each event once");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].is_truncated(), "{:?}", errors[0]);
        let message = errors[0].to_string();
        assert!(
            message.contains("gave up resuming after 3 resumes"),
            "{message}"
        );
        assert_eq!(server.requests().len(), 4, "the create and 3 resumes");
    }
}

client_test! {
    async fn structured_output_into_parsed_reads_the_final_answer() {
        use streaming_assistants_testserver::{RunScript, Script};
        let script = Script::new().run(RunScript::text(["{\"ok\": tr", "ue, \"n\": [1, 2]}"]));
        let server = serve(script).await;
        let client = Client::new(Config::new("sk-test").base_url(server.base_url())).unwrap();
        let request = ResponseRequest::new("gpt-4o")
            .input("Answer?")
            .json_schema("answer", json!({"type": "object"}));
        assert_eq!(request.get("text").unwrap()["format"]["type"], "json_schema");
        let value: serde_json::Value = client
            .responses()
            .create_stream(&request)
            .await
            .unwrap()
            .into_parsed()
            .await
            .unwrap();
        assert_eq!(value, json!({"ok": true, "n": [1, 2]}));
    }
}

client_test! {
    async fn structured_events_lend_the_value_so_far() {
        use streaming_assistants_core::responses::StructuredEvent;
        use streaming_assistants_testserver::{RunScript, Script};
        let script = Script::new().run(RunScript::text(["{\"rows\": [{\"a\": 1}", ", {\"a\": 2}]}"]));
        let server = serve(script).await;
        let client = Client::new(Config::new("sk-test").base_url(server.base_url())).unwrap();
        let request = ResponseRequest::new("gpt-4o").input("Rows?").json_schema("rows", json!({}));
        let mut stream = client.responses().create_parsed_stream(&request).await.unwrap();
        let mut values = Vec::new();
        let mut answer = None;
        while let Some(event) = stream.next().await {
            match event.unwrap() {
                StructuredEvent::TextDelta { output_index, content_index } => {
                    values.push(stream.state().parsed_text(output_index, content_index).cloned());
                }
                StructuredEvent::TextDone { parsed } => answer = parsed,
                _ => {}
            }
        }
        assert_eq!(values.first(), Some(&Some(json!({"rows": [{"a": 1}]}))), "{values:?}");
        assert_eq!(answer, Some(json!({"rows": [{"a": 1}, {"a": 2}]})));
        assert_eq!(stream.state().output_parsed(), answer.as_ref());
    }
}

