// The Assistants API over loopback HTTP against the test server, written once in async form and
// played by both clients (`crates/sync/tests/client.rs`, `crates/async/tests/client.rs`; the
// sync twin is this code with `async` and `.await` stripped by `sync_twin!`).
//
// Not a module of this crate: `include!`d by the runners, which bring into scope the
// transport's `Client`, `Config`, `Error`, `StreamError`, the `client_test!` and
// `client_helper!` macros, `serve`, and `pause` (a sleep that lets the test server go on).

use std::time::{Duration, Instant};

use serde_json::json;
use streaming_assistants_core::assistants::event::StreamEvent;
use streaming_assistants_core::assistants::types::RunStatus;
use streaming_assistants_testserver::{Delivery, RunEnd, RunScript, Script, TestServer};

fn client(server: &TestServer) -> Client {
    Client::new(Config::new("sk-test-secret").base_url(server.base_url())).unwrap()
}

client_helper! {
    /// An assistant with `tools`, and a thread holding one user message: their ids.
    pub(crate) async fn thread_with_message(
        client: &Client,
        tools: serde_json::Value,
    ) -> (String, String) {
        let assistant = client
            .assistants()
            .create(json!({"model": "gpt-4o", "tools": tools}))
            .await
            .unwrap();
        let thread = client.threads().create().await.unwrap();
        client
            .threads()
            .messages()
            .create(&thread.id, "Weather in Paris?")
            .await
            .unwrap();
        (assistant.id, thread.id)
    }
}

client_test! {
    async fn text_and_snapshot_adapters_with_one_byte_writes() {
        let one_byte = Delivery {
            chunk_size: Some(1),
            ..Delivery::default()
        };
        let script = Script::new()
            .run(RunScript::text(["Hel", "lo"]).delivered(one_byte.clone()))
            .run(RunScript::text(["again"]).delivered(one_byte));
        let server = serve(script).await;
        let client = client(&server);
        let (assistant, thread) = thread_with_message(&client, json!([])).await;
        let mut pieces = client
            .threads()
            .runs()
            .create_stream(&thread, &assistant)
            .await
            .unwrap()
            .text();
        let mut text = String::new();
        while let Some(piece) = pieces.next().await {
            text.push_str(&piece.unwrap());
        }
        assert_eq!(text, "Hello");
        let snapshot = client
            .threads()
            .runs()
            .create_stream(&thread, &assistant)
            .await
            .unwrap()
            .into_snapshot()
            .await
            .unwrap();
        assert_eq!(snapshot.run.unwrap().status, RunStatus::Completed);
        assert_eq!(snapshot.messages[0].text(), "again");
        let listed = client.threads().messages().list(&thread).await.unwrap();
        assert_eq!(listed.data[0].text(), "again");
    }
}

client_test! {
    async fn one_byte_writes_and_api_errors() {
        let one_byte = Delivery {
            chunk_size: Some(1),
            ..Delivery::default()
        };
        let script = Script::new().run(RunScript::text(["by", "te"]).delivered(one_byte));
        let server = serve(script).await;
        let client = client(&server);
        let (assistant, thread) = thread_with_message(&client, json!([])).await;
        let text = client
            .threads()
            .runs()
            .create_stream(&thread, &assistant)
            .await
            .unwrap()
            .into_text()
            .await
            .unwrap();
        assert_eq!(text, "byte");
        let err = client
            .threads()
            .runs()
            .retrieve(&thread, "run_nope")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Api(api) if api.status == 404),
            "{err:?}"
        );
        assert!(!format!("{err:?}{err}{client:?}").contains("sk-test-secret"));
    }
}

