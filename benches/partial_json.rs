//! Structured outputs as they stream: a JSON answer arriving in 8-byte deltas, the value read
//! after every delta. Ours (`json::PartialJson`, built in place) beside the floor (one
//! `serde_json` parse of the whole document) and what the SDKs do (re-parse the whole text
//! so far at every delta: openai-python with `jiter`'s partial mode, here `jiter` itself). See
//! `docs/benchmarks.md`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::{json, Value};
use streaming_assistants_core::json::{PartialJson, PartialMode};

const DELTA: usize = 8;

/// A structured answer of about `size` bytes: rows of a table, as a form or a report is.
fn document(size: usize) -> Vec<u8> {
    let mut rows = Vec::new();
    let mut doc = Vec::new();
    let mut i = 0u64;
    while doc.len() < size {
        rows.push(json!({
            "id": i,
            "name": format!("row {i} — ünïcode and \"quotes\""),
            "score": i as f64 * 0.25 - 3.5,
            "tags": ["alpha", "beta", i % 7],
            "done": i % 2 == 0,
            "note": null,
        }));
        i += 1;
        if i % 64 == 0 {
            doc = serde_json::to_vec(&json!({"rows": rows, "total": i})).expect("serializes");
        }
    }
    doc
}

/// Ours: every delta pushed, the value read after each.
fn ours(doc: &[u8], mode: PartialMode) -> Value {
    let mut parser = PartialJson::new(mode);
    for delta in doc.chunks(DELTA) {
        parser.push(delta).expect("valid");
        black_box(parser.value());
    }
    parser.finish().expect("whole")
}

/// The SDKs' way: the whole text so far re-parsed (partially) at every delta.
fn reparse(doc: &[u8]) -> usize {
    let mut n = 0;
    for end in (DELTA..doc.len()).step_by(DELTA).chain([doc.len()]) {
        let value = jiter::JsonValue::parse_with_config(&doc[..end], false, jiter::PartialMode::On)
            .expect("a prefix");
        black_box(&value);
        n += 1;
    }
    n
}

fn partial(c: &mut Criterion) {
    let mut group = c.benchmark_group("partial_json");
    group.sample_size(10);
    for kib in [256usize, 512, 1024] {
        let doc = document(kib * 1024);
        let expected: Value = serde_json::from_slice(&doc).expect("valid");
        assert_eq!(ours(&doc, PartialMode::On), expected);
        group.throughput(Throughput::Bytes(doc.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours_on", kib), &doc, |b, doc| {
            b.iter(|| ours(doc, PartialMode::On))
        });
        group.bench_with_input(
            BenchmarkId::new("ours_trailing_strings", kib),
            &doc,
            |b, doc| b.iter(|| ours(doc, PartialMode::TrailingStrings)),
        );
        group.bench_with_input(BenchmarkId::new("serde_json_once", kib), &doc, |b, doc| {
            b.iter(|| serde_json::from_slice::<Value>(doc).expect("valid"))
        });
        if kib == 256 {
            group.bench_with_input(
                BenchmarkId::new("reparse_every_delta_jiter", kib),
                &doc,
                |b, doc| b.iter(|| reparse(doc)),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, partial);
criterion_main!(benches);
