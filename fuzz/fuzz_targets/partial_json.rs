//! The partial JSON parser on any bytes, cut anywhere, in both modes: no panic; the same value
//! and the same error whatever the cuts; a whole document is exactly what `serde_json` reads
//! (or both reject it); and the value after every piece is a value `serde_json` can write.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::json::{Limits, PartialJson, PartialMode};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    // The JSON inside an SSE seed (its first `data:` line) is the interesting part.
    let body = body
        .split(|&b| b == b'\n')
        .find_map(|line| line.strip_prefix(b"data: "))
        .unwrap_or(body);
    for mode in [PartialMode::On, PartialMode::TrailingStrings] {
        let limits = Limits::default().max_depth(32);
        let mut cut = PartialJson::with_limits(mode, limits);
        let mut cut_err = None;
        for chunk in common::cut(&sizes, body) {
            if let Err(err) = cut.push(chunk) {
                cut_err = Some(err);
                break;
            }
            if let Some(value) = cut.value() {
                assert!(serde_json::to_string(value).is_ok());
            }
        }
        let mut whole = PartialJson::with_limits(mode, limits);
        let whole_err = whole.push(body).err();
        assert_eq!(cut_err, whole_err);
        assert_eq!(cut.value(), whole.value());
        let ours = whole.finish().ok();
        let theirs = serde_json::from_slice::<serde_json::Value>(body).ok();
        // serde_json has no depth limit below 128: compare only documents within ours.
        if cut_err.is_none() {
            assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(body));
        }
    }
});
