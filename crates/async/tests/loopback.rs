//! The async client over loopback HTTP against the test server.

use std::time::Duration;

use serde_json::json;
use streaming_assistants_async::{Client, Config, Error};
use streaming_assistants_core::assistants::event::StreamEvent;
use streaming_assistants_core::assistants::types::RunStatus;
use streaming_assistants_testserver::{Delivery, RunScript, Script, TestServer};

fn client(server: &TestServer) -> Client {
    Client::new(Config::new("sk-async-secret").base_url(server.base_url())).expect("client")
}

async fn thread_with_message(client: &Client, tools: serde_json::Value) -> (String, String) {
    let assistant = client
        .assistants()
        .create(json!({"model": "m", "tools": tools}))
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

#[tokio::test]
async fn one_byte_writes_and_api_errors() {
    let one_byte = Delivery {
        chunk_size: Some(1),
        ..Delivery::default()
    };
    let server =
        TestServer::start(Script::new().run(RunScript::text(["by", "te"]).delivered(one_byte)))
            .await
            .unwrap();
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
    assert!(!format!("{err:?}{err}{client:?}").contains("sk-async-secret"));
}

#[tokio::test]
async fn dropping_under_select_closes_the_connection_and_keeps_yielded_events() {
    let slow = Delivery {
        pause_ms: Some(50),
        ..Delivery::default()
    };
    let server = TestServer::start(Script::new().run(RunScript::text(["x"; 40]).delivered(slow)))
        .await
        .unwrap();
    let client = client(&server);
    let (assistant, thread) = thread_with_message(&client, json!([])).await;
    let mut stream = client
        .threads()
        .runs()
        .create_stream(&thread, &assistant)
        .await
        .unwrap();
    let mut yielded = Vec::new();
    let deadline = tokio::time::sleep(Duration::from_millis(300));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            item = stream.next() => match item {
                Some(item) => yielded.push(item.unwrap()),
                None => break,
            },
            _ = &mut deadline => break,
        }
    }
    assert!(
        matches!(yielded.first(), Some(StreamEvent::RunCreated(_))),
        "events yielded before the timeout are kept"
    );
    drop(stream);
    let give_up = tokio::time::Instant::now() + Duration::from_secs(5);
    while server.abandoned_streams() == 0 && tokio::time::Instant::now() < give_up {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.abandoned_streams(), 1);
}

#[tokio::test]
async fn thread_and_run_then_every_resource_call() {
    let server = TestServer::start(Script::new().run(RunScript::text(["ok"])))
        .await
        .unwrap();
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

#[tokio::test]
async fn a_run_waiting_for_tool_outputs_can_be_cancelled() {
    let server = TestServer::start(Script::new()).await.unwrap();
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
    assert_eq!(
        client
            .threads()
            .runs()
            .cancel(&thread, &run.id)
            .await
            .unwrap()
            .status,
        RunStatus::Cancelled
    );
}

#[tokio::test]
async fn a_slow_consumer_holds_the_server_back_instead_of_buffering_the_body() {
    // ~40 MB of deltas; the client reads one event, then stops reading for a while.
    let pieces = vec!["0123456789abcdef"; 200_000];
    let server = TestServer::start(Script::new().run(RunScript::text(pieces)))
        .await
        .unwrap();
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
    tokio::time::sleep(Duration::from_millis(800)).await;
    let held = server.body_bytes_sent();
    // What left the server sits in the kernel's socket buffers and one read buffer of the
    // client: a few MB on loopback, not the body.
    assert!(
        held < 16 << 20,
        "{held} bytes sent to a client that is not reading"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
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

/// `text()` means the same in both transports: the reply's pieces as they arrive (here a
/// `Stream` of `String`s); `into_text()` is the whole reply.
#[tokio::test]
async fn text_is_the_pieces_and_into_text_the_whole() {
    let server = TestServer::start(
        Script::new()
            .run(RunScript::text(["Hel", "lo", "!"]))
            .repeat(),
    )
    .await
    .unwrap();
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

/// A reqwest builder that cannot build is an error, never a silent default client (which
/// would follow redirects and have no connect timeout).
#[test]
fn a_failing_http_builder_is_an_error() {
    use streaming_assistants_async::Timeouts;
    let impossible = reqwest::Client::builder().max_tls_version(reqwest::tls::Version::TLS_1_0);
    let made = Client::with_http(Config::new("k"), Timeouts::default(), impossible);
    assert!(matches!(made, Err(Error::Transport(_))), "{made:?}");
}
