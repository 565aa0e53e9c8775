//! Both Chat accumulators over whatever the decoder makes of any bytes: no panic, bounded
//! indexes; the borrowed hot path and the JSON path, whole and chunked, build the same
//! completion and errors, in each rule.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use streaming_assistants_core::chat::{Accumulator, Decoded, Decoder, Rule};
use streaming_assistants_core::sse::Parser;
use streaming_assistants_core::wire::protocol::Decode;

/// The reference: every chunk through `apply_json` (and the structured-output events, which
/// must not panic and whose JSON must print).
fn by_json(body: &[u8], rule: Rule) -> (Option<Value>, Vec<String>) {
    let mut parser = Parser::new();
    let mut acc = Accumulator::new(rule);
    let mut structured = streaming_assistants_core::chat::StructuredState::new();
    let mut structured_over = false;
    let mut errors = Vec::new();
    parser.push(body);
    while let Some(event) = parser.next_event() {
        let Ok(event) = event else { continue };
        if let Ok(json) = serde_json::from_str::<Value>(event.data()) {
            let is_error =
                json.get("choices").is_none() && json.get("error").is_some_and(Value::is_object);
            if !is_error {
                if let Err(err) = acc.apply_json(&json) {
                    errors.push(err.to_string());
                }
                if !structured_over {
                    match structured.handle_chunk(&json) {
                        Ok(events) => {
                            for event in events {
                                assert!(event.to_json(&structured).is_object());
                            }
                        }
                        Err(_) => structured_over = true,
                    }
                }
            }
        }
    }
    (acc.completion(), errors)
}

fn decoded(
    chunks: impl Iterator<Item = impl AsRef<[u8]>>,
    rule: Rule,
) -> (Option<Value>, Vec<String>) {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new(rule);
    let mut errors = Vec::new();
    for chunk in chunks {
        decoder.push(chunk.as_ref());
        while let Some(item) = decoder.next_decoded() {
            let applied = match item {
                Ok(Decoded::Content(delta)) => acc.apply_content(&delta),
                Ok(Decoded::Chunk(json)) => acc.apply_json(&json),
                _ => Ok(()),
            };
            if let Err(err) = applied {
                errors.push(err.to_string());
            }
        }
    }
    let _ = acc.content();
    (acc.completion(), errors)
}

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    for rule in [Rule::Lenient, Rule::Strict] {
        let expected = by_json(body, rule);
        assert_eq!(decoded(std::iter::once(body), rule), expected);
        assert_eq!(decoded(common::cut(&sizes, body), rule), expected);
        // The typed `ChatCompletion` reads any completion and writes back the same JSON.
        if let Some(serde_json::Value::Object(map)) = &expected.0 {
            let typed = streaming_assistants_core::chat::ChatCompletion::from_map(map.clone());
            assert_eq!(typed.to_value(), serde_json::Value::Object(map.clone()));
        }
    }
});
