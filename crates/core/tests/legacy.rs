//! Astra's legacy message stream.

use streaming_assistants_core::assistants::legacy::{LegacyDecoder, LegacyEvent};
use streaming_assistants_core::sse::End;
use streaming_assistants_core::wire::protocol::Decode;

fn frame(text: &str, object: &str) -> String {
    format!(
        "data: {{\"object\":\"{object}\",\"data\":[{{\"id\":\"msg_1\",\"object\":\"thread.message\",\"created_at\":1,\"thread_id\":\"thread_1\",\"role\":\"assistant\",\"content\":[{{\"type\":\"text\",\"delta\":{{\"value\":{}}}}}],\"assistant_id\":\"asst_1\",\"run_id\":\"run_1\",\"file_ids\":[],\"metadata\":{{}}}}],\"first_id\":\"msg_1\",\"last_id\":\"msg_1\"}}\n\n",
        serde_json::to_string(text).unwrap()
    )
}

fn decode(body: &str, chunk: usize) -> (Vec<LegacyEvent>, End) {
    let mut decoder = LegacyDecoder::new();
    let mut out = Vec::new();
    for piece in body.as_bytes().chunks(chunk) {
        decoder.push(piece);
        while let Some(item) = decoder.next_event() {
            out.push(item.expect("decodes"));
        }
    }
    (out, decoder.finish())
}

fn text(events: &[LegacyEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            LegacyEvent::Chunk(chunk) => Some(chunk.text()),
            _ => None,
        })
        .collect()
}

#[test]
fn chunks_decode_to_text_whatever_the_outer_object() {
    let body = frame("Hello, ", "thread.message.delta") + &frame("world \"quoted\"", "list");
    for chunk in [1, 7, body.len()] {
        let (events, end) = decode(&body, chunk);
        assert_eq!(text(&events), "Hello, world \"quoted\"");
        assert_eq!(end, End::Clean);
    }
}

#[test]
fn failure_frame_without_blank_line_is_a_truncated_end() {
    let body = frame("partial", "thread.message.delta") + "data: []";
    let (events, end) = decode(&body, 3);
    assert_eq!(text(&events), "partial");
    assert!(matches!(end, End::Truncated { .. }));
}

#[test]
fn non_chunk_frames_are_reported_not_fatal() {
    let body = String::from("data: []\n\n") + &frame("after", "thread.message.delta");
    let (events, _) = decode(&body, 4);
    assert_eq!(events[0], LegacyEvent::Other("[]".into()));
    assert_eq!(text(&events), "after");
}
