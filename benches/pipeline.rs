//! The whole pipeline — SSE framing + typed decode + accumulation — beside what users would
//! pick instead (`eventsource-stream` 0.2 framing + `async-openai` 0.40's
//! `AssistantStreamEvent`, the last `async-openai` with the Assistants API) and beside the floor
//! (a bare `serde_json` decode of the same payload strings into the same types).
//!
//! Ours runs two ways: owned typed events (`next_event` + `apply`), and the borrowed hot path
//! (`next_decoded` + `apply_decoded`), where plain text deltas are not copied.
//!
//! Run: `cargo bench -p streaming-assistants-benches --bench pipeline`

use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use futures_core::Stream;
use streaming_assistants_benches::{
    assistants_stream, owned_events, peer, stream_group, through_reader, Chunks,
};
use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::{Decoder, StreamEvent};
use streaming_assistants_core::assistants::Assistants;
use streaming_assistants_core::sse::Parser;
use streaming_assistants_core::wire::protocol::Decode;

const DELTAS: usize = 200_000;
const CHUNK: usize = 64 * 1024;

/// Ours: bytes → events → snapshots.
fn ours(body: &[u8]) -> usize {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let mut events = 0;
    for piece in body.chunks(CHUNK) {
        decoder.push(piece);
        while let Some(item) = decoder.next_event() {
            let event = item.expect("valid stream");
            acc.apply(&event).expect("known objects");
            events += 1;
        }
    }
    black_box(decoder.finish());
    black_box(acc.into_snapshot());
    events
}

/// Ours, the borrowed hot path: plain text deltas decoded in place (`next_decoded`) and
/// appended in place (`apply_decoded`); every other event as above.
fn ours_borrowed(body: &[u8]) -> usize {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let mut events = 0;
    for piece in body.chunks(CHUNK) {
        decoder.push(piece);
        while let Some(item) = decoder.next_decoded() {
            let event = item.expect("valid stream");
            acc.apply_decoded(&event).expect("known objects");
            events += 1;
        }
    }
    black_box(decoder.finish());
    black_box(acc.into_snapshot());
    events
}

/// The peer: `eventsource-stream` framing, `async-openai` 0.40 typed decode (what its
/// `Client::threads().runs().create_stream` does per event).
fn peer(body: &[u8]) -> usize {
    use eventsource_stream::Eventsource;
    let mut stream = Chunks::new(body, CHUNK).eventsource();
    let mut cx = Context::from_waker(Waker::noop());
    let mut events = 0;
    while let Poll::Ready(Some(event)) = Pin::new(&mut stream).poll_next(&mut cx) {
        let event = event.expect("framing");
        black_box(peer::decode(&event).expect("decodes"));
        events += 1;
    }
    events
}

/// The floor: the payloads, already framed, decoded straight into our types.
fn floor(payloads: &[(String, String)]) -> usize {
    for (name, data) in payloads {
        black_box(StreamEvent::decode(name, data, 0).expect("decodes"));
    }
    payloads.len()
}

fn pipeline(c: &mut Criterion) {
    let body = assistants_stream(DELTAS);
    let mut parser = Parser::new();
    parser.push(&body);
    let mut payloads = Vec::new();
    while let Some(event) = parser.next_event() {
        let event = event.expect("valid");
        payloads.push((event.event().to_owned(), event.data().to_owned()));
    }
    let expected = payloads.len();
    assert_eq!(ours(&body), expected);
    assert_eq!(ours_borrowed(&body), expected);
    // What both transports' `into_snapshot()` run: the generic `drive::Reader` pump over the
    // `Assistants` protocol's hot path, with its one ending rule.
    let ours_reader = || through_reader::<Assistants>(&body, CHUNK, Accumulator::default());
    let (events, snapshot) = ours_reader();
    assert_eq!(events, expected);
    assert!(!snapshot.messages.is_empty() && snapshot.run.is_some());
    let ours_reader = || ours_reader().0;
    assert_eq!(peer(&body), expected);
    let mut group = stream_group(c, "pipeline", expected);
    group.bench_function(BenchmarkId::new("ours", "decode+accumulate"), |b| {
        b.iter(|| assert_eq!(ours(&body), expected))
    });
    group.bench_function(
        BenchmarkId::new("ours-borrowed", "decode+accumulate"),
        |b| b.iter(|| assert_eq!(ours_borrowed(&body), expected)),
    );
    group.bench_function(
        BenchmarkId::new("ours-reader (the transports' pump)", "decode+accumulate"),
        |b| b.iter(|| assert_eq!(ours_reader(), expected)),
    );
    group.bench_function(BenchmarkId::new("ours", "decode"), |b| {
        b.iter(|| assert_eq!(owned_events::<Assistants>(&body, CHUNK), expected))
    });
    group.bench_function(
        BenchmarkId::new("eventsource-stream+async-openai-0.40", "decode"),
        |b| b.iter(|| assert_eq!(peer(&body), expected)),
    );
    group.bench_function(BenchmarkId::new("serde_json-floor", "decode"), |b| {
        b.iter(|| assert_eq!(floor(&payloads), expected))
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
