//! Astra's legacy message-stream decoder on any bytes, cut anywhere: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::assistants::legacy::{LegacyDecoder, LegacyEvent};
use streaming_assistants_core::wire::protocol::Decode;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    let mut decoder = LegacyDecoder::new();
    for chunk in common::cut(&sizes, body) {
        decoder.push(chunk);
        while let Some(item) = decoder.next_event() {
            match item {
                Ok(LegacyEvent::Chunk(chunk)) => drop(chunk.text()),
                Ok(_) => {}
                Err(err) => drop(err.to_string()),
            }
        }
    }
    let _ = decoder.finish();
});
