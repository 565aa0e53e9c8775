//! Stream a reply as it arrives, on tokio.
//!
//! `cargo run -p streaming-assistants-async --example quickstart` runs it against the built-in
//! test server (no key, no network). For a real server, build the client with
//! `Config::from_env()` (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, ...) instead.

use std::io::Write;

use serde_json::json;
use streaming_assistants_async::{Client, Config};
use streaming_assistants_testserver::{RunScript, Script, TestServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let script = Script::new().run(RunScript::text([
        "Async",
        " replies,",
        " as",
        " they",
        " come.",
    ]));
    let server = TestServer::start(script).await?;
    let client = Client::new(Config::new("any-key").base_url(server.base_url()))?;

    let assistant = client
        .assistants()
        .create(json!({"model": "gpt-4o"}))
        .await?;
    let thread = client.threads().create().await?;
    client
        .threads()
        .messages()
        .create(&thread.id, "How do replies arrive?")
        .await?;

    let mut stream = client
        .threads()
        .runs()
        .create_stream(&thread.id, &assistant.id)
        .await?;
    while let Some(event) = stream.next().await {
        print!("{}", event?.text_deltas().collect::<String>());
        std::io::stdout().flush()?;
    }
    println!();
    Ok(())
}
