//! The sync client over loopback HTTP against the test server.

use std::time::Duration;

use serde_json::json;
use streaming_assistants_core::event::StreamEvent;
use streaming_assistants_core::types::RunStatus;
use streaming_assistants_sync::{Client, Config, Error, Timeouts};
use streaming_assistants_testserver::{BlockingTestServer, Delivery, RunEnd, RunScript, Script};

fn serve(script: Script) -> BlockingTestServer {
    BlockingTestServer::start(script).unwrap()
}

fn client(server: &BlockingTestServer) -> Client {
    Client::new(Config::new("sk-test-secret").base_url(server.base_url()))
}

fn thread_with_message(client: &Client, tools: serde_json::Value) -> (String, String) {
    let assistant = client
        .create_assistant(json!({"model": "gpt-4o", "tools": tools}))
        .unwrap();
    let thread = client.create_thread().unwrap();
    client
        .create_message(&thread.id, "Weather in Paris?")
        .unwrap();
    (assistant.id, thread.id)
}

#[test]
fn the_tool_loop_answers_calls_and_streams_the_reply() {
    let server = serve(Script::new());
    let client = client(&server);
    let tools = json!([{"type": "function", "function": {"name": "get_weather"}}]);
    let (assistant, thread) = thread_with_message(&client, tools);
    let mut asked = Vec::new();
    let events: Vec<StreamEvent> = client
        .run_with_tools(&thread, &assistant, |call| {
            asked.push(call.function.clone().unwrap().arguments.unwrap());
            "sunny, 21°C".into()
        })
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(asked, ["{\"location\": \"Paris\"}"]);
    let text: String = events.iter().flat_map(StreamEvent::text_deltas).collect();
    assert_eq!(
        text,
        "The forecast says sunny, 21°C today 【0†weather.txt】."
    );
    assert_eq!(
        events.iter().filter(|e| **e == StreamEvent::Done).count(),
        2,
        "two legs"
    );
    let run_id = events
        .iter()
        .find_map(|e| e.run().map(|r| r.id.clone()))
        .unwrap();
    assert_eq!(
        client.retrieve_run(&thread, &run_id).unwrap().status,
        RunStatus::Completed
    );
}

#[test]
fn text_and_snapshot_adapters_with_one_byte_writes() {
    let one_byte = Delivery {
        chunk_size: Some(1),
        ..Delivery::default()
    };
    let script = Script::new()
        .run(RunScript::text(["Hel", "lo"]).delivered(one_byte.clone()))
        .run(RunScript::text(["again"]).delivered(one_byte));
    let server = serve(script);
    let client = client(&server);
    let (assistant, thread) = thread_with_message(&client, json!([]));
    let text: String = client
        .create_run_stream(&thread, &assistant)
        .unwrap()
        .text()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(text, "Hello");
    let snapshot = client
        .create_run_stream(&thread, &assistant)
        .unwrap()
        .into_snapshot()
        .unwrap();
    assert_eq!(snapshot.run.unwrap().status, RunStatus::Completed);
    assert_eq!(snapshot.messages[0].text(), "again");
    let listed = client.list_messages(&thread).unwrap();
    assert_eq!(listed.data[0].text(), "again");
}

#[test]
fn api_errors_carry_status_object_and_request_id_but_never_the_key() {
    let server = serve(Script::new());
    let client = client(&server);
    let err = client.retrieve_run("thread_nope", "run_nope").unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    let (status, error, request_id) = (&api.status, &api.error, &api.request_id);
    assert_eq!(*status, 404);
    assert_eq!(
        error.as_ref().unwrap().message.as_deref(),
        Some("No run found with id 'run_nope'.")
    );
    assert_eq!(request_id.as_deref(), Some("req_testserver"));
    assert!(err.to_string().starts_with("HTTP 404: No run found"));
    for shown in [format!("{client:?}"), format!("{err:?}"), err.to_string()] {
        assert!(!shown.contains("sk-test-secret"), "{shown}");
    }
}

#[test]
fn a_cut_stream_yields_what_came_then_a_truncated_error() {
    let cut = Delivery {
        disconnect_after: Some(2000),
        ..Delivery::default()
    };
    let server = serve(Script::new().run(RunScript::text(["x"; 30]).delivered(cut)));
    let client = client(&server);
    let (assistant, thread) = thread_with_message(&client, json!([]));
    let items: Vec<_> = client
        .create_run_stream(&thread, &assistant)
        .unwrap()
        .collect();
    assert!(matches!(
        items.first(),
        Some(Ok(StreamEvent::RunCreated(_)))
    ));
    let last = items.last().unwrap();
    assert!(
        matches!(last, Err(Error::Truncated) | Err(Error::Io(_))),
        "{last:?}"
    );
}

