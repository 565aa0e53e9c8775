//! Hostile inputs through every `replay` mode: no panic, a clear message on stderr, a
//! documented exit code, and memory bounded (each run under a 128 MB address-space limit,
//! with a 100 MB line among the inputs).

mod common;

use std::process::Command;

use common::{bin, stderr};

const RUN_CREATED: &str = "event: thread.run.created\ndata: {\"id\":\"run_1\",\"object\":\"thread.run\",\"status\":\"queued\"}\n\n";

fn hostile_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let deep = format!(
        "event: thread.run.created\ndata: {}\n\n",
        "[".repeat(100_000)
    );
    let deep_unknown = format!("event: brand.new\ndata: {}\n\n", "{\"a\":".repeat(100_000));
    vec![
        ("cut mid-event", format!("{RUN_CREATED}event: thread.message.delta\ndata: {{\"id\"").into_bytes()),
        ("no done", RUN_CREATED.as_bytes().to_vec()),
        ("invalid UTF-8", [RUN_CREATED.as_bytes(), b"event: thread.message.delta\ndata: \xff\xfe\n\n"].concat()),
        ("JSON nested 100,000 deep", deep.into_bytes()),
        ("unknown event nested 100,000 deep", deep_unknown.into_bytes()),
        ("delta for a message never created", b"event: thread.message.delta\ndata: {\"id\":\"msg_9\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"x\"}}]}}\n\nevent: done\ndata: [DONE]\n\n".to_vec()),
        ("gzip bytes", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\x00\x00".to_vec()),
        ("a JSON document", br#"{"id":"run_1","object":"thread.run"}"#.to_vec()),
        ("legacy failure frame", b"data: []".to_vec()),
        ("empty", Vec::new()),
        ("NUL bytes and lone CRs", b"\0\r\0\r\rdata:\0\r\r".to_vec()),
    ]
}

/// `replay MODE FILE` under a 128 MB address-space limit.
fn replay_bounded(mode: Option<&str>, file: &std::path::Path) -> std::process::Output {
    let binary = bin().get_program().to_owned();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -v 131072 && exec \"$0\" replay \"$@\"")
        .arg(binary);
    if let Some(mode) = mode {
        command.arg(mode);
    }
    command.arg(file).output().expect("run replay")
}

fn check(name: &str, mode: Option<&str>, file: &std::path::Path) {
    let out = replay_bounded(mode, file);
    let err = stderr(&out);
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{name} {mode:?}: exit {code:?}, stderr: {err}"
    );
    assert!(!err.contains("panicked"), "{name} {mode:?}: {err}");
    assert!(!err.contains("memory allocation"), "{name} {mode:?}: {err}");
    if code == Some(1) {
        assert!(
            !err.trim().is_empty(),
            "{name} {mode:?}: exit 1 without a message"
        );
    }
}

const MODES: [Option<&str>; 5] = [
    None,
    Some("--events"),
    Some("--snapshot"),
    Some("--legacy"),
    Some("--sse"),
];

#[test]
fn every_mode_survives_every_hostile_input() {
    let dir = std::env::temp_dir().join(format!("replay-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, (name, bytes)) in hostile_inputs().into_iter().enumerate() {
        let file = dir.join(format!("{i}.sse"));
        std::fs::write(&file, bytes).unwrap();
        for mode in MODES {
            check(name, mode, &file);
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_100_mb_line_is_an_error_in_bounded_memory_in_every_mode() {
    let dir = std::env::temp_dir().join(format!("replay-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("huge.sse");
    let mut bytes = RUN_CREATED.as_bytes().to_vec();
    bytes.extend_from_slice(b"data: ");
    bytes.resize(bytes.len() + (100 << 20), b'a');
    std::fs::write(&file, bytes).unwrap();
    for mode in MODES {
        let out = replay_bounded(mode, &file);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{mode:?}: {err}");
        assert!(err.contains("line"), "{mode:?}: {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
