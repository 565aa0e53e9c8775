//! Using the test server in your own async tests: a real HTTP server with a scripted model on
//! loopback, so your code's streaming paths — cancellation included — run offline.
//!
//! In your crate: `streaming-assistants-testserver` as a dev-dependency, and this `main`'s body
//! as a `#[tokio::test]` in `tests/`.
//! `cargo run -p streaming-assistants-async --example in_your_tests`

use std::time::Duration;

use serde_json::json;
use streaming_assistants_async::{Client, Config};
use streaming_assistants_testserver::{Delivery, RunScript, Script, TestServer};

#[tokio::main]
async fn main() {
    // A slow model: one delta every 100 ms.
    let slow = Delivery {
        pause_ms: Some(100),
        ..Delivery::default()
    };
    let server = TestServer::start(Script::new().run(RunScript::text(["a"; 50]).delivered(slow)))
        .await
        .expect("test server");
    let client = Client::new(Config::new("test-key").base_url(server.base_url())).expect("client");
    let assistant = client
        .assistants()
        .create(json!({"model": "m"}))
        .await
        .unwrap();
    let thread = client.threads().create().await.unwrap();
    client
        .threads()
        .messages()
        .create(&thread.id, "Hi")
        .await
        .unwrap();

    // The code under test gives up after 300 ms; the stream is dropped and its connection closed.
    let stream = client
        .threads()
        .runs()
        .create_stream(&thread.id, &assistant.id)
        .await
        .unwrap();
    let gave_up = tokio::time::timeout(Duration::from_millis(300), stream.into_text()).await;
    assert!(gave_up.is_err());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        server.abandoned_streams(),
        1,
        "the server saw the client go"
    );
    println!("the server saw the cancelled stream go away");
}
