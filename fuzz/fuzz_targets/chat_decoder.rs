//! The Chat decoder on any bytes: no panic; the same events whole and in the chunks the input's
//! first bytes choose; every chunk re-serializes; a text chunk read by the last chunk's shape
//! (the template) is exactly what a full parse of it gives.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use streaming_assistants_core::chat::{Chat, ChatEvent, ContentDelta, Decoded, Decoder};
use streaming_assistants_core::sse::Parser;
use streaming_assistants_core::wire::protocol::Decode;

/// Each `Decoded` against a full parse of the same event's data.
fn borrowed_equals_full(chunks: impl Iterator<Item = impl AsRef<[u8]>>, body: &[u8]) {
    let mut parser = Parser::new();
    parser.push(body);
    let mut datas = Vec::new();
    while let Some(event) = parser.next_event() {
        datas.push(event.ok().map(|e| e.data().to_owned()));
    }
    let mut decoder = Decoder::new();
    let mut at = 0;
    for chunk in chunks {
        decoder.push(chunk.as_ref());
        while let Some(item) = decoder.next_decoded() {
            let data = datas[at].as_deref();
            at += 1;
            match (item, data) {
                (Ok(Decoded::Content(read)), Some(data)) => {
                    assert_eq!(
                        read,
                        serde_json::from_str::<ContentDelta<'_>>(data).expect("parses")
                    );
                }
                (Ok(Decoded::Chunk(json)), Some(data)) => {
                    assert!(serde_json::from_str::<ContentDelta<'_>>(data).is_err());
                    assert_eq!(json, serde_json::from_str::<Value>(data).expect("parses"));
                }
                (Err(_), Some(data)) => assert!(serde_json::from_str::<Value>(data).is_err()),
                (Err(_), None) | (Ok(_), Some(_)) => {}
                (Ok(item), None) => panic!("{item:?} from an SSE error"),
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (sizes, body) = common::chunks(data);
    let whole = common::events::<Chat>(std::iter::once(body));
    assert_eq!(whole, common::events::<Chat>(common::cut(&sizes, body)));
    borrowed_equals_full(common::cut(&sizes, body), body);
    for event in whole.0.iter().flatten() {
        if let ChatEvent::Chunk(chunk) = event {
            let _ = serde_json::to_string(chunk).expect("serializes");
        }
        let _ = event.content();
    }
});