#[test]
fn an_error_event_is_an_error_item_and_the_stream_ends_truncated() {
    let script = Script::new().run(RunScript::text(["so far"]).ending(RunEnd::ErrorEvent {
        message: "overloaded".into(),
    }));
    let server = serve(script);
    let client = client(&server);
    let (assistant, thread) = thread_with_message(&client, json!([]));
    let items: Vec<_> = client
        .create_run_stream(&thread, &assistant)
        .unwrap()
        .collect();
    let errors: Vec<String> = items
        .iter()
        .filter_map(|i| i.as_ref().err().map(ToString::to_string))
        .collect();
    assert_eq!(
        errors,
        [
            "the server reported an error mid-stream: overloaded",
            "the stream ended before `done` or a terminal run event (truncated)"
        ]
    );
}

#[test]
fn a_stalled_stream_ends_with_a_timeout_and_the_first_event_came_before() {
    let slow = Delivery {
        pause_ms: Some(1500),
        ..Delivery::default()
    };
    let server = serve(Script::new().run(RunScript::text(["a", "b"]).delivered(slow)));
    let client = Client::with_timeouts(
        Config::new("k").base_url(server.base_url()),
        Timeouts::default().idle(Duration::from_millis(300)),
    );
    let (assistant, thread) = thread_with_message(&client, json!([]));
    let mut stream = client.create_run_stream(&thread, &assistant).unwrap();
    assert!(matches!(
        stream.next(),
        Some(Ok(StreamEvent::RunCreated(_)))
    ));
    let err = stream.find_map(Result::err).unwrap();
    assert!(err.is_timeout(), "{err:?}");
}

#[test]
fn thread_and_run_then_resources() {
    let server = serve(Script::new().run(RunScript::text(["ok"])));
    let client = client(&server);
    let assistant = client.create_assistant(json!({"model": "m"})).unwrap();
    let events: Vec<StreamEvent> = client
        .create_thread_and_run_stream(&assistant.id, &["hello"])
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let StreamEvent::ThreadCreated(thread) = &events[0] else {
        panic!("{events:?}")
    };
    let run = events.iter().find_map(StreamEvent::run).unwrap().clone();
    assert_eq!(client.retrieve_thread(&thread.id).unwrap().id, thread.id);
    assert_eq!(client.list_runs(&thread.id).unwrap().data[0].id, run.id);
    let steps = client.list_run_steps(&thread.id, &run.id).unwrap();
    let step = client
        .retrieve_run_step(&thread.id, &run.id, &steps.data[0].id)
        .unwrap();
    assert_eq!(step.id, steps.data[0].id);
    let newest = &client.list_messages(&thread.id).unwrap().data[0];
    assert_eq!(
        client
            .retrieve_message(&thread.id, &newest.id)
            .unwrap()
            .text(),
        "ok"
    );
    assert_eq!(
        client.retrieve_assistant(&assistant.id).unwrap().id,
        assistant.id
    );
    assert_eq!(client.delete_thread(&thread.id).unwrap()["deleted"], true);
    assert_eq!(
        client.delete_assistant(&assistant.id).unwrap()["deleted"],
        true
    );
}

#[test]
fn astra_legacy_flow_and_wrapped_v2_stream() {
    let script = Script::new()
        .run(RunScript::text(["Legacy", " text", " arrives."]))
        .run(RunScript::text(["Wrapped"]));
    let server =
        BlockingTestServer::start_with(script, streaming_assistants_testserver::Dialect::Astra)
            .unwrap();
    let client = Client::new(
        Config::new("k")
            .base_url(server.base_url())
            .header("astra-api-token", "AstraCS:t"),
    );
    let (assistant, thread) = thread_with_message(&client, json!([]));
    let stream = client
        .legacy_stream(&thread, &assistant, Duration::from_millis(10))
        .unwrap();
    let run_id = stream.run_id().to_owned();
    let text: String = stream.collect::<Result<_, _>>().unwrap();
    assert_eq!(text, "Legacy text arrives.");
    assert_eq!(
        client.retrieve_run(&thread, &run_id).unwrap().status,
        RunStatus::Completed
    );
    // Astra's v2 framing, no `done`: a clean end on the terminal run event.
    let text: String = client
        .create_run_stream(&thread, &assistant)
        .unwrap()
        .text()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(text, "Wrapped");
}

