//! Accumulation is linear: appending a 1-byte delta allocates nothing (beyond the text's
//! amortized doubling), so a long message built from tiny deltas is never quadratic. Counted
//! with dhat's allocator, not timed.

use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::StreamEvent;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

#[test]
fn a_million_one_byte_deltas_cost_a_logarithmic_number_of_allocations() {
    // A failed `dhat::assert` saves the profile: into the temp dir, not the source tree.
    let _profiler = dhat::Profiler::builder()
        .testing()
        .file_name(std::env::temp_dir().join("accumulate_allocations-dhat-heap.json"))
        .build();
    let created = StreamEvent::decode(
        "thread.message.created",
        r#"{"id":"msg_1","role":"assistant","content":[]}"#,
        0,
    )
    .unwrap();
    let delta = StreamEvent::decode(
        "thread.message.delta",
        r#"{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"value":"x"}}]}}"#,
        1,
    )
    .unwrap();
    let mut acc = Accumulator::new();
    acc.apply(&created).unwrap();
    acc.apply(&delta).unwrap();
    let before = dhat::HeapStats::get();
    for _ in 1..1_000_000 {
        acc.apply(&delta).unwrap();
    }
    let after = dhat::HeapStats::get();
    assert_eq!(acc.text("msg_1").map(|t| t.len()), Some(1_000_000));
    let allocations = after.total_blocks - before.total_blocks;
    // The text's buffer doubles about 20 times on the way to 1 MB; nothing else allocates.
    assert!(
        allocations <= 32,
        "{allocations} allocations for 1,000,000 deltas"
    );
}
