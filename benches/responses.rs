//! The Responses pipeline, bytes to snapshot, beside what Rust users would pick instead:
//! `eventsource-stream` framing with `async-openai` 0.43's `ResponseStreamEvent` (which has no
//! accumulation), and the floor (the payloads, already framed, decoded by serde_json into our
//! event type). See `docs/benchmarks.md`.

use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use futures_core::Stream;
use streaming_assistants_benches::{responses_stream, Chunks};
use streaming_assistants_core::drive::Reader;
use streaming_assistants_core::responses::{Accumulator, Decoder, ResponseEvent, Responses};
use streaming_assistants_core::sse::Parser;

const DELTAS: usize = 200_000;
const CHUNK: usize = 64 * 1024;

/// Ours, as the transports run it: the `drive::Reader` pump, the borrowed hot path, the
/// accumulator (the snapshot at the end).
fn ours(body: &[u8]) -> usize {
    let mut reader = Reader::<Responses>::new();
    let mut acc = Accumulator::new();
    let mut events = 0;
    for piece in body.chunks(CHUNK) {
        reader.push(piece);
        while let Some(item) = reader.next_item() {
            acc.apply_decoded(&item.expect("valid")).expect("applies");
            events += 1;
        }
    }
    assert!(reader.end().is_none(), "a clean end");
    black_box(acc.into_snapshot());
    events
}

/// Ours, owned events, no accumulation: what the peer does.
fn ours_decode(body: &[u8]) -> usize {
    let mut decoder = Decoder::new();
    let mut events = 0;
    for piece in body.chunks(CHUNK) {
        decoder.push(piece);
        while let Some(item) = decoder.next_event() {
            black_box(item.expect("valid"));
            events += 1;
        }
    }
    events
}

/// The peer: `eventsource-stream`, then `async-openai` 0.43's typed decode of each event.
fn peer(body: &[u8]) -> usize {
    use async_openai_043::types::responses::ResponseStreamEvent;
    use eventsource_stream::Eventsource;
    let mut stream = Chunks::new(body, CHUNK).eventsource();
    let mut cx = Context::from_waker(Waker::noop());
    let mut events = 0;
    while let Poll::Ready(Some(event)) = Pin::new(&mut stream).poll_next(&mut cx) {
        let event = event.expect("framing");
        black_box(serde_json::from_str::<ResponseStreamEvent>(&event.data).expect("decodes"));
        events += 1;
    }
    events
}

/// The floor: the payloads, already framed, decoded straight into our event type.
fn floor(payloads: &[String]) -> usize {
    for data in payloads {
        black_box(ResponseEvent::decode("message", data, 0).expect("decodes"));
    }
    payloads.len()
}

fn pipeline(c: &mut Criterion) {
    let body = responses_stream(DELTAS);
    let mut parser = Parser::new();
    parser.push(&body);
    let mut payloads = Vec::new();
    while let Some(event) = parser.next_event() {
        payloads.push(event.expect("valid").data().to_owned());
    }
    let expected = payloads.len();
    assert_eq!(ours(&body), expected);
    assert_eq!(ours_decode(&body), expected);
    assert_eq!(peer(&body), expected);
    let mut group = c.benchmark_group("responses");
    group.throughput(Throughput::Elements(expected as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function(BenchmarkId::new("ours", "decode+accumulate"), |b| {
        b.iter(|| assert_eq!(ours(&body), expected))
    });
    group.bench_function(BenchmarkId::new("ours", "decode (owned)"), |b| {
        b.iter(|| assert_eq!(ours_decode(&body), expected))
    });
    group.bench_function(
        BenchmarkId::new("eventsource-stream+async-openai-0.43", "decode"),
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
