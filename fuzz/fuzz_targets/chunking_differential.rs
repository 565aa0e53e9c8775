//! Whole versus chunked input must agree: the same events (or errors, by message), the same
//! ending, the same snapshot — and the borrowed hot path (`next_decoded` + `apply_decoded`)
//! must agree with the owned one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::Decoder;
use streaming_assistants_core::wire::protocol::Decode;

#[path = "common.rs"]
mod common;

fn run<'a>(chunks: impl Iterator<Item = &'a [u8]>) -> (Vec<String>, String, String) {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let mut seen = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(item) = decoder.next_event() {
            seen.push(match item {
                Ok(event) => {
                    let _ = acc.apply(&event);
                    serde_json::to_string(&event).unwrap_or_default()
                }
                Err(err) => format!("error: {err}"),
            });
        }
    }
    let ending = format!("{:?}", decoder.finish());
    let snapshot = serde_json::to_string(&acc.into_snapshot()).unwrap_or_default();
    (seen, ending, snapshot)
}

fn run_decoded<'a>(chunks: impl Iterator<Item = &'a [u8]>) -> (Vec<String>, String, String) {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let mut seen = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(item) = decoder.next_decoded() {
            seen.push(match item {
                Ok(decoded) => {
                    let _ = acc.apply_decoded(&decoded);
                    serde_json::to_string(&decoded.into_event()).unwrap_or_default()
                }
                Err(err) => format!("error: {err}"),
            });
        }
    }
    let ending = format!("{:?}", decoder.finish());
    let snapshot = serde_json::to_string(&acc.into_snapshot()).unwrap_or_default();
    (seen, ending, snapshot)
}

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    let whole = run(std::iter::once(body));
    let chunked = run(common::cut(&sizes, body));
    assert_eq!(whole, chunked);
    assert_eq!(whole, run_decoded(common::cut(&sizes, body)));
});
