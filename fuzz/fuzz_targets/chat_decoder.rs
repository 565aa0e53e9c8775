//! The Chat decoder on any bytes: no panic; the same events whole and in the chunks the input's
//! first bytes choose; every chunk re-serializes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::chat::{ChatEvent, Decoder};

fn events(chunks: impl Iterator<Item = impl AsRef<[u8]>>) -> (Vec<Result<ChatEvent, String>>, bool) {
    let mut decoder = Decoder::new();
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(chunk.as_ref());
        while let Some(item) = decoder.next_event() {
            out.push(item.map_err(|e| e.to_string()));
        }
    }
    (out, decoder.finish().complete)
}

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    let whole = events(std::iter::once(body));
    assert_eq!(whole, events(common::cut(&sizes, body)));
    for event in whole.0.iter().flatten() {
        if let ChatEvent::Chunk(chunk) = event {
            let _ = serde_json::to_string(chunk).expect("serializes");
        }
        let _ = event.content();
    }
});
