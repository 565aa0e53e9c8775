//! The official `openai` Python SDK (pinned, `openai==3.57.0`) as a client of the test server:
//! a real client no one here wrote. Python is `$STREAMING_ASSISTANTS_PYTHON`, else the
//! workspace's `.venv` (made by the README's test command); without it this test skips and says
//! so, or fails where `STREAMING_ASSISTANTS_REQUIRE_ORACLES` is set (CI).

use std::path::PathBuf;

use serde_json::Value;
use streaming_assistants_testserver::{Script, TestServer};

#[path = "../../core/tests/support/oracle.rs"]
mod oracle;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_sdk_streams_a_tool_call_and_the_reply() {
    let Some(python) = oracle::python("the_official_sdk_streams_a_tool_call_and_the_reply") else {
        return;
    };
    let server = TestServer::start(Script::new()).await.unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sdk/client.py");
    let output = tokio::process::Command::new(python)
        .arg(script)
        .arg(server.base_url())
        .output()
        .await
        .expect("run python");
    assert!(
        output.status.success(),
        "SDK client failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    let expected_text = "The forecast says sunny, 21°C today 【0†weather.txt】.";
    assert_eq!(seen["first_status"], "requires_action");
    assert_eq!(seen["calls"][0]["name"], "get_weather");
    assert_eq!(seen["calls"][0]["arguments"], "{\"location\": \"Paris\"}");
    assert_eq!(seen["first_events"][0], "thread.run.created");
    assert_eq!(seen["text_deltas"], expected_text);
    assert_eq!(seen["final_text"], expected_text);
    assert_eq!(seen["final_citation"], "file_weather_txt");
    assert_eq!(seen["final_run_status"], "completed");
    assert_eq!(seen["listed_text"], expected_text);
    assert_eq!(seen["listed_id"], seen["final_id"]);
    assert_eq!(seen["retrieved_status"], "completed");
    assert_eq!(seen["retrieved_usage"], seen["final_usage"]);
}
