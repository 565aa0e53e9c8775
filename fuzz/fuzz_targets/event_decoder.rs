//! The event decoder (both framings) on any bytes, cut anywhere: no panic; every event it
//! yields re-serializes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::assistants::event::Decoder;
use streaming_assistants_core::wire::protocol::Decode;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    let mut decoder = Decoder::new();
    for chunk in common::cut(&sizes, body) {
        decoder.push(chunk);
        while let Some(item) = decoder.next_event() {
            match item {
                Ok(event) => {
                    let _ = serde_json::to_string(&event);
                    let _ = event.text_deltas().count();
                }
                Err(err) => drop(err.to_string()),
            }
        }
    }
    let _ = decoder.finish();
});
