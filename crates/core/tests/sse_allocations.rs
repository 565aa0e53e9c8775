//! Allocation counts, measured with dhat's counting allocator: once its buffers have grown to the
//! largest line, event and chunk, the parser allocates nothing, per line or per event.

use std::fmt::Write;

use streaming_assistants_core::sse::Parser;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn deltas(n: usize) -> Vec<u8> {
    let mut out = String::new();
    for i in 0..n {
        let _ = write!(
            out,
            "event: thread.message.delta\ndata: {{\"id\":\"msg_1\",\"object\":\"thread.message.delta\",\"delta\":{{\"content\":[{{\"index\":0,\"type\":\"text\",\"text\":{{\"value\":\"w{}\"}}}}]}}}}\n\n",
            i % 10
        );
        if i % 7 == 0 {
            out.push_str(": ping\r\ndata: two\r\ndata: lines\r\n\r\n");
        }
    }
    out.into_bytes()
}

#[test]
fn steady_state_parsing_allocates_nothing() {
    // A failed `dhat::assert` saves the profile: into the temp dir, not the source tree.
    let _profiler = dhat::Profiler::builder()
        .testing()
        .file_name(std::env::temp_dir().join("sse_allocations-dhat-heap.json"))
        .build();
    let body = deltas(20_000);
    let (warm_up, rest) = body.split_at(64 * 1024);
    let mut parser = Parser::new();
    let mut events = 0usize;
    let mut feed = |parser: &mut Parser, bytes: &[u8], chunk: usize| {
        for piece in bytes.chunks(chunk) {
            parser.push(piece);
            while let Some(event) = parser.next_event() {
                assert!(event.is_ok());
                events += 1;
            }
        }
    };
    feed(&mut parser, warm_up, 1024);
    let before = dhat::HeapStats::get();
    feed(&mut parser, rest, 1024);
    let after = dhat::HeapStats::get();
    assert!(events > 20_000);
    dhat::assert_eq!(after.total_blocks - before.total_blocks, 0);
}
