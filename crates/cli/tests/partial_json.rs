//! `partial-json`: the formats its issue spells out, one line per piece with `--every`, the
//! last line's sums, the `--serde` baseline, and exit 1 for invalid JSON.

mod common;

use common::{bin, stderr, stdout};
use serde_json::{json, Value};

fn run(args: &[&str], doc: &[u8]) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("partial-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = dir.join(format!("{n}.json"));
    std::fs::write(&file, doc).unwrap();
    bin()
        .arg("partial-json")
        .args(args)
        .arg(&file)
        .output()
        .unwrap()
}

fn lines(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

const DOC: &[u8] = br#"{"rows": [{"a": "xy"}, 3], "z": null}"#;

#[test]
fn every_piece_then_the_sums() {
    let out = run(&["--piece-bytes", "12", "--every"], DOC);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = lines(&out);
    assert_eq!(
        lines,
        [
            // `{"rows": [{"`: the open containers are there.
            json!({"n": 12, "value": {"rows": [{}]}}),
            // `a": "xy"}, 3`: a number at the end counts as it stands.
            json!({"n": 24, "value": {"rows": [{"a": "xy"}, 3]}}),
            json!({"n": 36, "value": {"rows": [{"a": "xy"}, 3], "z": null}}),
            json!({"n": 37, "value": {"rows": [{"a": "xy"}, 3], "z": null}}),
            // top_sum: 1 + 1 + 2 + 2 members after each of the 4 pieces.
            json!({"pieces": 4, "top_sum": 6, "value": {"rows": [{"a": "xy"}, 3], "z": null}}),
        ]
    );
    // Each line is compact JSON with its keys in the documented order.
    assert!(
        stdout(&out).starts_with("{\"n\":12,\"value\":"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("\n{\"pieces\":4,\"top_sum\":6,\"value\":"));
}

#[test]
fn trailing_strings_and_nothing_yet() {
    let out = run(
        &[
            "--partial",
            "trailing-strings",
            "--piece-bytes",
            "3",
            "--every",
        ],
        br#"  "abcde""#,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        lines(&out),
        [
            json!({"n": 3, "value": ""}),
            json!({"n": 6, "value": "abc"}),
            json!({"n": 9, "value": "abcde"}),
            json!({"pieces": 3, "top_sum": 0, "value": "abcde"}),
        ]
    );
    let out = run(&["--piece-bytes", "3", "--every"], br#"  "abcde""#);
    assert_eq!(lines(&out)[0], json!({"n": 3, "nothing": true}));
    assert_eq!(lines(&out)[1], json!({"n": 6, "nothing": true}));
}

#[test]
fn the_serde_baseline_prints_the_same_last_line_with_one_piece() {
    let out = run(&["--serde"], DOC);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        lines(&out),
        [json!({"pieces": 1, "top_sum": 2, "value": {"rows": [{"a": "xy"}, 3], "z": null}})]
    );
}

#[test]
fn invalid_json_exits_1_with_the_byte() {
    for args in [&[][..], &["--serde"][..]] {
        let out = run(args, b"[1, 2,]");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stdout(&out).is_empty());
        assert!(stderr(&out).contains("column 7"), "{}", stderr(&out));
    }
    let out = run(&[], b"[1, 2");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("ended before its value"),
        "{}",
        stderr(&out)
    );
}
