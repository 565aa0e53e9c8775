//! Astra's legacy flow on tokio: the run goes to `generating`, then the reply streams from
//! `GET /threads/{id}/messages?stream=true`.
//!
//! `cargo run -p streaming-assistants-async --example legacy_astra`

use std::time::Duration;

use serde_json::json;
use streaming_assistants_async::{Client, Config};
use streaming_assistants_testserver::{Dialect, RunScript, Script, TestServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let script = Script::new().run(RunScript::text(["Astra", " streams", " this."]));
    let server = TestServer::start_with(script, Dialect::Astra, 0).await?;
    let config = Config::new("any-key")
        .base_url(server.base_url())
        .header("astra-api-token", "AstraCS:example");
    let client = Client::new(config)?;

    let assistant = client
        .assistants()
        .create(json!({"model": "gpt-4o"}))
        .await?;
    let thread = client.threads().create().await?;
    client
        .threads()
        .messages()
        .create(&thread.id, "Hello Astra")
        .await?;

    let mut stream = client
        .threads()
        .runs()
        .legacy_stream(&thread.id, &assistant.id, Duration::from_millis(100))
        .await?;
    let run_id = stream.run_id().to_owned();
    while let Some(piece) = stream.next().await {
        print!("{}", piece?);
    }
    // The legacy stream has no end marker: the run says how it ended.
    let run = client
        .threads()
        .runs()
        .retrieve(&thread.id, &run_id)
        .await?;
    println!("\n[{}]", run.status);
    Ok(())
}
