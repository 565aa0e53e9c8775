//! The accumulator over whatever the decoder makes of any bytes: no panic, and the snapshot
//! serializes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::Decoder;
use streaming_assistants_core::wire::protocol::Decode;

fuzz_target!(|data: &[u8]| {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    decoder.push(data);
    while let Some(item) = decoder.next_event() {
        if let Ok(event) = item {
            if let Err(err) = acc.apply(&event) {
                let _ = err.to_string();
            }
            let _ = acc.pending_tool_calls().len();
        }
    }
    let _ = decoder.finish();
    let snapshot = acc.into_snapshot();
    let _ = serde_json::to_string(&snapshot);
});
