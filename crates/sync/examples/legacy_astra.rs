//! Astra's legacy flow: the run goes to `generating`, then the reply streams from
//! `GET /threads/{id}/messages?stream=true`.
//!
//! `cargo run -p streaming-assistants-sync --example legacy_astra`. Against Astra itself:
//! `Config::new(openai_key).base_url("https://open-assistant-ai.astra.datastax.com/v1")
//!     .header("astra-api-token", token)`.

use std::time::Duration;

use serde_json::json;
use streaming_assistants_sync::{Client, Config};
use streaming_assistants_testserver::{BlockingTestServer, Dialect, RunScript, Script};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let script = Script::new().run(RunScript::text(["Astra", " streams", " this."]));
    let server = BlockingTestServer::start_with(script, Dialect::Astra)?;
    let config = Config::new("any-key")
        .base_url(server.base_url())
        .header("astra-api-token", "AstraCS:example");
    let client = Client::new(config)?;

    let assistant = client.assistants().create(json!({"model": "gpt-4o"}))?;
    let thread = client.threads().create()?;
    client
        .threads()
        .messages()
        .create(&thread.id, "Hello Astra")?;

    let stream = client.threads().runs().legacy_stream(
        &thread.id,
        &assistant.id,
        Duration::from_millis(100),
    )?;
    let run_id = stream.run_id().to_owned();
    for piece in stream {
        print!("{}", piece?);
    }
    // The legacy stream has no end marker: the run says how it ended.
    println!(
        "\n[{}]",
        client
            .threads()
            .runs()
            .retrieve(&thread.id, &run_id)?
            .status
    );
    Ok(())
}
