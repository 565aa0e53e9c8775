//! The borrowed hot path takes a text delta only where the owned path takes it whole: any odd
//! field makes both give the same event or the same error. Regression: the fuzzer found an
//! `obfuscation` that was a map taken as padding by the hot path and refused by the owned one
//! (`tests/regressions/responses_accumulator_chunking.bin`).

use streaming_assistants_core::responses::{Accumulator, Decoder};
use streaming_assistants_core::wire::protocol::Decode;

const BASE: &str = r#""type":"response.output_text.delta","sequence_number":5,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi""#;

/// Each event as its JSON, or its error's message.
type Events = Vec<Result<String, String>>;

fn both(body: &[u8]) -> (Events, Events) {
    let mut owned = Decoder::new();
    owned.push(body);
    let owned: Vec<_> = std::iter::from_fn(|| owned.next_event())
        .map(|item| {
            item.map(|e| serde_json::to_string(&e).unwrap())
                .map_err(|e| e.to_string())
        })
        .collect();
    let mut borrowed = Decoder::new();
    borrowed.push(body);
    let mut out = Vec::new();
    while let Some(item) = borrowed.next_decoded() {
        out.push(
            item.map(|d| serde_json::to_string(&d.into_event()).unwrap())
                .map_err(|e| e.to_string()),
        );
    }
    (owned, out)
}

#[test]
fn odd_fields_give_the_same_event_or_error_both_ways() {
    for extra in [
        r#","obfuscation":"abc""#,
        r#","obfuscation":null"#,
        r#","obfuscation":{"type":"x"}"#,
        r#","obfuscation":7"#,
        r#","obfuscation":"a\u0062c""#,
        r#","logprobs":[]"#,
        r#","logprobs":null"#,
        r#","logprobs":[{"token":"Hi","logprob":-0.1}]"#,
        r#","logprobs":{}"#,
        r#","unknown":1"#,
        r#","delta":"again""#,
        r#","sequence_number":-1"#,
        r#","item_id":null"#,
    ] {
        let body = format!("event: response.output_text.delta\ndata: {{{BASE}{extra}}}\n\n");
        let (owned, borrowed) = both(body.as_bytes());
        assert_eq!(borrowed, owned, "{extra}");
    }
}

/// The fuzzer's input: owned and borrowed accumulate to the same snapshot and errors, whole
/// and in the fuzzer's chunks.
#[test]
fn the_fuzzers_input_accumulates_the_same_both_ways() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let data = std::fs::read(dir.join("responses_accumulator_chunking.bin")).unwrap();
    let body = &data[4..];
    let run = |borrowed: bool, chunk: usize| {
        let mut decoder = Decoder::new();
        let mut acc = Accumulator::new();
        let mut errors = Vec::new();
        for piece in body.chunks(chunk) {
            decoder.push(piece);
            if borrowed {
                while let Some(item) = decoder.next_decoded() {
                    if let Ok(item) = item {
                        errors.extend(acc.apply_decoded(&item).err().map(|e| e.to_string()));
                    }
                }
            } else {
                while let Some(item) = decoder.next_event() {
                    if let Ok(event) = item {
                        errors.extend(acc.apply(&event).err().map(|e| e.to_string()));
                    }
                }
            }
        }
        (acc.into_snapshot().into_value(), errors)
    };
    let expected = run(false, body.len());
    for chunk in [body.len(), 1, 7, 38] {
        assert_eq!(run(true, chunk), expected, "borrowed, {chunk}-byte chunks");
        assert_eq!(run(false, chunk), expected, "owned, {chunk}-byte chunks");
    }
}
