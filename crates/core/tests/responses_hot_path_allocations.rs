//! The Responses hot path allocates nothing per output text delta: bytes in through
//! `Decoder::next_decoded`, `Accumulator::apply_decoded`, text appended in place. Counted with
//! dhat's allocator over 100,000 deltas (the text's amortized doubling aside).

use streaming_assistants_core::responses::{Accumulator, Decoded, Decoder};
use streaming_assistants_core::wire::protocol::Decode;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const START: &str = concat!(
    "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}\n\n",
    "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}}\n\n",
    "event: response.content_part.added\ndata: {\"type\":\"response.content_part.added\",\"sequence_number\":2,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}}\n\n",
);
const DELTA: &str = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":3,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"ab\",\"logprobs\":[],\"obfuscation\":\"x1y2z3w4q5\"}\n\n";

#[test]
fn output_text_deltas_through_the_borrowed_path_allocate_nothing_each() {
    let _profiler = dhat::Profiler::builder()
        .testing()
        .file_name(std::env::temp_dir().join("responses_hot_path-dhat-heap.json"))
        .build();
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let feed = |bytes: &[u8], decoder: &mut Decoder, acc: &mut Accumulator| {
        decoder.push(bytes);
        let mut borrowed = 0;
        while let Some(item) = decoder.next_decoded() {
            let decoded = item.unwrap();
            borrowed += usize::from(matches!(decoded, Decoded::OutputTextDelta(_)));
            acc.apply_decoded(&decoded).unwrap();
        }
        borrowed
    };
    // Warm up: the parser's buffers grow to one event, the text part exists.
    feed(START.as_bytes(), &mut decoder, &mut acc);
    feed(DELTA.as_bytes(), &mut decoder, &mut acc);
    let before = dhat::HeapStats::get();
    let mut borrowed = 0;
    for _ in 0..100_000 {
        borrowed += feed(DELTA.as_bytes(), &mut decoder, &mut acc);
    }
    let after = dhat::HeapStats::get();
    assert_eq!(borrowed, 100_000, "every delta took the borrowed path");
    assert_eq!(acc.snapshot().output_text().len(), 200_002);
    let allocations = after.total_blocks - before.total_blocks;
    // The text's buffer doubles about 17 times on the way to 200 KB; nothing else allocates.
    assert!(
        allocations <= 24,
        "{allocations} allocations for 100,000 deltas"
    );
}
