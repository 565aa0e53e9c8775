//! The Chat Completions pipeline, bytes to `ChatCompletion`, beside what Rust users would pick
//! instead: `eventsource-stream` framing with `async-openai` 0.43's
//! `CreateChatCompletionStreamResponse` (no accumulation: the peer concatenates choice 0's
//! content by hand, as its users do), and the floor (the payloads, already framed, decoded by
//! serde_json into our `ChatChunk`). See `docs/benchmarks.md`.

use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use futures_core::Stream;
use streaming_assistants_benches::{
    chat_markdown_stream, chat_stream, owned_events, payloads, reply_text, stream_group,
    through_reader, Chunks,
};
use streaming_assistants_core::chat::{Accumulator, Chat, ChatChunk, ChatCompletion, Rule};

const DELTAS: usize = 200_000;
const CHUNK: usize = 64 * 1024;

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

/// Ours read every chunk and built the whole reply.
fn check((chunks, completion): (usize, ChatCompletion), body: &[u8], expected: usize) {
    assert_eq!(chunks, expected);
    assert_eq!(
        completion.content(),
        Some(reply_text::<Chat>(body).as_str())
    );
}

fn pipeline(c: &mut Criterion) {
    let body = chat_stream(DELTAS);
    let payloads = payloads(&body);
    let expected = payloads.len();
    // Ours, as the transports run it (`into_completion`), by each rule.
    let ours = |rule| through_reader::<Chat>(&body, CHUNK, Accumulator::new(rule));
    check(ours(Rule::Lenient), &body, expected);
    check(ours(Rule::Strict), &body, expected);
    let ours = |rule| ours(rule).0;
    assert_eq!(owned_events::<Chat>(&body, CHUNK), expected);
    assert_eq!(peer(&body), expected);
    let mut group = stream_group(c, "chat", expected);
    group.bench_function(
        BenchmarkId::new("ours", "decode+accumulate (lenient)"),
        |b| b.iter(|| assert_eq!(ours(Rule::Lenient), expected)),
    );
    group.bench_function(
        BenchmarkId::new("ours", "decode+accumulate (strict)"),
        |b| b.iter(|| assert_eq!(ours(Rule::Strict), expected)),
    );
    group.bench_function(BenchmarkId::new("ours", "decode (owned)"), |b| {
        b.iter(|| assert_eq!(owned_events::<Chat>(&body, CHUNK), expected))
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

/// The same beside a markdown answer, whose escaped line breaks no chunk shape holds: the
/// shape reading must survive them.
fn markdown(c: &mut Criterion) {
    let body = chat_markdown_stream(DELTAS);
    let expected = payloads(&body).len();
    let ours = || through_reader::<Chat>(&body, CHUNK, Accumulator::new(Rule::Lenient));
    check(ours(), &body, expected);
    let ours = || ours().0;
    assert_eq!(peer(&body), expected);
    let mut group = stream_group(c, "chat-markdown", expected);
    group.bench_function(
        BenchmarkId::new("ours", "decode+accumulate (lenient)"),
        |b| b.iter(|| assert_eq!(ours(), expected)),
    );
    group.bench_function(
        BenchmarkId::new("eventsource-stream+async-openai-0.43", "decode+concat"),
        |b| b.iter(|| assert_eq!(peer(&body), expected)),
    );
    group.finish();
}

criterion_group!(benches, pipeline, markdown);
criterion_main!(benches);
