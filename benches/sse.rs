//! SSE framing throughput: our `sse::Parser` beside `eventsource-stream` 0.2 (the framing under
//! `reqwest-eventsource` and `async-openai`) and beside a bare `memchr` line scan (the floor),
//! on the same realistic Assistants stream, fed in 16 B, 1 KiB, 64 KiB and 1 MiB chunks.
//!
//! Run: `cargo bench -p streaming-assistants-benches --bench sse`

use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use futures_core::Stream;
use streaming_assistants_benches::{assistants_stream, Chunks};
use streaming_assistants_core::sse::Parser;

/// The stream under test: 200,000 deltas, about 36 MB.
const DELTAS: usize = 200_000;
const CHUNKS: [usize; 4] = [16, 1024, 64 * 1024, 1024 * 1024];

fn ours(body: &[u8], chunk: usize) -> usize {
    let mut parser = Parser::new();
    let mut events = 0;
    for piece in body.chunks(chunk) {
        parser.push(piece);
        while let Some(event) = parser.next_event() {
            black_box(event.ok());
            events += 1;
        }
    }
    black_box(parser.finish());
    events
}

/// The same, copying every event out (`EventRef::to_owned`): what a caller that keeps events
/// pays.
fn ours_owned(body: &[u8], chunk: usize) -> usize {
    let mut parser = Parser::new();
    let mut events = 0;
    for piece in body.chunks(chunk) {
        parser.push(piece);
        while let Some(event) = parser.next_event() {
            black_box(event.map(|e| e.to_owned()).ok());
            events += 1;
        }
    }
    black_box(parser.finish());
    events
}

/// The floor: a bare `memchr` framer that finds every line end across chunk boundaries and
/// counts an event at each blank line following a non-blank one — no fields, no CR, no UTF-8.
fn memchr_floor(body: &[u8], chunk: usize) -> usize {
    let mut events = 0;
    let mut line_len = 0usize;
    let mut in_event = false;
    for piece in body.chunks(chunk) {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', piece) {
            line_len += end - start;
            if line_len == 0 {
                events += usize::from(in_event);
                in_event = false;
            } else {
                in_event = true;
            }
            black_box(&piece[start..end]);
            line_len = 0;
            start = end + 1;
        }
        line_len += piece.len() - start;
    }
    events
}

fn eventsource_stream(body: &[u8], chunk: usize) -> usize {
    use eventsource_stream::Eventsource;
    let mut stream = Chunks::new(body, chunk).eventsource();
    let mut cx = Context::from_waker(Waker::noop());
    let mut events = 0;
    // The chunk stream is always ready, so polling never returns Pending.
    while let Poll::Ready(Some(event)) = Pin::new(&mut stream).poll_next(&mut cx) {
        black_box(event.ok());
        events += 1;
    }
    events
}

fn framing(c: &mut Criterion) {
    let body = assistants_stream(DELTAS);
    let expected = ours(&body, body.len());
    assert_eq!(eventsource_stream(&body, 64 * 1024), expected);
    let mut group = c.benchmark_group("sse_framing");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    for chunk in CHUNKS {
        group.bench_with_input(BenchmarkId::new("ours", chunk), &chunk, |b, &chunk| {
            b.iter(|| assert_eq!(ours(&body, chunk), expected));
        });
        group.bench_with_input(
            BenchmarkId::new("eventsource-stream", chunk),
            &chunk,
            |b, &chunk| b.iter(|| assert_eq!(eventsource_stream(&body, chunk), expected)),
        );
        group.bench_with_input(
            BenchmarkId::new("memchr-floor", chunk),
            &chunk,
            |b, &chunk| {
                b.iter(|| assert_eq!(memchr_floor(&body, chunk), expected));
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours-owned", chunk),
            &chunk,
            |b, &chunk| b.iter(|| assert_eq!(ours_owned(&body, chunk), expected)),
        );
    }
    group.finish();
}

criterion_group!(benches, framing);
criterion_main!(benches);
