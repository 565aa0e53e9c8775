//! `replay --events` and `--snapshot` print every number exactly as the capture has it.

mod common;

use common::{replay_stdin, root_path, stderr, stdout};

/// The completed file search step of `09-file-search.sse`, its result scored with a double
/// that inexact parsing turns into its neighbour (`0.4957243506501467`).
fn capture() -> Vec<u8> {
    let streams =
        std::fs::read_to_string(root_path("crates/core/tests/streams/09-file-search.sse")).unwrap();
    let step = streams
        .lines()
        .skip_while(|line| *line != "event: thread.run.step.completed")
        .nth(1)
        .unwrap()
        .replace(
            "\"results\":[]",
            "\"results\":[{\"file_id\":\"file_1\",\"file_name\":\"a.txt\",\"score\":0.49572435065014675}]",
        );
    assert!(step.contains("0.49572435065014675"));
    format!("event: thread.run.step.completed\n{step}\n\nevent: done\ndata: [DONE]\n\n")
        .into_bytes()
}

#[test]
fn events_and_snapshots_print_a_full_precision_score_exactly() {
    for mode in ["--events", "--snapshot"] {
        let out = replay_stdin(&[mode], &capture());
        assert_eq!(out.status.code(), Some(0), "{mode}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("\"score\":0.49572435065014675}"),
            "{mode}: {}",
            stdout(&out)
        );
    }
}