client_test! {
    async fn api_errors_carry_status_object_and_request_id_but_never_the_key() {
        let server = serve(Script::new()).await;
        let client = client(&server);
        let err = client
            .threads()
            .runs()
            .retrieve("thread_nope", "run_nope")
            .await
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
}

client_test! {
    async fn thread_and_run_then_resources() {
        let server = serve(Script::new().run(RunScript::text(["ok"]))).await;
        let client = client(&server);
        let assistant = client
            .assistants()
            .create(json!({"model": "m"}))
            .await
            .unwrap();
        let mut stream = client
            .threads()
            .create_and_run_stream(&assistant.id, &["hello"])
            .await
            .unwrap();
        let mut events = Vec::new();
        while let Some(event) = stream.next().await {
            events.push(event.unwrap());
        }
        let StreamEvent::ThreadCreated(thread) = &events[0] else {
            panic!("{events:?}")
        };
        let run = events.iter().find_map(StreamEvent::run).unwrap().clone();
        assert_eq!(
            client.threads().retrieve(&thread.id).await.unwrap().id,
            thread.id
        );
        assert_eq!(
            client.threads().runs().list(&thread.id).await.unwrap().data[0].id,
            run.id
        );
        let steps = client
            .threads()
            .runs()
            .steps()
            .list(&thread.id, &run.id)
            .await
            .unwrap();
        let step = client
            .threads()
            .runs()
            .steps()
            .retrieve(&thread.id, &run.id, &steps.data[0].id)
            .await
            .unwrap();
        assert_eq!(step.id, steps.data[0].id);
        let newest = &client
            .threads()
            .messages()
            .list(&thread.id)
            .await
            .unwrap()
            .data[0];
        assert_eq!(
            client
                .threads()
                .messages()
                .retrieve(&thread.id, &newest.id)
                .await
                .unwrap()
                .text(),
            "ok"
        );
        assert_eq!(
            client
                .assistants()
                .retrieve(&assistant.id)
                .await
                .unwrap()
                .id,
            assistant.id
        );
        assert_eq!(
            client.threads().delete(&thread.id).await.unwrap()["deleted"],
            true
        );
        assert_eq!(
            client.assistants().delete(&assistant.id).await.unwrap()["deleted"],
            true
        );
    }
}

client_test! {
    /// The first event, then the run's snapshot from the rest of the stream; the resources
    /// the run left behind, each through its call.
    async fn thread_and_run_then_every_resource_call() {
        let server = serve(Script::new().run(RunScript::text(["ok"]))).await;
        let client = client(&server);
        let assistant = client
            .assistants()
            .create(json!({"model": "m"}))
            .await
            .unwrap();
        let mut stream = client
            .threads()
            .create_and_run_stream(&assistant.id, &["hello"])
            .await
            .unwrap();
        let Some(Ok(StreamEvent::ThreadCreated(thread))) = stream.next().await else {
            panic!()
        };
        let snapshot = stream.into_snapshot().await.unwrap();
        let run = snapshot.run.unwrap();
        assert_eq!(
            client.threads().retrieve(&thread.id).await.unwrap().id,
            thread.id
        );
        assert_eq!(
            client.threads().runs().list(&thread.id).await.unwrap().data[0].id,
            run.id
        );
        let steps = client
            .threads()
            .runs()
            .steps()
            .list(&thread.id, &run.id)
            .await
            .unwrap();
        let step = client
            .threads()
            .runs()
            .steps()
            .retrieve(&thread.id, &run.id, &steps.data[0].id)
            .await
            .unwrap();
        assert_eq!(step.id, steps.data[0].id);
        let newest = client
            .threads()
            .messages()
            .list(&thread.id)
            .await
            .unwrap()
            .data[0]
            .clone();
        assert_eq!(
            client
                .threads()
                .messages()
                .retrieve(&thread.id, &newest.id)
                .await
                .unwrap()
                .text(),
            "ok"
        );
        assert_eq!(
            client
                .assistants()
                .retrieve(&assistant.id)
                .await
                .unwrap()
                .id,
            assistant.id
        );
        assert_eq!(
            client.threads().delete(&thread.id).await.unwrap()["deleted"],
            true
        );
        assert_eq!(
            client.assistants().delete(&assistant.id).await.unwrap()["deleted"],
            true
        );
    }
}

client_test! {
    async fn dropping_a_stream_early_closes_its_connection() {
        let slow = Delivery {
            pause_ms: Some(50),
            ..Delivery::default()
        };
        let server = serve(Script::new().run(RunScript::text(["x"; 40]).delivered(slow))).await;
        let client = client(&server);
        let (assistant, thread) = thread_with_message(&client, json!([])).await;
        let mut stream = client
            .threads()
            .runs()
            .create_stream(&thread, &assistant)
            .await
            .unwrap();
        assert!(matches!(
            stream.next().await,
            Some(Ok(StreamEvent::RunCreated(_)))
        ));
        assert_eq!(server.abandoned_streams(), 0);
        drop(stream);
        // The server notices at its next write (every 50 ms); give it up to 5 s.
        let deadline = Instant::now() + Duration::from_secs(5);
        while server.abandoned_streams() == 0 && Instant::now() < deadline {
            pause(Duration::from_millis(20)).await;
        }
        assert_eq!(server.abandoned_streams(), 1);
    }
}

client_test! {
    async fn every_event_kind_reaches_the_caller_typed() {
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
        let server = serve(script).await;
        let client = client(&server);
        let assistant = client
            .assistants()
            .create(json!({"model": "m"}))
            .await
            .unwrap();
        let mut seen = BTreeSet::new();
        for _ in &ends {
            let mut first = client
                .threads()
                .create_and_run_stream(&assistant.id, &["go"])
                .await
                .unwrap();
            let mut run_id = None;
            let mut thread_id = None;
            while let Some(item) = first.next().await {
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
                .await
                .unwrap();
            let outputs: Vec<(String, String)> = run
                .pending_tool_calls()
                .iter()
                .map(|c| (c.id.clone(), "ok".into()))
                .collect();
            let mut second = client
                .threads()
                .runs()
                .submit_tool_outputs_stream(&thread_id, &run_id, &outputs)
                .await
                .unwrap();
            while let Some(item) = second.next().await {
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
}

client_test! {
    async fn a_run_waiting_for_tool_outputs_can_be_cancelled() {
        let server = serve(Script::new()).await;
        let client = client(&server);
        let tools = json!([{"type": "function", "function": {"name": "f"}}]);
        let (assistant, thread) = thread_with_message(&client, tools).await;
        let run = client
            .threads()
            .runs()
            .create(&thread, &assistant)
            .await
            .unwrap();
        assert_eq!(run.status, RunStatus::RequiresAction);
        let cancelled = client
            .threads()
            .runs()
            .cancel(&thread, &run.id)
            .await
            .unwrap();
        assert_eq!(cancelled.status, RunStatus::Cancelled);
    }
}

client_test! {
    /// `text()` means the same in both transports: the reply's pieces as they arrive (an
    /// iterator of `String`s in sync, a `Stream` of them in async); `into_text()` is the whole
    /// reply.
    async fn text_is_the_pieces_and_into_text_the_whole() {
        let server = serve(
            Script::new()
                .run(RunScript::text(["Hel", "lo", "!"]))
                .repeat(),
        )
        .await;
        let client = client(&server);
        let (assistant, thread) = thread_with_message(&client, json!([])).await;
        let mut text = client
            .threads()
            .runs()
            .create_stream(&thread, &assistant)
            .await
            .unwrap()
            .text();
        let mut pieces = Vec::new();
        while let Some(piece) = text.next().await {
            pieces.push(piece.unwrap());
        }
        assert_eq!(pieces, ["Hel", "lo", "!"]);
        let whole = client
            .threads()
            .runs()
            .create_stream(&thread, &assistant)
            .await
            .unwrap()
            .into_text()
            .await
            .unwrap();
        assert_eq!(whole, "Hello!");
    }
}

client_test! {
    /// A consumer that stops reading holds the server back once the socket buffers are full:
    /// nothing reads the body ahead of the caller.
    async fn a_slow_consumer_holds_the_server_back_instead_of_buffering_the_body() {
        // ~40 MB of deltas; the client reads one event, then stops reading for a while.
        let pieces = vec!["0123456789abcdef"; 200_000];
        let server = serve(Script::new().run(RunScript::text(pieces))).await;
        let client = client(&server);
        let (assistant, thread) = thread_with_message(&client, json!([])).await;
        let mut stream = client
            .threads()
            .runs()
            .create_stream(&thread, &assistant)
            .await
            .unwrap();
        assert!(matches!(
            stream.next().await,
            Some(Ok(StreamEvent::RunCreated(_)))
        ));
        pause(Duration::from_millis(800)).await;
        let held = server.body_bytes_sent();
        // What left the server sits in the kernel's socket buffers and one read buffer of the
        // client: a few MB on loopback, not the body.
        assert!(
            held < 16 << 20,
            "{held} bytes sent to a client that is not reading"
        );
        pause(Duration::from_millis(300)).await;
        assert!(
            server.body_bytes_sent() - held < 1 << 20,
            "the server kept writing"
        );
        let mut deltas = 0;
        while let Some(event) = stream.next().await {
            deltas += event.unwrap().text_deltas().count();
        }
        assert_eq!(deltas, 200_000);
        assert!(server.body_bytes_sent() > 35 << 20);
    }
}
