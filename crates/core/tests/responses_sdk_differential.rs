//! The Responses accumulator against both official SDKs, on every body in
//! `tests/recordings/responses/`: the real bodies from api.openai.com (see PROVENANCE.md) and
//! the synthetic `responses_synthetic_*.sse` ones (written by `tests/sdk/make_synthetic_responses.py`
//! for the event families no recording has: refusal, reasoning text, custom tool input, file
//! search / web search / image generation status and partial images, shell commands and
//! output, a local shell call, a `keepalive`, and terminal events without an `output`):
//!
//! - openai-node 7.59.0's `accumulateResponse` (the reference, `tests/sdk/responses_accumulate.mjs`):
//!   the snapshot after **every** event, so a stream cut after any event must leave exactly the
//!   SDK's snapshot at that point — and report truncation; and its `ResponseStream`'s final
//!   response (`client.responses.stream(...).finalResponse()`), which, unlike
//!   `accumulateResponse`, fills a terminal event whose `output` is null or absent;
//! - openai-python 3.57.0's `client.responses.stream(...)` (`tests/sdk/responses_accumulate.py`):
//!   the final response of every stream ending in `response.completed`.
//!
//! Both whole, and in 1- and 7-byte chunks, through the borrowed hot path (what the transports
//! and `replay` use) and the owned one. The SDKs are installed by the README's test command
//! (`.venv`, `.sdk-node`).

use std::path::{Path, PathBuf};
use std::process::Command;
use streaming_assistants_core::wire::protocol::Decode;

#[path = "support/oracle.rs"]
mod oracle;

use serde_json::Value;
use streaming_assistants_core::drive::{Reader, Verdict};
use streaming_assistants_core::responses::{
    Accumulator, Decoder, EventType, ResponseEvent, Responses, Snapshot,
};

use oracle::root;

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Every body: the real recordings and the synthetic ones.
fn recordings() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(tests_dir().join("recordings/responses"))
        .expect("recordings")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "sse"))
        .collect();
    files.sort();
    files
}

/// Written by `tests/sdk/make_synthetic_responses.py`, not recorded.
fn is_synthetic(path: &Path) -> bool {
    name(path).starts_with("responses_synthetic_")
}

/// The event types the synthetic bodies are there for: no real recording has them.
const SYNTHETIC_FAMILIES: &[&str] = &[
    "response.refusal.delta",
    "response.refusal.done",
    "response.reasoning_text.delta",
    "response.reasoning_text.done",
    "response.custom_tool_call_input.delta",
    "response.custom_tool_call_input.done",
    "response.file_search_call.in_progress",
    "response.file_search_call.searching",
    "response.file_search_call.completed",
    "response.web_search_call.in_progress",
    "response.web_search_call.searching",
    "response.web_search_call.completed",
    "response.image_generation_call.in_progress",
    "response.image_generation_call.generating",
    "response.image_generation_call.partial_image",
    "response.image_generation_call.completed",
    "response.shell_call_command.added",
    "response.shell_call_command.delta",
    "response.shell_call_command.done",
    "response.shell_call_output_content.delta",
    "response.shell_call_output_content.done",
    "keepalive",
];

/// Every event of a body, decoded (owned).
fn events(body: &[u8]) -> Vec<ResponseEvent> {
    let mut decoder = Decoder::new();
    decoder.push(body);
    std::iter::from_fn(|| decoder.next_event())
        .map(|event| event.expect("decodes"))
        .collect()
}

/// Whether the body's last event is a lifecycle event whose `response` has no `output` (null
/// or absent): the final response is then made of the items the stream built.
fn ends_without_output(body: &[u8]) -> bool {
    let events = events(body);
    let last = events.last().expect("events");
    last.kind.is_lifecycle()
        && last
            .response
            .as_ref()
            .is_some_and(|r| r.get("output").is_none_or(Value::is_null))
}

fn run_oracle(program: &str, script: &str, cwd: &Path, files: &[PathBuf]) -> Vec<Value> {
    let output = Command::new(program)
        .arg(tests_dir().join("sdk").join(script))
        .args(files)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("run {program} {script}: {e}"));
    assert!(
        output.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("oracle JSON"))
        .collect()
}

