//! Differential test against the official `openai` Python SDK (pinned, `openai==3.57.0`).
//!
//! Every capture in `tests/streams/` goes through the SDK's own `runs.stream(...)` helpers over
//! an in-memory transport (`tests/sdk/accumulate.py`), and through our `Decoder` +
//! `Accumulator` fed whole and in several chunkings. The final run, run steps and messages must
//! be equal (nulls and `index` keys dropped on both sides; the SDK's step-terminal-event gap
//! patched on its side, see the script).
//!
//! The oracle is found by `support/oracle.rs`: without it the test skips and says so, unless
//! `STREAMING_ASSISTANTS_REQUIRE_ORACLES` is set (CI), when it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use streaming_assistants_core::wire::protocol::Decode;

#[path = "support/oracle.rs"]
mod oracle;
use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::Decoder;

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn captures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(tests_dir().join("streams"))
        .expect("tests/streams")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "sse"))
        .collect();
    files.sort();
    files
}

/// Drops nulls and `index` keys, recursively.
fn normalize(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, v)| !v.is_null() && k != "index")
                .map(|(k, v)| (k, normalize(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        other => other,
    }
}

fn ours(body: &[u8], chunk: usize) -> Value {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    for piece in body.chunks(chunk) {
        decoder.push(piece);
        while let Some(item) = decoder.next_event() {
            if let Ok(event) = item {
                // Deltas for objects never created are reported; the SDK raises on them.
                let _ = acc.apply(&event);
            }
        }
    }
    let _ = decoder.finish();
    normalize(serde_json::to_value(acc.into_snapshot()).expect("serializes"))
}

fn sdk(python: &Path, files: &[PathBuf]) -> Vec<Value> {
    let output = Command::new(python)
        .arg(tests_dir().join("sdk/accumulate.py"))
        .args(files)
        .output()
        .expect("run the SDK oracle");
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("oracle JSON"))
        .collect()
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn accumulator_agrees_with_the_official_sdk_on_every_capture() {
    let Some(python) = oracle::python("accumulator_agrees_with_the_official_sdk_on_every_capture")
    else {
        return;
    };
    let files = captures();
    assert!(
        files.len() >= 15,
        "at least 15 captures, found {}",
        files.len()
    );
    let expected = sdk(&python, &files);
    assert_eq!(expected.len(), files.len());
    for (file, mut sdk_side) in files.iter().zip(expected) {
        if let Some(map) = sdk_side.as_object_mut() {
            map.remove("sdk_error");
        }
        let body = std::fs::read(file).expect("capture");
        for chunk in [body.len().max(1), 1, 7, 64, 1000] {
            let ours = ours(&body, chunk);
            assert_eq!(
                ours,
                sdk_side,
                "{} (chunk {chunk}):\nours: {}\nsdk:  {}",
                name(file),
                ours,
                sdk_side
            );
        }
    }
}
