//! The test server's Responses API, with both official SDKs as its clients: openai-python's
//! and openai-node's `client.responses.stream(...)` each stream a tool-call round trip from it
//! (the default model: call the first function tool, then answer with its output).

use std::path::PathBuf;
use std::process::Command;

#[path = "../../core/tests/support/oracle.rs"]
mod oracle;

use serde_json::Value;
use streaming_assistants_testserver::{BlockingTestServer, Script};

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sdk")
        .join(name)
}

fn check(output: std::process::Output, who: &str) {
    assert!(
        output.status.success(),
        "{who}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    assert_eq!(seen["call"], "get_weather", "{who}: {seen}");
    assert_eq!(
        seen["arguments"], r#"{"location": "Paris"}"#,
        "{who}: {seen}"
    );
    assert_eq!(seen["text"], "The forecast says sunny.", "{who}: {seen}");
    assert!(seen["events"].as_u64().unwrap() > 15, "{who}: {seen}");
}

#[test]
fn openai_python_streams_a_tool_round_trip() {
    let Some(python) = oracle::python("openai_python_streams_a_tool_round_trip") else {
        return;
    };
    let server = BlockingTestServer::start(Script::new()).unwrap();
    let output = Command::new(python)
        .arg(script("responses_client.py"))
        .arg(server.base_url())
        .output()
        .expect("run python");
    check(output, "openai-python");
}

#[test]
fn openai_node_streams_a_tool_round_trip() {
    let Some(prefix) = oracle::node_prefix("openai_node_streams_a_tool_round_trip") else {
        return;
    };
    let server = BlockingTestServer::start(Script::new()).unwrap();
    let output = Command::new("node")
        .arg(script("responses_client.mjs"))
        .arg(server.base_url())
        .current_dir(prefix)
        .output()
        .expect("run node");
    check(output, "openai-node");
}

/// openai-python's `client.responses.connect()` with a `ResponsesWebSocketSession` drives the
/// server's WebSocket mode: a create to its final response, a tool loop of four turns on one
/// connection by `previous_response_id`, two lanes at once; a `store: false` response is gone
/// on the next connection.
#[test]
fn openai_python_drives_the_websocket_mode() {
    let Some(python) = oracle::python("openai_python_drives_the_websocket_mode") else {
        return;
    };
    let server = BlockingTestServer::start(Script::new()).unwrap();
    let output = Command::new(python)
        .arg(script("responses_websocket.py"))
        .arg(server.base_url())
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    assert_eq!(seen["hello"], "Hello! How can I help you today?", "{seen}");
    assert_eq!(seen["hello_status"], "completed");
    assert_eq!(
        (seen["tool_turns"].as_u64(), seen["tool_calls"].as_u64()),
        (Some(4), Some(2)),
        "{seen}"
    );
    assert_eq!(
        seen["tool_texts"],
        serde_json::json!(["The forecast says sunny.", "The forecast says sunny."])
    );
    assert_eq!(seen["lanes"].as_array().map(Vec::len), Some(2), "{seen}");
    assert_eq!(seen["lanes_distinct"], true);
    assert_eq!(seen["not_found"], "previous_response_not_found", "{seen}");
    assert_eq!(
        server.websocket_connections(),
        2,
        "one connection for all of the first part"
    );
}
