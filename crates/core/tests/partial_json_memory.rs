//! Streaming a document through the partial parser holds no more than its value does: the peak
//! heap (dhat) of a 1 MiB structured answer fed in 8-byte pieces, the value read after every
//! piece, against the finished value's own size.

use serde_json::{json, Value};
use streaming_assistants_core::json::{PartialJson, PartialMode};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// About `size` bytes of rows, as a structured answer has them.
fn document(size: usize) -> Vec<u8> {
    let rows: Vec<Value> = (0..size / 120)
        .map(|i| {
            json!({
                "id": i,
                "name": format!("row {i} — ünïcode and \"quotes\""),
                "score": i as f64 * 0.25 - 3.5,
                "tags": ["alpha", "beta", i % 7],
                "done": i % 2 == 0,
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "rows": rows })).unwrap()
}

#[test]
fn streaming_holds_about_what_the_value_itself_holds() {
    // Made before the profiler starts: only the parsing is counted.
    let doc = document(1024 * 1024);
    let size = doc.len() as u64;
    let _profiler = dhat::Profiler::builder()
        .testing()
        .file_name(std::env::temp_dir().join("partial_json-dhat-heap.json"))
        .build();
    let mut parser = PartialJson::new(PartialMode::TrailingStrings);
    for piece in doc.chunks(8) {
        parser.push(piece).unwrap();
        std::hint::black_box(parser.value());
    }
    let value = parser.finish().unwrap();
    let stats = dhat::HeapStats::get();
    // What the finished value holds (what any parser of the whole text ends with), and the
    // most that was held at once while streaming.
    let (tree, peak) = (stats.curr_bytes as u64, stats.max_bytes as u64);
    eprintln!("document {size} B, its value {tree} B, peak while streaming {peak} B");
    assert_eq!(value, serde_json::from_slice::<Value>(&doc).unwrap());
    // Nothing beyond the value itself but the parser's few small buffers.
    assert!(peak <= tree + 64 * 1024, "peak {peak} B, value {tree} B");
    // The value is serde_json's `Value` (32 bytes a node, maps as B-trees): for a document of
    // small members, about 8 times its text, as serde_json's own parse of it builds.
    assert!(tree <= 10 * size, "value {tree} B > 10 x {size} B");
}
