//! Property tests of the typed layers: deltas accumulate to what was split, chunking never
//! changes the snapshot, both framings give the same events.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::json;
use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::{Decoded, Decoder, StreamEvent};
use streaming_assistants_core::wire::protocol::Decode;

fn split(text: &str, cuts: &[usize]) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (chars.len() + 1)).collect();
    points.sort_unstable();
    points.dedup();
    let mut pieces = Vec::new();
    let mut start = 0;
    for p in points.into_iter().chain([chars.len()]) {
        pieces.push(chars[start..p].iter().collect());
        start = p;
    }
    pieces
}

fn event(name: &str, data: serde_json::Value) -> StreamEvent {
    StreamEvent::decode(name, &data.to_string(), 0).unwrap()
}

fn snapshot(body: &[u8], chunks: &[usize]) -> String {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let mut events = Vec::new();
    let mut rest = body;
    let mut sizes = chunks.iter().cycle();
    while !rest.is_empty() {
        let n = (sizes.next().copied().unwrap_or(1) % 97 + 1).min(rest.len());
        decoder.push(&rest[..n]);
        rest = &rest[n..];
        while let Some(item) = decoder.next_event() {
            if let Ok(e) = &item {
                let _ = acc.apply(e);
            }
            events.push(item);
        }
    }
    let ending = decoder.finish();
    format!(
        "{events:?}\n{ending:?}\n{}",
        serde_json::to_string(acc.snapshot()).unwrap()
    )
}

fn captures() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/streams");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "sse"))
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

const NAMES: [&str; 8] = [
    "thread.run.created",
    "thread.run.step.created",
    "thread.message.created",
    "thread.message.delta",
    "thread.run.step.delta",
    "thread.run.completed",
    "thread.some.new_event",
    "error",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn text_split_into_deltas_accumulates_to_the_original(text in "\\PC{0,200}", cuts in prop::collection::vec(any::<usize>(), 0..30)) {
        let mut acc = Accumulator::new();
        acc.apply(&event("thread.message.created", json!({"id": "m", "role": "assistant", "content": []}))).unwrap();
        for piece in split(&text, &cuts) {
            acc.apply(&event("thread.message.delta", json!({"id": "m", "delta": {"content": [{"index": 0, "type": "text", "text": {"value": piece}}]}}))).unwrap();
        }
        prop_assert_eq!(acc.text("m").unwrap(), text);
    }

    #[test]
    fn arguments_split_into_deltas_accumulate_to_the_original(a in "\\PC{0,80}", b in "\\PC{0,80}", cuts in prop::collection::vec(any::<usize>(), 0..20), order in prop::collection::vec(any::<bool>(), 0..40)) {
        let mut acc = Accumulator::new();
        acc.apply(&event("thread.run.step.created", json!({"id": "s", "type": "tool_calls", "status": "in_progress", "step_details": {"type": "tool_calls", "tool_calls": []}}))).unwrap();
        // Two calls' fragments, interleaved in a random order (each call's own order kept),
        // after each call's first fragment in index order: entries are matched by position, so
        // a call at index 1 must exist before its fragments can land there.
        let mut queues = [split(&a, &cuts), split(&b, &cuts)];
        let mut picks = [false, true].into_iter().chain(order).chain(std::iter::repeat(false));
        while queues.iter().any(|q| !q.is_empty()) {
            let which = usize::from(picks.next().unwrap_or(false));
            let which = if queues[which].is_empty() { 1 - which } else { which };
            let piece = queues[which].remove(0);
            acc.apply(&event("thread.run.step.delta", json!({"id": "s", "delta": {"step_details": {"type": "tool_calls", "tool_calls": [{"index": which, "type": "function", "function": {"arguments": piece}}]}}}))).unwrap();
        }
        let calls = acc.run_steps()[0].step_details.clone().unwrap().tool_calls.unwrap();
        let args: Vec<String> = calls.iter().map(|c| c.function.clone().unwrap().arguments.unwrap_or_default()).collect();
        prop_assert_eq!(args, vec![a, b]);
    }

    #[test]
    fn any_chunking_of_a_capture_gives_the_same_events_and_snapshot(which in any::<prop::sample::Index>(), chunks in prop::collection::vec(any::<usize>(), 1..20)) {
        let all = captures();
        let body = &all[which.index(all.len())];
        prop_assert_eq!(snapshot(body, &[usize::MAX - 1]), snapshot(body, &chunks));
    }

    #[test]
    fn both_framings_give_the_same_events(seq in prop::collection::vec((0..NAMES.len(), "[a-z ]{0,12}"), 0..20)) {
        let mut v2 = String::new();
        let mut wrapped = String::new();
        for (name, text) in &seq {
            let data = json!({"id": "obj", "status": "in_progress", "delta": {"content": [{"index": 0, "type": "text", "text": {"value": text}}]}, "message": text});
            v2.push_str(&format!("event: {}\ndata: {data}\n\n", NAMES[*name]));
            wrapped.push_str(&format!("data: {}\n\n", json!({"event": NAMES[*name], "data": data})));
        }
        let decode = |body: &str| {
            let mut decoder = Decoder::new();
            decoder.push(body.as_bytes());
            std::iter::from_fn(|| decoder.next_event()).collect::<Vec<_>>()
        };
        let a = decode(&v2);
        prop_assert_eq!(a.len(), seq.len());
        prop_assert_eq!(a, decode(&wrapped));
    }
}

/// Events, ending, snapshot and text through the owned loop (`next_event` + `apply`) or the
/// borrowed hot path (`next_decoded` + `apply_decoded`).
fn through(body: &[u8], chunks: &[usize], borrowed: bool) -> (Vec<String>, String, String, String) {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let (mut events, mut text) = (Vec::new(), String::new());
    let mut rest = body;
    let mut sizes = chunks.iter().cycle();
    while !rest.is_empty() {
        let n = (sizes.next().copied().unwrap_or(1) % 97 + 1).min(rest.len());
        decoder.push(&rest[..n]);
        rest = &rest[n..];
        loop {
            let item = if borrowed {
                decoder.next_decoded()
            } else {
                decoder.next_event().map(|item| item.map(Decoded::Event))
            };
            match item {
                None => break,
                Some(Ok(decoded)) => {
                    text.extend(decoded.text_deltas());
                    let _ = acc.apply_decoded(&decoded);
                    events.push(format!("{:?}", decoded.into_event()));
                }
                Some(Err(err)) => events.push(format!("{err:?}")),
            }
        }
    }
    let ending = format!("{:?}", decoder.finish());
    (
        events,
        ending,
        serde_json::to_string(acc.snapshot()).unwrap(),
        text,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_borrowed_hot_path_gives_what_the_owned_path_gives(which in any::<prop::sample::Index>(), chunks in prop::collection::vec(any::<usize>(), 1..20)) {
        let all = captures();
        let body = which.get(&all);
        prop_assert_eq!(through(body, &chunks, true), through(body, &chunks, false));
    }
}
