//! The Responses decoder on any bytes: no panic; the same events whole and in the chunks the
//! input's first bytes choose; every event re-serializes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::responses::Responses;

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    let whole = common::events::<Responses>(std::iter::once(body));
    let chunked = common::events::<Responses>(common::cut(&sizes, body));
    assert_eq!(whole, chunked);
    for event in whole.0.iter().flatten() {
        let _ = serde_json::to_string(event).expect("serializes");
        let _ = event.error_object();
    }
});
