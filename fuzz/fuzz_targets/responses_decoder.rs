//! The Responses decoder on any bytes: no panic; the same events whole and in the chunks the
//! input's first bytes choose; every event re-serializes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::responses::{Decoder, ResponseEvent};

fn events(chunks: impl Iterator<Item = impl AsRef<[u8]>>) -> (Vec<Result<ResponseEvent, String>>, bool) {
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
    let chunked = events(common::cut(&sizes, body));
    assert_eq!(whole, chunked);
    for event in whole.0.iter().flatten() {
        let _ = serde_json::to_string(event).expect("serializes");
        let _ = event.error_object();
    }
});
