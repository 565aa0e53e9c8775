//! The borrowed hot path and the JSON path build the same completion, in both rules, from
//! any point of a stream to any other: every recorded body, started after each of its events
//! (a first chunk that already carries text, as from a server with no role chunk) and cut
//! after each (no finish chunk to fill in what the first missed).

use std::path::Path;

use serde_json::Value;
use streaming_assistants_core::chat::{Accumulator, Decoded, Decoder, Rule};

/// Each event's bytes (`data: ...\n\n`), in order.
fn events(body: &str) -> Vec<&str> {
    body.split_inclusive("\n\n").collect()
}

fn by_json(events: &[&str], rule: Rule) -> Option<Value> {
    let mut acc = Accumulator::new(rule);
    for event in events {
        let data = event.trim_end().trim_start_matches("data: ");
        if let Ok(json) = serde_json::from_str::<Value>(data) {
            if json.get("choices").is_some() {
                acc.apply_json(&json).unwrap();
            }
        }
    }
    acc.completion()
}

fn by_decoder(events: &[&str], rule: Rule) -> (Option<Value>, usize) {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new(rule);
    let mut borrowed = 0;
    decoder.push(events.concat().as_bytes());
    while let Some(item) = decoder.next_decoded() {
        match item.unwrap() {
            Decoded::Content(delta) => {
                borrowed += 1;
                acc.apply_content(&delta).unwrap();
            }
            Decoded::Chunk(json) => acc.apply_json(&json).unwrap(),
            _ => {}
        }
    }
    (acc.completion(), borrowed)
}

#[test]
fn both_paths_agree_on_every_span() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recordings/chat");
    let mut borrowed_first = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "sse") {
            continue;
        }
        let body = std::fs::read_to_string(&path).unwrap();
        let all = events(&body);
        for start in 0..all.len() {
            for end in start + 1..=all.len() {
                let part = &all[start..end];
                for rule in [Rule::Lenient, Rule::Strict] {
                    let (decoded, borrowed) = by_decoder(part, rule);
                    let expected = by_json(part, rule);
                    assert_eq!(
                        decoded, expected,
                        "{path:?} events {start}..{end}, {rule:?}"
                    );
                    if borrowed > 0 && !part[0].contains("role") {
                        borrowed_first += 1;
                    }
                }
            }
        }
    }
    // The case that matters: a stream whose first chunk goes the borrowed way.
    assert!(borrowed_first > 0);
}
