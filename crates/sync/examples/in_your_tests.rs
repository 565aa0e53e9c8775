//! Using the test server in your own tests: a real HTTP server with a scripted model on
//! loopback, so your code's streaming paths run offline and deterministically — including the
//! failures (a cut connection here).
//!
//! In your crate: `streaming-assistants-testserver` as a dev-dependency, and this `main`'s body
//! as a `#[test]` in `tests/`. `cargo run -p streaming-assistants-sync --example in_your_tests`

use serde_json::json;
use streaming_assistants_sync::{Client, Config, Error};
use streaming_assistants_testserver::{BlockingTestServer, Delivery, RunScript, Script};

/// The code under test: the reply of a run, as your application would fetch it.
fn reply(client: &Client, assistant: &str, question: &str) -> Result<String, Error> {
    let thread = client.threads().create()?;
    client.threads().messages().create(&thread.id, question)?;
    client
        .threads()
        .runs()
        .create_stream(&thread.id, assistant)?
        .text()
        .collect()
}

fn main() {
    let script = Script::new().run(RunScript::text(["4", "2"])).run(
        RunScript::text(["cut short "; 40]).delivered(Delivery {
            disconnect_after: Some(3000),
            ..Delivery::default()
        }),
    );
    let server = BlockingTestServer::start(script).expect("test server");
    let client = Client::new(Config::new("test-key").base_url(server.base_url())).expect("client");
    let assistant = client
        .assistants()
        .create(json!({"model": "m"}))
        .expect("assistant")
        .id;

    assert_eq!(reply(&client, &assistant, "6 x 7?").expect("a reply"), "42");
    let cut = reply(&client, &assistant, "again?");
    assert!(cut.is_err(), "a cut stream is an error: {cut:?}");
    println!("both cases pass");
}
