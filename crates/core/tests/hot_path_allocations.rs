//! The borrowed hot path allocates nothing per text delta: bytes in through `Decoder`,
//! `next_decoded`, `apply_decoded`, text appended in place. Counted with dhat's allocator over
//! 100,000 deltas (the text's amortized doubling aside).

use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::{Decoded, Decoder};
use streaming_assistants_core::wire::protocol::Decode;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const CREATED: &str = "event: thread.message.created\ndata: {\"id\":\"msg_1\",\"object\":\"thread.message\",\"role\":\"assistant\",\"content\":[]}\n\n";
const DELTA: &str = "event: thread.message.delta\ndata: {\"id\":\"msg_1\",\"object\":\"thread.message.delta\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"ab\",\"annotations\":[]}}]}}\n\n";

#[test]
fn text_deltas_through_the_borrowed_path_allocate_nothing_each() {
    // A failed `dhat::assert` saves the profile: into the temp dir, not the source tree.
    let _profiler = dhat::Profiler::builder()
        .testing()
        .file_name(std::env::temp_dir().join("hot_path_allocations-dhat-heap.json"))
        .build();
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let feed = |bytes: &[u8], decoder: &mut Decoder, acc: &mut Accumulator| {
        decoder.push(bytes);
        let mut borrowed = 0;
        while let Some(item) = decoder.next_decoded() {
            let decoded = item.unwrap();
            borrowed += usize::from(matches!(decoded, Decoded::TextDelta(_)));
            acc.apply_decoded(&decoded).unwrap();
        }
        borrowed
    };
    // Warm up: the parser's buffers grow to one event, the text part exists.
    feed(CREATED.as_bytes(), &mut decoder, &mut acc);
    feed(DELTA.as_bytes(), &mut decoder, &mut acc);
    let before = dhat::HeapStats::get();
    let mut borrowed = 0;
    for _ in 0..100_000 {
        borrowed += feed(DELTA.as_bytes(), &mut decoder, &mut acc);
    }
    let after = dhat::HeapStats::get();
    assert_eq!(borrowed, 100_000, "every delta took the borrowed path");
    assert_eq!(acc.text("msg_1").map(|t| t.len()), Some(200_002));
    let allocations = after.total_blocks - before.total_blocks;
    // The text's buffer doubles about 17 times on the way to 200 KB; nothing else allocates.
    assert!(
        allocations <= 24,
        "{allocations} allocations for 100,000 deltas"
    );
}
