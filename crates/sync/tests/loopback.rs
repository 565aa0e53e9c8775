//! The sync client over loopback HTTP against the test server.

use std::time::Duration;

use serde_json::json;
use streaming_assistants_core::assistants::event::StreamEvent;
use streaming_assistants_core::assistants::types::RunStatus;
use streaming_assistants_sync::{Client, Config, Error, StreamError};
use streaming_assistants_testserver::{BlockingTestServer, Delivery, RunEnd, RunScript, Script};

fn serve(script: Script) -> BlockingTestServer {
    BlockingTestServer::start(script).unwrap()
}

fn client(server: &BlockingTestServer) -> Client {
    Client::new(Config::new("sk-test-secret").base_url(server.base_url())).unwrap()
}

fn thread_with_message(client: &Client, tools: serde_json::Value) -> (String, String) {
    let assistant = client
        .assistants()
        .create(json!({"model": "gpt-4o", "tools": tools}))
        .unwrap();
    let thread = client.threads().create().unwrap();
    client
        .threads()
        .messages()
        .create(&thread.id, "Weather in Paris?")
        .unwrap();
    (assistant.id, thread.id)
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
        .threads()
        .runs()
        .create_stream(&thread, &assistant)
        .unwrap()
        .text()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(text, "Hello");
    let snapshot = client
        .threads()
        .runs()
        .create_stream(&thread, &assistant)
        .unwrap()
        .into_snapshot()
        .unwrap();
    assert_eq!(snapshot.run.unwrap().status, RunStatus::Completed);
    assert_eq!(snapshot.messages[0].text(), "again");
    let listed = client.threads().messages().list(&thread).unwrap();
    assert_eq!(listed.data[0].text(), "again");
}

#[test]
fn api_errors_carry_status_object_and_request_id_but_never_the_key() {
    let server = serve(Script::new());
    let client = client(&server);
    let err = client
        .threads()
        .runs()
        .retrieve("thread_nope", "run_nope")
        .unwrap_err();
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
fn thread_and_run_then_resources() {
    let server = serve(Script::new().run(RunScript::text(["ok"])));
    let client = client(&server);
    let assistant = client.assistants().create(json!({"model": "m"})).unwrap();
    let events: Vec<StreamEvent> = client
        .threads()
        .create_and_run_stream(&assistant.id, &["hello"])
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let StreamEvent::ThreadCreated(thread) = &events[0] else {
        panic!("{events:?}")
    };
    let run = events.iter().find_map(StreamEvent::run).unwrap().clone();
    assert_eq!(client.threads().retrieve(&thread.id).unwrap().id, thread.id);
    assert_eq!(
        client.threads().runs().list(&thread.id).unwrap().data[0].id,
        run.id
    );
    let steps = client
        .threads()
        .runs()
        .steps()
        .list(&thread.id, &run.id)
        .unwrap();
    let step = client
        .threads()
        .runs()
        .steps()
        .retrieve(&thread.id, &run.id, &steps.data[0].id)
        .unwrap();
    assert_eq!(step.id, steps.data[0].id);
    let newest = &client.threads().messages().list(&thread.id).unwrap().data[0];
    assert_eq!(
        client
            .threads()
            .messages()
            .retrieve(&thread.id, &newest.id)
            .unwrap()
            .text(),
        "ok"
    );
    assert_eq!(
        client.assistants().retrieve(&assistant.id).unwrap().id,
        assistant.id
    );
    assert_eq!(
        client.threads().delete(&thread.id).unwrap()["deleted"],
        true
    );
    assert_eq!(
        client.assistants().delete(&assistant.id).unwrap()["deleted"],
        true
    );
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
    let mut stream = client
        .threads()
        .runs()
        .create_stream(&thread, &assistant)
        .unwrap();
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
    let assistant = client.assistants().create(json!({"model": "m"})).unwrap();
    let mut seen = BTreeSet::new();
    for _ in &ends {
        let first = client
            .threads()
            .create_and_run_stream(&assistant.id, &["go"])
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
                Err(Error::Stream(StreamError::ErrorEvent(_))) => {
                    seen.insert("error".to_owned());
                }
                Err(err) => panic!("{err}"),
            }
        }
        let (thread_id, run_id) = (thread_id.unwrap(), run_id.unwrap());
        let run = client
            .threads()
            .runs()
            .retrieve(&thread_id, &run_id)
            .unwrap();
        let outputs: Vec<(String, String)> = run
            .pending_tool_calls()
            .iter()
            .map(|c| (c.id.clone(), "ok".into()))
            .collect();
        for item in client
            .threads()
            .runs()
            .submit_tool_outputs_stream(&thread_id, &run_id, &outputs)
            .unwrap()
        {
            match item {
                Ok(event) => {
                    seen.insert(event.name().to_owned());
                }
                Err(Error::Stream(StreamError::ErrorEvent(_))) => {
                    seen.insert("error".to_owned());
                }
                Err(Error::Truncated { .. }) => {}
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
    let run = client.threads().runs().create(&thread, &assistant).unwrap();
    assert_eq!(run.status, RunStatus::RequiresAction);
    let cancelled = client.threads().runs().cancel(&thread, &run.id).unwrap();
    assert_eq!(cancelled.status, RunStatus::Cancelled);
}

/// `text()` means the same in both transports: the reply's pieces as they arrive (here an
/// iterator of `String`s); `into_text()` is the whole reply.
#[test]
fn text_is_the_pieces_and_into_text_the_whole() {
    let server = serve(
        Script::new()
            .run(RunScript::text(["Hel", "lo", "!"]))
            .repeat(),
    );
    let client = client(&server);
    let (assistant, thread) = thread_with_message(&client, json!([]));
    let pieces: Vec<String> = client
        .threads()
        .runs()
        .create_stream(&thread, &assistant)
        .unwrap()
        .text()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pieces, ["Hel", "lo", "!"]);
    let whole = client
        .threads()
        .runs()
        .create_stream(&thread, &assistant)
        .unwrap()
        .into_text()
        .unwrap();
    assert_eq!(whole, "Hello!");
}
