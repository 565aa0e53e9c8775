//! One surface for the three APIs, written only against the client's names: typed results,
//! streamed and not, and one `Error` asked with predicates — against the built-in test server
//! (no key, no network). `cargo test` runs it (it asserts what it shows).
//!
//! `cargo run -p streaming-assistants-async --example one_surface` (the sync client's example,
//! with `.await`).

use std::time::Duration;

use streaming_assistants_async::{ChatRequest, Client, Config, Error, ResponseRequest, Timeouts};
use streaming_assistants_testserver::{Cut, Delivery, RunScript, Script, TestServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let hello = || RunScript::text(["Hello", ", world", "!"]);
    let cut = RunScript::text(["a", "b", "c", "d"]).delivered(Delivery {
        cut: Some(Cut::InsideEvent(3)),
        ..Delivery::default()
    });
    let stalled = RunScript::text(["a", "b"]).delivered(Delivery {
        pause_ms: Some(1_000),
        ..Delivery::default()
    });
    let start = |script| async { TestServer::start(script).await.expect("the test server") };
    let server = start(Script::new().run(hello()).repeat()).await;
    let cut_server = start(Script::new().run(cut)).await;
    let stalled_server = start(Script::new().run(stalled)).await;
    let timeouts = Timeouts::default().idle(Duration::from_millis(300));
    let client_of = |server: &TestServer| {
        Client::with_timeouts(
            Config::new("sk-example").base_url(server.base_url()),
            timeouts,
        )
    };
    let client = client_of(&server)?;

    // Responses: a typed `Response`, streamed and not.
    let request = ResponseRequest::new("gpt-4o-mini").input("Say hello");
    let streamed = client
        .responses()
        .create_stream(&request)
        .await?
        .into_response()
        .await?;
    let plain = client.responses().create(&request).await?;
    for response in [&streamed, &plain] {
        assert_eq!(response.output_text(), "Hello, world!");
        assert_eq!(response.status().map(|s| s.as_str()), Some("completed"));
    }
    println!(
        "responses: {} ({:?})",
        streamed.output_text(),
        streamed.id()
    );

    // Chat Completions: a typed `ChatCompletion`, streamed and not.
    let request = ChatRequest::new("gpt-4o-mini").user("Say hello");
    let streamed = client
        .chat()
        .create_stream(&request)
        .await?
        .into_completion()
        .await?;
    let plain = client.chat().create(&request).await?;
    for completion in [&streamed, &plain] {
        assert_eq!(completion.content(), Some("Hello, world!"));
        let finish = completion.choice(0).and_then(|c| c.finish_reason.as_ref());
        assert_eq!(finish.map(|f| f.as_str()), Some("stop"));
    }
    println!("chat: {}", streamed.content().unwrap_or_default());

    // A stream cut mid-event: a truncation, whatever the transport saw.
    let request = ResponseRequest::new("gpt-4o-mini").input("Count");
    let cut = client_of(&cut_server)?
        .responses()
        .create_stream(&request)
        .await?
        .into_response()
        .await;
    let err = cut.expect_err("cut");
    assert!(err.is_truncated(), "{err:?}");
    println!("cut: {err}");

    // An idle server: a timeout.
    let stalled = client_of(&stalled_server)?
        .responses()
        .create_stream(&request)
        .await?
        .into_response()
        .await;
    let err = stalled.expect_err("stalled");
    assert!(err.is_timeout(), "{err:?}");
    println!("stalled: {err}");

    // A missing response: the status and the API's error object.
    let err = client
        .responses()
        .retrieve("resp_missing")
        .await
        .expect_err("404");
    assert_eq!(err.status(), Some(404));
    let api = err.api_error().expect("the API's error");
    println!("missing: {:?} {:?}", api.code(), api.message());

    // Nothing listening: a connection error.
    let nowhere =
        Client::new(Config::new("sk-example").base_url("http://127.0.0.1:9/v1"))?.retries(0);
    let err = nowhere
        .responses()
        .retrieve("resp_1")
        .await
        .expect_err("refused");
    assert!(err.is_connect(), "{err:?}");
    assert!(
        !format!("{err} {err:?}").contains("sk-example"),
        "no key in errors"
    );
    println!("refused: {err}");
    Ok(())
}
