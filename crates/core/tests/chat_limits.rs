//! A 100 MB tool-call `arguments` string: one typed error at the decoder's line limit, memory
//! bounded by that limit (dhat's peak), and the stream goes on with the next chunk and
//! `[DONE]`; nothing received before it is lost.

use streaming_assistants_core::chat::{Accumulator, Decoded, Decoder, Rule};
use streaming_assistants_core::sse;
use streaming_assistants_core::wire::protocol::Decode;
use streaming_assistants_core::wire::protocol::Error;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const FIRST: &str = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n";
const HUGE_HEAD: &str = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"";
const HUGE_TAIL: &str = "\"}}]}}]}\n\n";
const LAST: &str = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

#[test]
fn a_100_mb_arguments_string_is_a_typed_error_in_bounded_memory() {
    let _profiler = dhat::Profiler::builder()
        .testing()
        .file_name(std::env::temp_dir().join("chat_limits-dhat-heap.json"))
        .build();
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new(Rule::Lenient);
    let mut errors = Vec::new();
    let mut done = false;
    let mut drain = |decoder: &mut Decoder, acc: &mut Accumulator| {
        while let Some(item) = decoder.next_decoded() {
            match item {
                Ok(Decoded::Content(delta)) => acc.apply_content(&delta).unwrap(),
                Ok(Decoded::Chunk(json)) => acc.apply_json(&json).unwrap(),
                Ok(Decoded::Done) => done = true,
                Ok(_) => {}
                Err(err) => errors.push(err),
            }
        }
    };
    decoder.push(FIRST.as_bytes());
    drain(&mut decoder, &mut acc);
    decoder.push(HUGE_HEAD.as_bytes());
    let block = vec![b'a'; 1 << 20];
    for _ in 0..100 {
        decoder.push(&block);
        drain(&mut decoder, &mut acc);
    }
    decoder.push(HUGE_TAIL.as_bytes());
    decoder.push(LAST.as_bytes());
    drain(&mut decoder, &mut acc);

    assert!(
        matches!(
            errors.as_slice(),
            [Error::Sse(sse::Error::LineTooLong { limit, .. })] if *limit == sse::Limits::DEFAULT_MAX
        ),
        "{errors:?}"
    );
    assert!(done, "the stream went on to [DONE]");
    assert!(decoder.finish_at().complete);
    let completion = acc.completion().unwrap();
    assert_eq!(completion["choices"][0]["message"]["content"], "Hi there");
    assert_eq!(completion["choices"][0]["finish_reason"], "stop");
    let peak = dhat::HeapStats::get().max_bytes;
    // The 16 MiB line limit, its buffer's growth, and the 1 MiB block: never the 100 MB.
    assert!(peak < 40 << 20, "peak heap {peak} bytes");
}
