//! The Chat hot path allocates nothing per content chunk: bytes in through
//! `Decoder::next_decoded`, `Accumulator::apply_content`, text appended in place. Counted with
//! dhat's allocator over 100,000 chunks (the text's amortized doubling aside), both rules.

use streaming_assistants_core::chat::{Accumulator, Decoded, Decoder, Rule};
use streaming_assistants_core::wire::protocol::Decode;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const FIRST: &str = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
const CHUNK: &str = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ab\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"xYz12\"}\n\n";

#[test]
fn content_chunks_through_the_borrowed_path_allocate_nothing_each() {
    let _profiler = dhat::Profiler::builder()
        .testing()
        .file_name(std::env::temp_dir().join("chat_hot_path-dhat-heap.json"))
        .build();
    for rule in [Rule::Lenient, Rule::Strict] {
        let mut decoder = Decoder::new();
        let mut acc = Accumulator::new(rule);
        let feed = |bytes: &[u8], decoder: &mut Decoder, acc: &mut Accumulator| {
            decoder.push(bytes);
            let mut borrowed = 0;
            while let Some(item) = decoder.next_decoded() {
                match item.unwrap() {
                    Decoded::Content(delta) => {
                        borrowed += 1;
                        acc.apply_content(&delta).unwrap();
                    }
                    Decoded::Chunk(chunk) => acc.apply_json(&chunk).unwrap(),
                    _ => {}
                }
            }
            borrowed
        };
        feed(FIRST.as_bytes(), &mut decoder, &mut acc);
        feed(CHUNK.as_bytes(), &mut decoder, &mut acc);
        let before = dhat::HeapStats::get();
        let mut borrowed = 0;
        for _ in 0..100_000 {
            borrowed += feed(CHUNK.as_bytes(), &mut decoder, &mut acc);
        }
        let after = dhat::HeapStats::get();
        assert_eq!(
            borrowed, 100_000,
            "{rule:?}: every chunk took the borrowed path"
        );
        assert_eq!(acc.content().map(str::len), Some(200_002));
        let allocations = after.total_blocks - before.total_blocks;
        assert!(
            allocations <= 24,
            "{rule:?}: {allocations} allocations for 100,000 chunks"
        );
    }
}
