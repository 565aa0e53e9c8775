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

/// `--snapshot` keeps every piece of text (plain text chunks take the borrowed hot path) —
/// the same text the default mode prints.
#[test]
fn the_snapshot_of_a_text_stream_has_the_whole_text() {
    let text = bin().arg("replay").arg(recording(TEXT)).output().unwrap();
    for strict in [false, true] {
        let mut cmd = bin();
        cmd.args(["replay", "--snapshot"]);
        if strict {
            cmd.arg("--strict");
        }
        let out = cmd.arg(recording(TEXT)).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let completion: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let content = completion["choices"][0]["message"]["content"]
            .as_str()
            .unwrap();
        assert!(content.len() > 100, "{content}");
        assert_eq!(format!("{content}\n"), stdout(&text), "strict: {strict}");
    }
}

/// `--strict` is the SDK's rule: a late `usage: null` erases the usage, where the default
/// keeps the last non-null one.
#[test]
fn strict_and_lenient_snapshots_differ_where_the_rules_do() {
    let body = concat!(
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"total_tokens\":7}}\n\n",
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
        "data: [DONE]\n\n",
    );
    let usage = |args: &[&str]| {
        let out = replay_stdin(args, body.as_bytes());
        assert!(out.status.success(), "{}", stderr(&out));
        let completion: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(completion["choices"][0]["message"]["content"], "Hi");
        completion["usage"].clone()
    };
    assert_eq!(usage(&["--snapshot"])["total_tokens"], 7);
    assert!(usage(&["--snapshot", "--strict"]).is_null());
}
