//! The Responses accumulator over whatever the decoder makes of any bytes: no panic; the owned
//! and the borrowed path, whole and chunked, build the same snapshot and errors.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::responses::{Accumulator, Decoder};
use streaming_assistants_core::wire::protocol::Decode;

fn owned(chunks: impl Iterator<Item = impl AsRef<[u8]>>) -> (serde_json::Value, Vec<String>) {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let mut errors = Vec::new();
    for chunk in chunks {
        decoder.push(chunk.as_ref());
        while let Some(item) = decoder.next_event() {
            if let Ok(event) = item {
                if let Err(err) = acc.apply(&event) {
                    errors.push(err.to_string());
                }
            }
        }
    }
    let _ = acc.snapshot().output_text();
    (acc.into_snapshot().into_value(), errors)
}

fn borrowed(chunks: impl Iterator<Item = impl AsRef<[u8]>>) -> (serde_json::Value, Vec<String>) {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let mut errors = Vec::new();
    for chunk in chunks {
        decoder.push(chunk.as_ref());
        while let Some(item) = decoder.next_decoded() {
            if let Ok(item) = item {
                if let Err(err) = acc.apply_decoded(&item) {
                    errors.push(err.to_string());
                }
            }
        }
    }
    (acc.into_snapshot().into_value(), errors)
}

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    let expected = owned(std::iter::once(body));
    assert_eq!(owned(common::cut(&sizes, body)), expected);
    assert_eq!(borrowed(std::iter::once(body)), expected);
    assert_eq!(borrowed(common::cut(&sizes, body)), expected);
    // The typed `Response` reads any snapshot and writes back the same JSON.
    if let serde_json::Value::Object(map) = &expected.0 {
        let typed = streaming_assistants_core::responses::Response::from_map(map.clone());
        assert_eq!(typed.to_value(), expected.0);
    }
});
