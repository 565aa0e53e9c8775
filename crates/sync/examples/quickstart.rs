//! Stream a reply as it arrives.
//!
//! `cargo run -p streaming-assistants-sync --example quickstart` runs it against the built-in
//! test server (no key, no network). For a real server, build the client with
//! `Config::from_env()` (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, ...) instead.

use std::io::Write;

use serde_json::json;
use streaming_assistants_sync::{Client, Config};
use streaming_assistants_testserver::{BlockingTestServer, RunScript, Script};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = BlockingTestServer::start(Script::new().run(RunScript::text([
        "Streaming",
        " replies,",
        " one",
        " delta",
        " at a time.",
    ])))?;
    let client = Client::new(Config::new("any-key").base_url(server.base_url()))?;

    let assistant = client
        .assistants()
        .create(json!({"model": "gpt-4o", "name": "Helper"}))?;
    let thread = client.threads().create()?;
    client
        .threads()
        .messages()
        .create(&thread.id, "How do replies arrive?")?;

    for piece in client
        .threads()
        .runs()
        .create_stream(&thread.id, &assistant.id)?
        .text()
    {
        print!("{}", piece?);
        std::io::stdout().flush()?;
    }
    println!();
    Ok(())
}
