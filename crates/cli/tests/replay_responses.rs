//! `streaming-assistants replay` on Responses streams (detected, or `--api responses`), through
//! the built binary, on real recorded bodies.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{bin, replay_stdin, root_path, stderr, stdout};
use serde_json::Value;
use streaming_assistants_core::responses::{Accumulator, Decoder};
use streaming_assistants_core::wire::protocol::Decode;

fn recording(name: &str) -> PathBuf {
    root_path("crates/core/tests/recordings/responses").join(name)
}

const HELLO: &str = "resp_dotnet_HelloWorldStreaming_gpt_4o_mini__65d5703f__e0.sse";
const REASONING: &str = "resp_dotnet_StreamingResponsesWithReasoningSummaryAsync__87964c3b__e0.sse";

fn replay(args: &[&str], file: &PathBuf) -> Output {
    bin()
        .arg("replay")
        .args(args)
        .arg(file)
        .output()
        .expect("run")
}

fn core_snapshot(body: &[u8]) -> (Value, String) {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    decoder.push(body);
    while let Some(event) = decoder.next_event() {
        acc.apply(&event.unwrap()).unwrap();
    }
    let snapshot = acc.into_snapshot();
    let text = snapshot.output_text();
    (snapshot.into_value(), text)
}

#[test]
fn text_events_and_snapshot_of_a_recording() {
    for name in [HELLO, REASONING] {
        let file = recording(name);
        let body = std::fs::read(&file).unwrap();
        let (expected, text) = core_snapshot(&body);
        for args in [&[][..], &["--chunk-size", "7"], &["--api", "responses"]] {
            let out = replay(args, &file);
            assert!(out.status.success(), "{name} {args:?}: {}", stderr(&out));
            assert_eq!(stdout(&out), format!("{text}\n"), "{name} {args:?}");
        }
        let out = replay(&["--snapshot"], &file);
        assert!(out.status.success(), "{}", stderr(&out));
        let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(printed, expected, "{name}");
        let out = replay(&["--events"], &file);
        assert!(out.status.success(), "{}", stderr(&out));
        let lines: Vec<Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let raw: Vec<&str> = std::str::from_utf8(&body)
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .collect();
        assert_eq!(lines.len(), raw.len(), "{name}: one line per event");
        for (line, data) in lines.iter().zip(&raw) {
            assert_eq!(line["event"], line["data"]["type"]);
            // The data exactly as received: the line's text holds it byte for byte.
            assert_eq!(line["data"], serde_json::from_str::<Value>(data).unwrap());
        }
        assert!(
            stdout(&out).contains(raw[0]),
            "{name}: data printed as received"
        );
    }
}

#[test]
fn a_cut_stream_prints_everything_then_exits_1() {
    let body = std::fs::read(recording(HELLO)).unwrap();
    let cut = &body[..body.len() / 2];
    let out = replay_stdin(&[], cut);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("Hello!"), "{}", stdout(&out));
    assert!(stderr(&out).contains("cut short"), "{}", stderr(&out));
    let out = replay_stdin(&["--snapshot"], cut);
    assert_eq!(out.status.code(), Some(1));
    let snapshot: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        snapshot["status"], "in_progress",
        "everything received is kept"
    );
}

#[test]
fn an_error_event_or_a_failed_response_exits_1_after_the_text() {
    let body = std::fs::read(recording(HELLO)).unwrap();
    let text = String::from_utf8(body).unwrap();
    let upto = text.find("event: response.output_text.done").unwrap();
    for (tail, message) in [
        (
            "event: error\ndata: {\"type\":\"error\",\"sequence_number\":99,\"error\":{\"type\":\"server_error\",\"code\":\"server_error\",\"message\":\"boom\",\"param\":null}}\n\n",
            "boom",
        ),
        (
            "data: {\"type\":\"error\",\"sequence_number\":99,\"code\":\"rate_limit\",\"message\":\"flat boom\",\"param\":null}\n\n",
            "flat boom",
        ),
        (
            "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":99,\"response\":{\"id\":\"resp_0976c6df58902d6a0068c9ef349f8881968e62cd0dd40b45bf\",\"object\":\"response\",\"status\":\"failed\",\"output\":null,\"error\":{\"code\":\"server_error\",\"message\":\"went wrong\"}}}\n\n",
            "went wrong",
        ),
    ] {
        let out = replay_stdin(&[], format!("{}{tail}", &text[..upto]).as_bytes());
        assert_eq!(out.status.code(), Some(1), "{message}");
        assert!(stdout(&out).starts_with("Hello!"), "{}", stdout(&out));
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
}

#[test]
fn an_unknown_event_type_is_kept_and_ends_nothing() {
    let body = std::fs::read(recording(HELLO)).unwrap();
    let text = String::from_utf8(body).unwrap();
    let at = text.find("event: response.output_item.added").unwrap();
    let input = format!(
        "{}event: response.brand_new\ndata: {{\"type\":\"response.brand_new\",\"sequence_number\":2,\"x\":1}}\n\n{}",
        &text[..at],
        &text[at..]
    );
    let out = replay_stdin(&["--events"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(r#"{"event":"response.brand_new","data":{"type":"response.brand_new","sequence_number":2,"x":1}}"#));
    let out = replay_stdin(&[], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_stream_ending_incomplete_prints_everything_and_exits_0() {
    let body = std::fs::read(recording(HELLO)).unwrap();
    let text = String::from_utf8(body).unwrap();
    let upto = text.find("event: response.completed").unwrap();
    let completed = text[upto..]
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap();
    let mut terminal: Value = serde_json::from_str(completed).unwrap();
    terminal["type"] = "response.incomplete".into();
    terminal["response"]["status"] = "incomplete".into();
    terminal["response"]["incomplete_details"] = serde_json::json!({"reason": "max_output_tokens"});
    let input = format!(
        "{}event: response.incomplete\ndata: {terminal}\n\n",
        &text[..upto]
    );
    let out = replay_stdin(&[], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! How can I assist you today?\n");
    let out = replay_stdin(&["--snapshot"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snapshot: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(snapshot["status"], "incomplete");
    assert_eq!(
        snapshot["incomplete_details"]["reason"],
        "max_output_tokens"
    );
    assert_eq!(
        snapshot["output"][0]["content"][0]["text"],
        "Hello! How can I assist you today?"
    );
    let out = replay_stdin(&["--events"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 17, "every event printed");
    assert_eq!(lines[16]["event"], "response.incomplete");
    assert_eq!(lines[16]["data"], terminal);
}

#[test]
fn a_data_only_responses_stream_is_detected() {
    let file = recording(HELLO);
    let body = std::fs::read(&file).unwrap();
    let (expected, text) = core_snapshot(&body);
    let data_only: String = String::from_utf8(body)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("event:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!data_only.contains("event:"));
    let out = replay_stdin(&[], data_only.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{text}\n"));
    assert_eq!(text, "Hello! How can I assist you today?");
    let out = replay_stdin(&["--snapshot"], data_only.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        printed, expected,
        "the same response as with `event:` lines"
    );
}
