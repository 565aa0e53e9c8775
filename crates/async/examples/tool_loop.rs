//! Answer the model's tool calls with an async closure while the run streams.
//!
//! `cargo run -p streaming-assistants-async --example tool_loop`

use std::io::Write;
use std::time::Duration;

use serde_json::json;
use streaming_assistants_async::{Client, Config};
use streaming_assistants_core::assistants::types::RequiredToolCall;
use streaming_assistants_testserver::{Script, TestServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The test server's default model calls the assistant's first function tool.
    let server = TestServer::start(Script::new()).await?;
    let client = Client::new(Config::new("any-key").base_url(server.base_url()))?;

    let tools = json!([{"type": "function", "function": {"name": "get_weather"}}]);
    let assistant = client
        .assistants()
        .create(json!({"model": "gpt-4o", "tools": tools}))
        .await?;
    let thread = client.threads().create().await?;
    client
        .threads()
        .messages()
        .create(&thread.id, "What's the weather in Paris?")
        .await?;

    let get_weather = async |call: &RequiredToolCall| {
        let arguments = call.function.clone().unwrap_or_default().arguments;
        eprintln!("tool call get_weather({arguments:?})");
        tokio::time::sleep(Duration::from_millis(50)).await; // e.g. your own HTTP call
        "sunny, 21°C".to_owned()
    };
    let mut run = client
        .threads()
        .runs()
        .run_with_tools(&thread.id, &assistant.id, get_weather);
    while let Some(event) = run.next().await {
        print!("{}", event?.text_deltas().collect::<String>());
        std::io::stdout().flush()?;
    }
    println!();
    Ok(())
}