#[test]
fn dropping_a_stream_early_closes_its_connection() {
    let slow = Delivery {
        pause_ms: Some(50),
        ..Delivery::default()
    };
    let server = serve(Script::new().run(RunScript::text(["x"; 40]).delivered(slow)));
    let client = client(&server);
    let (assistant, thread) = thread_with_message(&client, json!([]));
    let mut stream = client.create_run_stream(&thread, &assistant).unwrap();
    assert!(matches!(
        stream.next(),
        Some(Ok(StreamEvent::RunCreated(_)))
    ));
    assert_eq!(server.abandoned_streams(), 0);
    drop(stream);
    // The server notices at its next write (every 50 ms); give it up to 5 s.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while server.abandoned_streams() == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.abandoned_streams(), 1);
}

#[test]
fn every_event_kind_reaches_the_caller_typed() {
    use std::collections::BTreeSet;
    use streaming_assistants_testserver::CodeScript;
    let ends = [
        None,
        Some(RunEnd::Failed {
            code: "server_error".into(),
            message: "boom".into(),
        }),
        Some(RunEnd::Incomplete {
            reason: "max_completion_tokens".into(),
        }),
        Some(RunEnd::Cancelled),
        Some(RunEnd::Expired),
        Some(RunEnd::ErrorEvent {
            message: "overloaded".into(),
        }),
    ];
    let code = CodeScript {
        input: vec!["1+1".into()],
        logs: Some("2".into()),
        image_file: None,
    };
    let mut script = Script::new();
    for end in &ends {
        let mut run = RunScript::text(["a", "b"])
            .call("f", ["{}"])
            .with_code(code.clone())
            .with_file_search();
        run.end = end.clone();
        script = script.run(run);
    }
    let server = serve(script);
    let client = client(&server);
    let assistant = client.create_assistant(json!({"model": "m"})).unwrap();
    let mut seen = BTreeSet::new();
    for _ in &ends {
        let first = client
            .create_thread_and_run_stream(&assistant.id, &["go"])
            .unwrap();
        let mut run_id = None;
        let mut thread_id = None;
        for item in first {
            match item {
                Ok(event) => {
                    if let StreamEvent::ThreadCreated(t) = &event {
                        thread_id = Some(t.id.clone());
                    }
                    if let Some(run) = event.run() {
                        run_id = Some(run.id.clone());
                    }
                    seen.insert(event.name().to_owned());
                }
                Err(Error::Stream(_)) => {
                    seen.insert("error".to_owned());
                }
                Err(err) => panic!("{err}"),
            }
        }
        let (thread_id, run_id) = (thread_id.unwrap(), run_id.unwrap());
        let run = client.retrieve_run(&thread_id, &run_id).unwrap();
        let outputs: Vec<(String, String)> = run
            .pending_tool_calls()
            .iter()
            .map(|c| (c.id.clone(), "ok".into()))
            .collect();
        for item in client
            .submit_tool_outputs_stream(&thread_id, &run_id, &outputs)
            .unwrap()
        {
            match item {
                Ok(event) => {
                    seen.insert(event.name().to_owned());
                }
                Err(Error::Stream(_)) => {
                    seen.insert("error".to_owned());
                }
                Err(Error::Truncated) => {}
                Err(err) => panic!("{err}"),
            }
        }
    }
    let expected = [
        "done",
        "error",
        "thread.created",
        "thread.message.completed",
        "thread.message.created",
        "thread.message.delta",
        "thread.message.in_progress",
        "thread.message.incomplete",
        "thread.run.cancelled",
        "thread.run.cancelling",
        "thread.run.completed",
        "thread.run.created",
        "thread.run.expired",
        "thread.run.failed",
        "thread.run.in_progress",
        "thread.run.incomplete",
        "thread.run.queued",
        "thread.run.requires_action",
        "thread.run.step.cancelled",
        "thread.run.step.completed",
        "thread.run.step.created",
        "thread.run.step.delta",
        "thread.run.step.expired",
        "thread.run.step.failed",
        "thread.run.step.in_progress",
    ];
    let expected: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
    assert_eq!(seen, expected);
}

#[test]
fn a_run_waiting_for_tool_outputs_can_be_cancelled() {
    let server = serve(Script::new());
    let client = client(&server);
    let tools = json!([{"type": "function", "function": {"name": "f"}}]);
    let (assistant, thread) = thread_with_message(&client, tools);
    let run = client.create_run(&thread, &assistant).unwrap();
    assert_eq!(run.status, RunStatus::RequiresAction);
    let cancelled = client.cancel_run(&thread, &run.id).unwrap();
    assert_eq!(cancelled.status, RunStatus::Cancelled);
}
