//! The SSE parser on any bytes, cut anywhere, with small limits: no panic, and never more
//! buffered than the limits allow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streaming_assistants_core::sse::{Limits, Parser};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    let limits = Limits::default().max_line_len(256).max_event_len(512);
    let mut parser = Parser::with_limits(limits);
    for chunk in common::cut(&sizes, body) {
        parser.push(chunk);
        while let Some(event) = parser.next_event() {
            if let Ok(event) = event {
                // The limit counts bytes received; each invalid byte becomes U+FFFD (3 bytes).
                assert!(event.data().len() <= 3 * 512);
            }
        }
        // A chunk is at most 64 bytes, so what stays buffered is bounded by the limits.
        assert!(
            parser.buffered_len() <= 512 + 256 + 64,
            "{}",
            parser.buffered_len()
        );
    }
    let _ = parser.finish();
});
