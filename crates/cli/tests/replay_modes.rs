//! `streaming-assistants replay` (text), `--events`, `--snapshot`, `--legacy`, through the
//! built binary.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{bin, replay_stdin, root_path, stderr, stdout};

fn capture(path: &str) -> PathBuf {
    root_path(path)
}

fn stream(name: &str) -> PathBuf {
    root_path("crates/core/tests/streams").join(name)
}

fn replay(args: &[&str], file: &PathBuf) -> Output {
    bin()
        .arg("replay")
        .args(args)
        .arg(file)
        .output()
        .expect("run")
}

#[test]
fn text_mode_prints_the_reply_in_every_framing() {
    let cases = [
        (capture("examples/captures/hello.sse"), "Hello! How can I help you today?\n"),
        (
            capture("examples/captures/astra-legacy.sse"),
            "The Astra legacy stream sends several tokens per chunk, polled about once a second.\n",
        ),
        (
            stream("15-astra-json-framing.sse"),
            "Cassandra is a distributed wide-column database built for high write throughput and no single point of failure — ideal for time-series data.\n",
        ),
    ];
    for (file, text) in cases {
        for chunk in ["1", "13", "100000"] {
            let out = replay(&["--chunk-size", chunk], &file);
            assert!(out.status.success(), "{file:?}: {}", stderr(&out));
            assert_eq!(stdout(&out), text, "{file:?} chunk {chunk}");
            assert!(out.stderr.is_empty(), "{}", stderr(&out));
        }
    }
}

#[test]
fn legacy_mode_forces_the_legacy_decoder() {
    let out = replay(
        &["--legacy"],
        &capture("examples/captures/astra-legacy.sse"),
    );
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("The Astra legacy stream"));
    // A failure frame (`data: []` without its blank line) is reported, exit 1.
    let out = replay_stdin(&["--legacy"], b"data: {\"data\":[{\"id\":\"m\",\"content\":[{\"type\":\"text\",\"delta\":{\"value\":\"so far\"}}]}]}\n\ndata: []");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "so far\n");
    assert!(
        stderr(&out).contains("stopped inside a frame"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn events_mode_prints_one_exact_json_line_per_event() {
    let input = b"event: thread.message.delta\ndata: {\"id\":\"msg_1\",\"object\":\"thread.message.delta\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"Hi\"}}]}}\n\nevent: thread.future\ndata: {\"x\": [1, 2]}\n\nevent: done\ndata: [DONE]\n\n";
    let out = replay_stdin(&["--events"], input);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        concat!(
            r#"{"event":"thread.message.delta","data":{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"Hi"}}]}}}"#,
            "\n",
            r#"{"event":"thread.future","data":{"x": [1, 2]}}"#,
            "\n",
            r#"{"event":"done","data":"[DONE]"}"#,
            "\n",
        )
    );
}

#[test]
fn snapshot_is_the_same_for_every_chunking_of_every_capture() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root_path("crates/core/tests/streams"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sse"))
        .collect();
    files.sort();
    for file in files {
        let whole = replay(&["--snapshot"], &file);
        let doc: serde_json::Value =
            serde_json::from_slice(&whole.stdout).expect("one JSON document");
        assert!(
            doc.get("run").is_some() && doc["run_steps"].is_array() && doc["messages"].is_array()
        );
        for chunk in ["1", "5", "4096"] {
            let split = replay(&["--snapshot", "--chunk-size", chunk], &file);
            assert_eq!(split.stdout, whole.stdout, "{file:?} chunk {chunk}");
            assert_eq!(split.status.code(), whole.status.code());
        }
    }
}

#[test]
fn bad_json_prints_what_came_before_then_fails() {
    let input = b"event: thread.message.delta\ndata: {\"id\":\"m\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"before \"}}]}}\n\nevent: thread.message.delta\ndata: {not json\n\nevent: thread.message.delta\ndata: {\"id\":\"m\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"after\"}}]}}\n\nevent: done\ndata: [DONE]\n\n";
    let out = replay_stdin(&[], input);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "before after\n");
    assert!(
        stderr(&out)
            .contains("could not decode `thread.message.delta` event #1 (data line 1, column 2)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn truncated_streams_keep_their_text_and_exit_1() {
    let out = replay(&[], &stream("18-cut-mid-deltas.sse"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("Per the onboarding guide"));
    assert!(
        stderr(&out).contains("the stream was cut short"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn error_events_and_failed_runs_exit_1_with_the_message() {
    let out = replay(&[], &stream("13-error-event.sse"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the server sent an error event: The server had an error"));
    let out = replay(&[], &stream("10-run-failed.sse"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("failed: server_error"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn modes_are_exclusive_and_help_documents_exit_codes() {
    let out = bin()
        .args(["replay", "--events", "--snapshot", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let help = bin().args(["replay", "--help"]).output().unwrap();
    let help = stdout(&help);
    assert!(
        help.contains("Exit codes:") && help.contains("--snapshot"),
        "{help}"
    );
}