fn run_node(modules: &Path, files: &[PathBuf]) -> Vec<Value> {
    run_oracle("node", "responses_accumulate.mjs", modules, files)
}

fn run_python(python: &Path, files: &[PathBuf]) -> Vec<Value> {
    run_oracle(
        python.to_str().expect("path"),
        "responses_accumulate.py",
        &root(),
        files,
    )
}

/// Where the first difference is, comparing numbers by value (the SDKs print `1.0` as `1` or
/// `1.0`; the number is the same).
fn difference(path: &str, ours: &Value, sdk: &Value) -> Option<String> {
    match (ours, sdk) {
        (Value::Number(a), Value::Number(b)) => {
            (a.as_f64() != b.as_f64()).then(|| format!("{path}: {a} vs {b}"))
        }
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                let (x, y) = (a.get(key), b.get(key));
                let found = match (x, y) {
                    (Some(x), Some(y)) => difference(&format!("{path}.{key}"), x, y),
                    _ => Some(format!("{path}.{key}: {x:?} vs {y:?}")),
                };
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| difference(&format!("{path}[{i}]"), x, y)),
        _ => (ours != sdk).then(|| {
            let short = |v: &Value| v.to_string().chars().take(200).collect::<String>();
            format!("{path}: {} vs {}", short(ours), short(sdk))
        }),
    }
}

/// Ours, through the transports' pump (`drive::Reader`) and the borrowed hot path.
fn borrowed(body: &[u8], chunk: usize) -> (Snapshot, Option<Verdict>) {
    let mut reader = Reader::<Responses>::new();
    let mut acc = Accumulator::new();
    for piece in body.chunks(chunk.max(1)) {
        reader.push(piece);
        while let Some(item) = reader.next_item() {
            if let Ok(item) = item {
                acc.apply_decoded(&item).expect("applies");
            }
        }
    }
    let _ = reader.end();
    (acc.into_snapshot(), reader.verdict())
}

/// Ours, owned events.
fn owned(body: &[u8], chunk: usize) -> Snapshot {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    for piece in body.chunks(chunk.max(1)) {
        decoder.push(piece);
        while let Some(item) = decoder.next_event() {
            acc.apply(&item.expect("decodes")).expect("applies");
        }
    }
    acc.into_snapshot()
}

fn check(what: &str, ours: &Snapshot, sdk: &Value) {
    let ours = ours.clone().into_value();
    if let Some(diff) = difference("response", &ours, sdk) {
        panic!("{what}: {diff}");
    }
}

