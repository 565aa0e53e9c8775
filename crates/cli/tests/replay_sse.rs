//! `streaming-assistants replay --sse` through the built binary.

mod common;

use std::path::PathBuf;

use common::{bin, replay_stdin, root_path, stdout};

fn capture(name: &str) -> PathBuf {
    root_path("examples/captures").join(name)
}

#[test]
fn prints_one_exact_json_line_per_event() {
    let input = b"\xEF\xBB\xBFretry: 3000\nevent: thread.run.created\nid: 1\ndata: {\"a\":\"b\"}\n\n: ping\ndata: line1\r\ndata: \"quoted\"\\\t\r\n\r\nid\ndata: \xFF\n\n";
    let out = replay_stdin(&["--sse"], input);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        stdout(&out),
        concat!(
            r#"{"event":"thread.run.created","data":"{\"a\":\"b\"}","id":"1","retry":3000}"#,
            "\n",
            r#"{"event":"message","data":"line1\n\"quoted\"\\\t","id":"1","retry":3000}"#,
            "\n",
            "{\"event\":\"message\",\"data\":\"\u{FFFD}\",\"id\":\"\",\"retry\":3000}\n",
        )
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn no_id_and_no_retry_print_empty_string_and_null() {
    let out = replay_stdin(&["--sse"], b"data: x\n\n");
    assert_eq!(
        stdout(&out),
        "{\"event\":\"message\",\"data\":\"x\",\"id\":\"\",\"retry\":null}\n"
    );
}

#[test]
fn every_chunk_size_prints_the_same_lines() {
    let file = capture("hello.sse");
    let whole = bin()
        .args(["replay", "--sse"])
        .arg(&file)
        .output()
        .expect("run");
    assert!(whole.status.success());
    assert_eq!(stdout(&whole).lines().count(), 21);
    for n in ["1", "2", "3", "7", "64", "1000000"] {
        let split = bin()
            .args(["replay", "--sse", "--chunk-size", n])
            .arg(&file)
            .output()
            .expect("run");
        assert_eq!(split.stdout, whole.stdout, "--chunk-size {n}");
    }
}

#[test]
fn truncated_input_warns_on_stderr_and_exits_zero() {
    let out = replay_stdin(
        &["--sse", "--chunk-size", "3"],
        b"data: a\n\nevent: x\ndata: cut",
    );
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        "{\"event\":\"message\",\"data\":\"a\",\"id\":\"\",\"retry\":null}\n"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("unterminated event starting at byte 9"),
        "{stderr}"
    );
}

#[test]
fn a_limit_error_is_reported_the_rest_is_kept_and_exit_is_1() {
    let out = replay_stdin(
        &["--sse", "--max-line", "10"],
        b"data: far too long\n\ndata: ok\n\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "{\"event\":\"message\",\"data\":\"ok\",\"id\":\"\",\"retry\":null}\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("longer than the 10-byte limit"));
}

#[test]
fn an_unreadable_file_is_a_clear_error_with_exit_2() {
    let out = bin()
        .args(["replay", "--sse", "/no/such/capture.sse"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot open /no/such/capture.sse"),
        "{stderr}"
    );
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        &["replay", "--sse", "--chunk-size", "0", "x"][..],
        &["replay", "--sse", "--chunk-size", "abc", "x"],
        &["replay", "--sse", "--bogus", "x"],
        &["replay", "--sse"],
    ] {
        let out = bin().args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}
