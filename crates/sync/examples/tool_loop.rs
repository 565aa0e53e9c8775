//! Answer the model's tool calls from Rust while the run streams.
//!
//! `cargo run -p streaming-assistants-sync --example tool_loop`

use std::io::Write;

use serde_json::json;
use streaming_assistants_core::assistants::event::StreamEvent;
use streaming_assistants_sync::{Client, Config};
use streaming_assistants_testserver::{BlockingTestServer, Script};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The test server's default model calls the assistant's first function tool.
    let server = BlockingTestServer::start(Script::new())?;
    let client = Client::new(Config::new("any-key").base_url(server.base_url()))?;

    let tools = json!([{"type": "function", "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}}
    }}]);
    let assistant = client
        .assistants()
        .create(json!({"model": "gpt-4o", "tools": tools}))?;
    let thread = client.threads().create()?;
    client
        .threads()
        .messages()
        .create(&thread.id, "What's the weather in Paris?")?;

    let run = client
        .threads()
        .runs()
        .run_with_tools(&thread.id, &assistant.id, |call| {
            let function = call.function.clone().unwrap_or_default();
            eprintln!("tool call: {:?}({:?})", function.name, function.arguments);
            "sunny, 21°C".to_owned() // your function's output
        });
    for event in run {
        match event? {
            StreamEvent::RunCompleted(run) => eprintln!("\nrun {} completed", run.id),
            event => {
                print!("{}", event.text_deltas().collect::<String>());
                std::io::stdout().flush()?;
            }
        }
    }
    Ok(())
}
