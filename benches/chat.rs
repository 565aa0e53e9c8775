//! The Chat Completions pipeline, bytes to `ChatCompletion`, beside what Rust users would pick
//! instead: `eventsource-stream` framing with `async-openai` 0.43's
//! `CreateChatCompletionStreamResponse` (no accumulation: the peer concatenates choice 0's
//! content by hand, as its users do), and the floor (the payloads, already framed, decoded by
//! serde_json into our `ChatChunk`). See `docs/benchmarks.md`.

use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use futures_core::Stream;
use streaming_assistants_benches::{chat_stream, Chunks};
use streaming_assistants_core::chat::{Accumulator, Chat, ChatChunk, Decoded, Decoder, Rule};
use streaming_assistants_core::drive::Reader;
use streaming_assistants_core::sse::Parser;

const DELTAS: usize = 200_000;
const CHUNK: usize = 64 * 1024;

/// Ours, as the transports run it: the `drive::Reader` pump, the borrowed hot path, the
/// accumulator (the `ChatCompletion` at the end), in `rule`.
fn ours(body: &[u8], rule: Rule) -> usize {
    let mut reader = Reader::<Chat>::new();
    let mut acc = Accumulator::new(rule);
    let mut chunks = 0;
    for piece in body.chunks(CHUNK) {
        reader.push(piece);
        while let Some(item) = reader.next_item() {
            match item.expect("valid") {
                Decoded::Content(delta) => acc.apply_content(&delta).expect("applies"),
                Decoded::Chunk(json) => acc.apply_json(&json).expect("applies"),
                _ => {}
            }
            chunks += 1;
        }
    }
    assert!(reader.end().is_none(), "a clean end");
    black_box(acc.completion());
    chunks
}

/// Ours, owned typed chunks, no accumulation: what the peer does.
fn ours_decode(body: &[u8]) -> usize {
    let mut decoder = Decoder::new();
    let mut chunks = 0;
    for piece in body.chunks(CHUNK) {
        decoder.push(piece);
        while let Some(item) = decoder.next_event() {
            black_box(item.expect("valid"));
            chunks += 1;
        }
    }
    chunks
}

/// The peer: `eventsource-stream`, then `async-openai` 0.43's typed decode of each chunk (it
/// stops at `[DONE]`), choice 0's content appended to a `String`.
fn peer(body: &[u8]) -> usize {
    use async_openai_043::types::chat::CreateChatCompletionStreamResponse;
    use eventsource_stream::Eventsource;
    let mut stream = Chunks::new(body, CHUNK).eventsource();
    let mut cx = Context::from_waker(Waker::noop());
    let mut text = String::new();
    let mut chunks = 0;
    while let Poll::Ready(Some(event)) = Pin::new(&mut stream).poll_next(&mut cx) {
        let event = event.expect("framing");
        chunks += 1;
        if event.data == "[DONE]" {
            break;
        }
        let chunk: CreateChatCompletionStreamResponse =
            serde_json::from_str(&event.data).expect("decodes");
        if let Some(content) = chunk.choices.first().and_then(|c| c.delta.content.as_ref()) {
            text.push_str(content);
        }
        black_box(&chunk);
    }
    black_box(text);
    chunks
}

/// The floor: the payloads, already framed, decoded straight into our chunk type.
fn floor(payloads: &[String]) -> usize {
    for data in payloads {
        if data != "[DONE]" {
            black_box(serde_json::from_str::<ChatChunk>(data).expect("decodes"));
        }
    }
    payloads.len()
}

fn pipeline(c: &mut Criterion) {
    let body = chat_stream(DELTAS);
    let mut parser = Parser::new();
    parser.push(&body);
    let mut payloads = Vec::new();
    while let Some(event) = parser.next_event() {
        payloads.push(event.expect("valid").data().to_owned());
    }
    let expected = payloads.len();
    assert_eq!(ours(&body, Rule::Lenient), expected);
    assert_eq!(ours(&body, Rule::Strict), expected);
    assert_eq!(ours_decode(&body), expected);
    assert_eq!(peer(&body), expected);
    let mut group = c.benchmark_group("chat");
    group.throughput(Throughput::Elements(expected as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function(
        BenchmarkId::new("ours", "decode+accumulate (lenient)"),
        |b| b.iter(|| assert_eq!(ours(&body, Rule::Lenient), expected)),
    );
    group.bench_function(
        BenchmarkId::new("ours", "decode+accumulate (strict)"),
        |b| b.iter(|| assert_eq!(ours(&body, Rule::Strict), expected)),
    );
    group.bench_function(BenchmarkId::new("ours", "decode (owned)"), |b| {
        b.iter(|| assert_eq!(ours_decode(&body), expected))
    });
    group.bench_function(
        BenchmarkId::new("eventsource-stream+async-openai-0.43", "decode+concat"),
        |b| b.iter(|| assert_eq!(peer(&body), expected)),
    );
    group.bench_function(
        BenchmarkId::new("serde_json-floor", "decode (owned)"),
        |b| b.iter(|| assert_eq!(floor(&payloads), expected)),
    );
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
