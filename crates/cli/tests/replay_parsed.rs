//! `replay --parsed`: openai-python's structured-output events, one JSON line each, with the
//! choice; `{"error": ...}` and exit 1 where the SDK raises. (The events' values are checked
//! against the SDK itself in `crates/core/tests/chat_parsed_differential.rs`.)

mod common;

use common::{bin, root_path, stderr, stdout};
use serde_json::{json, Value};

fn replay(args: &[&str], recording: &str) -> std::process::Output {
    bin()
        .arg("replay")
        .args(args)
        .arg(root_path(&format!(
            "crates/core/tests/recordings/chat/{recording}"
        )))
        .output()
        .unwrap()
}

fn lines(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn every_choice_streams_its_parsed_object_then_its_done_event() {
    let out = replay(
        &["--parsed"],
        "chat_py_test_parse_pydantic_model_multiple_choices__9feadd82.sse",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = lines(&out);
    assert!(lines
        .iter()
        .all(|l| l["type"] != "chunk" && l["choice"].is_u64()));
    let done: Vec<&Value> = lines
        .iter()
        .filter(|l| l["type"] == "content.done")
        .collect();
    assert_eq!(done.len(), 3);
    for (i, event) in done.iter().enumerate() {
        assert_eq!(event["choice"], i);
        assert_eq!(event["parsed"]["city"], "San Francisco");
    }
    // The object grows delta by delta: a key appears once its value has begun.
    let growing: Vec<&Value> = lines
        .iter()
        .filter(|l| l["type"] == "content.delta" && l["choice"] == 0)
        .map(|l| &l["parsed"])
        .collect();
    assert!(
        growing.contains(&&json!({"city": "San Francisco"})),
        "{growing:?}"
    );
}

#[test]
fn a_length_cut_ends_with_the_sdks_error() {
    let out = replay(
        &["--parsed"],
        "chat_py_test_parse_max_tokens_reached__9feadd82.sse",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out).last(), Some(&json!({"error": "length"})));
    assert!(stderr(&out).contains("length limit"), "{}", stderr(&out));
}

#[test]
fn trailing_strings_shows_an_unfinished_string() {
    let recording = "chat_py_test_parse_pydantic_model_multiple_choices__9feadd82.sse";
    let on = lines(&replay(&["--parsed"], recording));
    let trailing = lines(&replay(
        &["--parsed", "--partial", "trailing-strings"],
        recording,
    ));
    assert_eq!(on.len(), trailing.len());
    let unfinished = |l: &Value| {
        l["parsed"]["city"]
            .as_str()
            .is_some_and(|c| c != "San Francisco")
    };
    assert!(!on.iter().any(unfinished));
    assert!(trailing.iter().any(unfinished));
}

#[test]
fn parsed_needs_a_chat_or_responses_stream() {
    let out = bin()
        .args(["replay", "--parsed"])
        .arg(root_path("examples/captures/hello.sse"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Chat Completions and Responses"),
        "{}",
        stderr(&out)
    );
}

fn replay_responses(args: &[&str], recording: &str) -> std::process::Output {
    bin()
        .arg("replay")
        .args(args)
        .arg(root_path(&format!(
            "crates/core/tests/recordings/responses/{recording}"
        )))
        .output()
        .unwrap()
}

#[test]
fn responses_arguments_carry_their_value_so_far() {
    let recording = "resp_dotnet_FunctionCallStreamingWorks__33db028a__e0.sse";
    for (mode, unfinished) in [
        ("on", json!({})),
        ("trailing-strings", json!({"location": "San"})),
    ] {
        let out = replay_responses(&["--parsed", "--partial", mode], recording);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let lines = lines(&out);
        let deltas: Vec<&Value> = lines
            .iter()
            .filter(|l| l["type"] == "response.function_call_arguments.delta")
            .collect();
        assert!(
            deltas.iter().any(|d| d["parsed_arguments"] == unfinished),
            "{mode}: {deltas:?}"
        );
        let last = deltas.last().unwrap();
        assert_eq!(
            last["parsed_arguments"],
            json!({"location": "San Francisco, CA"})
        );
        assert_eq!(last["snapshot"], "{\"location\":\"San Francisco, CA\"}");
        let done = lines
            .iter()
            .find(|l| l["type"] == "response.function_call_arguments.done")
            .unwrap();
        assert_eq!(
            done["parsed_arguments"],
            json!({"location": "San Francisco, CA"})
        );
        assert_eq!(lines.last().unwrap()["type"], "response.completed");
    }
}

#[test]
fn a_responses_answer_that_is_not_json_ends_with_the_sdks_error() {
    let recording = "resp_dotnet_HelloWorldStreaming_gpt_4o_mini__65d5703f__e0.sse";
    let out = replay_responses(&["--parsed"], recording);
    assert_eq!(out.status.code(), Some(1));
    let lines = lines(&out);
    assert!(lines
        .iter()
        .any(|l| l["type"] == "response.output_text.delta"));
    assert_eq!(lines.last(), Some(&json!({"error": "invalid_json"})));
}