/// Drops null-valued keys, recursively: openai-python's models dump every field they know,
/// with `null` for those the server did not send.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Where each event of the body ends (the recordings end events with a blank line, `\n\n`).
fn event_ends(body: &[u8]) -> Vec<usize> {
    body.windows(2)
        .enumerate()
        .filter(|(_, w)| *w == b"\n\n")
        .map(|(i, _)| i + 2)
        .collect()
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_recording_against_openai_node_whole_chunked_and_cut_after_every_event() {
    let Some(modules) = oracle::node_prefix(
        "every_recording_against_openai_node_whole_chunked_and_cut_after_every_event",
    ) else {
        return;
    };
    let files = recordings();
    let real = files.iter().filter(|f| !is_synthetic(f)).count();
    assert!(real >= 7, "the recordings, found {real}");
    let synthetic: Vec<Vec<u8>> = files
        .iter()
        .filter(|f| is_synthetic(f))
        .map(|f| std::fs::read(f).expect("synthetic body"))
        .collect();
    for family in SYNTHETIC_FAMILIES {
        assert!(
            synthetic
                .iter()
                .any(|body| events(body).iter().any(|e| e.kind.as_str() == *family)),
            "no synthetic body has `{family}`"
        );
    }
    assert!(
        synthetic.iter().filter(|b| ends_without_output(b)).count() >= 2,
        "the synthetic bodies whose terminal event has no output"
    );
    for (file, sdk) in files.iter().zip(run_node(&modules, &files)) {
        let name = name(file);
        let body = std::fs::read(file).expect("recording");
        let snapshots = sdk["snapshots"].as_array().expect("snapshots");
        let ends = event_ends(&body);
        // `accumulateResponse` throws on a terminal event without `output` (it clones the
        // response and walks its output); `ResponseStream` fills it from the items the stream
        // built, and is then the reference for the final response.
        let without_output = ends_without_output(&body);
        if let Some(error) = sdk.get("sdk_error") {
            assert!(
                is_synthetic(file) && without_output,
                "{name}: the SDK failed: {error}"
            );
            assert_eq!(
                snapshots.len() + 1,
                ends.len(),
                "{name}: only the terminal event fails: {error}"
            );
        } else {
            assert!(!without_output, "{name}: the SDK should have failed");
            assert_eq!(
                ends.len(),
                snapshots.len(),
                "{name}: one snapshot per event"
            );
        }
        let streamed = sdk.get("final").filter(|f| !f.is_null());
        if body.starts_with(b"event: response.created") {
            assert!(
                streamed.is_some(),
                "{name}: ResponseStream failed: {}",
                sdk["final_error"]
            );
        }
        let (last, output_text) = if without_output {
            (
                streamed.expect("ResponseStream's final response"),
                &sdk["final_output_text"],
            )
        } else {
            (snapshots.last().expect("events"), &sdk["output_text"])
        };
        for chunk in [body.len(), 1, 7] {
            let (snapshot, verdict) = borrowed(&body, chunk);
            check(&format!("{name}, {chunk}-byte chunks"), &snapshot, last);
            if let Some(streamed) = streamed {
                check(
                    &format!("{name}, {chunk}-byte chunks, ResponseStream"),
                    &snapshot,
                    streamed,
                );
            }
            assert_eq!(verdict, Some(Verdict::Clean), "{name}");
            assert_eq!(
                Some(snapshot.output_text().as_str()),
                output_text.as_str(),
                "{name}: output_text"
            );
            check(
                &format!("{name}, owned, {chunk}-byte chunks"),
                &owned(&body, chunk),
                last,
            );
        }
        // Every cut the SDK has a snapshot for (all of them, or all but the terminal event's
        // when that has no output: the whole body above is that cut).
        for (k, (&end, expected)) in ends.iter().zip(snapshots).enumerate() {
            let (snapshot, verdict) = borrowed(&body[..end], end);
            check(&format!("{name}, cut after event {k}"), &snapshot, expected);
            if k + 1 < ends.len() {
                assert_eq!(
                    verdict,
                    Some(Verdict::Truncated { at: end as u64 }),
                    "{name} {k}"
                );
            }
        }
    }
}

#[test]
fn every_finished_recording_against_openai_python() {
    let Some(python) = oracle::python("every_finished_recording_against_openai_python") else {
        return;
    };
    let files = recordings();
    let mut compared = 0;
    for (file, sdk) in files.iter().zip(run_python(&python, &files)) {
        let name = name(file);
        let body = std::fs::read(file).expect("recording");
        if let Some(error) = sdk.get("sdk_error") {
            let error = error.as_str().unwrap_or_default();
            let last = events(&body).last().expect("events").kind.clone();
            if error.contains("before `response.") {
                // The SDK refuses a resumed replay (no `response.created`); we accept it.
                assert!(!body.starts_with(b"event: response.created"), "{name}");
            } else {
                // `get_final_response` needs a `response.completed`.
                assert!(
                    error.contains("response.completed") && last != EventType::Completed,
                    "{name}: {error}"
                );
            }
            continue;
        }
        compared += 1;
        for chunk in [body.len(), 1, 7] {
            let (snapshot, _) = borrowed(&body, chunk);
            let ours = without_nulls(snapshot.clone().into_value());
            if let Some(diff) =
                difference("response", &ours, &without_nulls(sdk["response"].clone()))
            {
                panic!("{name}, {chunk}-byte chunks: {diff}");
            }
            assert_eq!(
                Some(snapshot.output_text().as_str()),
                sdk["output_text"].as_str(),
                "{name}: output_text"
            );
        }
    }
    // Every recording but the resumed replay, every synthetic body but the incomplete one.
    assert!(compared + 2 >= files.len(), "compared {compared}");
}
