//! `streaming-assistants replay` on Chat Completions streams (detected, or `--api chat`),
//! through the built binary, on real recorded bodies.

mod common;

use common::{bin, replay_stdin, root_path, stderr, stdout};
use serde_json::Value;

fn recording(name: &str) -> std::path::PathBuf {
    root_path("crates/core/tests/recordings/chat").join(name)
}

const TOOL: &str = "chat_py_test_parse_pydantic_tool__9feadd82.sse";
const TEXT: &str = "chat_py_test_parse_nothing__9feadd82.sse";

#[test]
fn text_snapshot_and_events_of_a_recording() {
    let out = bin()
        .args(["replay"])
        .arg(recording(TEXT))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("I'm unable to provide real-time weather updates."));
    for args in [
        &["--snapshot"][..],
        &["--snapshot", "--strict"],
        &["--snapshot", "--api", "chat"],
    ] {
        let out = bin()
            .arg("replay")
            .args(args)
            .arg(recording(TOOL))
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let completion: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(completion["object"], "chat.completion");
        let call = &completion["choices"][0]["message"]["tool_calls"][0];
        assert_eq!(call["function"]["name"], "GetWeatherArgs", "{args:?}");
        assert_eq!(completion["choices"][0]["finish_reason"], "tool_calls");
    }
    let out = bin()
        .args(["replay", "--events"])
        .arg(recording(TEXT))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let body = std::fs::read_to_string(recording(TEXT)).unwrap();
    let chunks = body.lines().filter(|l| l.starts_with("data: {")).count();
    assert_eq!(stdout(&out).lines().count(), chunks);
}

#[test]
fn no_done_or_an_error_payload_exits_1_after_the_text() {
    let body = std::fs::read_to_string(recording(TEXT)).unwrap();
    let cut = body.replace("data: [DONE]", "");
    let out = replay_stdin(&[], cut.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("I'm unable"), "{}", stdout(&out));
    assert!(stderr(&out).contains("[DONE]"), "{}", stderr(&out));
    let with_error = body.replace(
        "data: [DONE]",
        "data: {\"error\": {\"message\": \"engine overloaded\", \"code\": 503}}\n\ndata: [DONE]",
    );
    let out = replay_stdin(&[], with_error.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("engine overloaded"),
        "{}",
        stderr(&out)
    );
}
