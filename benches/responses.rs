//! The Responses pipeline, bytes to snapshot, beside what Rust users would pick instead:
//! `eventsource-stream` framing with `async-openai` 0.43's `ResponseStreamEvent` (which has no
//! accumulation), and the floor (the payloads, already framed, decoded by serde_json into our
//! event type). See `docs/benchmarks.md`.

use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use futures_core::Stream;
use streaming_assistants_benches::{
    owned_events, payloads, responses_stream, stream_group, through_reader, Chunks,
};
use streaming_assistants_core::responses::{Accumulator, ResponseEvent, Responses};

const DELTAS: usize = 200_000;
const CHUNK: usize = 64 * 1024;

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
    let payloads = payloads(&body);
    let expected = payloads.len();
    // Ours, as the transports run it (`into_response`): the borrowed hot path, the snapshot.
    let ours = || through_reader::<Responses>(&body, CHUNK, Accumulator::new());
    let (events, snapshot) = ours();
    assert_eq!(events, expected);
    let status = snapshot.status().map(|s| s.as_str().to_owned());
    assert_eq!(status.as_deref(), Some("completed"), "the whole response");
    let ours = || ours().0;
    assert_eq!(owned_events::<Responses>(&body, CHUNK), expected);
    assert_eq!(peer(&body), expected);
    let mut group = stream_group(c, "responses", expected);
    group.bench_function(BenchmarkId::new("ours", "decode+accumulate"), |b| {
        b.iter(|| assert_eq!(ours(), expected))
    });
    group.bench_function(BenchmarkId::new("ours", "decode (owned)"), |b| {
        b.iter(|| assert_eq!(owned_events::<Responses>(&body, CHUNK), expected))
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
