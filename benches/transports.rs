//! Both transports over loopback from the test server, beside `async-openai` 0.40's Assistants
//! stream (`threads().runs().create_stream`) on the same server and script: events per second
//! (wall clock) and CPU time per event of the client's thread.
//!
//! The server runs on threads of its own; each client runs on the bench thread (the async ones
//! on a current-thread runtime, so that `async-openai`'s spawned reader task is counted too),
//! and the CPU measurement reads that thread's CPU time.
//!
//! Run: `cargo bench -p streaming-assistants-benches --bench transports`

use std::hint::black_box;
use std::time::Duration;

use async_openai::config::OpenAIConfig;
use async_openai::types::assistants::CreateRunRequest;
use criterion::measurement::Measurement;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use streaming_assistants_benches::cpu::ThreadCpu;
use streaming_assistants_benches::WORDS;
use streaming_assistants_testserver::{BlockingTestServer, Delivery, RunScript, Script};

/// Text deltas per run (each run also has 10 run, step and message events and `done`).
const DELTAS: usize = 2_000;
const EVENTS: u64 = DELTAS as u64 + 11;
const KEY: &str = "sk-bench";

struct Setup {
    _server: BlockingTestServer,
    base_url: String,
    thread: String,
    assistant: String,
    runtime: tokio::runtime::Runtime,
}

/// `live`: one write per event, as a model streams; otherwise 16 KiB writes, as a fast server
/// or a backlog arrives.
fn setup(live: bool) -> Setup {
    let pieces: Vec<&str> = (0..DELTAS).map(|i| WORDS[i % WORDS.len()]).collect();
    let delivery = Delivery {
        chunk_size: (!live).then_some(16 * 1024),
        ..Delivery::default()
    };
    let run = RunScript::text(pieces).delivered(delivery);
    let server = BlockingTestServer::start(Script::new().run(run).repeat()).expect("test server");
    let base_url = server.base_url();
    let client = streaming_assistants_sync::Client::new(
        streaming_assistants_sync::Config::new(KEY).base_url(&base_url),
    )
    .unwrap();
    let assistant = client
        .assistants()
        .create(serde_json::json!({"model": "m"}))
        .expect("assistant")
        .id;
    let thread = client.threads().create().expect("thread").id;
    client
        .threads()
        .messages()
        .create(&thread, "Hi")
        .expect("message");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    Setup {
        _server: server,
        base_url,
        thread,
        assistant,
        runtime,
    }
}

fn ours_sync(s: &Setup, client: &streaming_assistants_sync::Client) -> u64 {
    let stream = client
        .threads()
        .runs()
        .create_stream(&s.thread, &s.assistant)
        .expect("stream");
    stream.map(|e| e.map(|_| 1).expect("event")).sum()
}

fn ours_async(s: &Setup, client: &streaming_assistants_async::Client) -> u64 {
    s.runtime.block_on(async {
        let mut stream = client
            .threads()
            .runs()
            .create_stream(&s.thread, &s.assistant)
            .await
            .expect("stream");
        let mut events = 0;
        while let Some(event) = stream.next().await {
            event.expect("event");
            events += 1;
        }
        events
    })
}

// The Assistants API is deprecated upstream: that is why this project exists.
#[allow(deprecated)]
fn peer(s: &Setup, client: &async_openai::Client<OpenAIConfig>) -> u64 {
    s.runtime.block_on(async {
        let request = CreateRunRequest {
            assistant_id: s.assistant.clone(),
            ..Default::default()
        };
        let mut stream = client
            .threads()
            .runs(&s.thread)
            .create_stream(request)
            .await
            .expect("stream");
        let mut events = 1; // `done` ends its stream without an item
        while let Some(event) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            event.expect("event");
            events += 1;
        }
        events
    })
}

/// The floor for any tokio client: the same run created over a bare tokio `TcpStream` with a
/// hand-written HTTP/1.1 request, its body read to the end in 64 KiB reads and thrown away —
/// no HTTP parsing, no SSE, no JSON. What is left is the kernel and the runtime.
fn tokio_floor(s: &Setup) -> u64 {
    use streaming_assistants_core::wire::{Config, Request};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = Config::new(KEY).base_url(&s.base_url);
    let request = Request::run_assistant(&s.thread, &s.assistant, true);
    let url = request.url(&config);
    let (host, path) = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once('/'))
        .expect("http URL");
    let body = request
        .body
        .as_ref()
        .map(|b| b.to_string())
        .unwrap_or_default();
    let mut head = format!("POST /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in request.headers(&config) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.runtime.block_on(async {
        let mut socket = tokio::net::TcpStream::connect(host).await.expect("connect");
        socket.set_nodelay(true).expect("nodelay");
        socket.write_all(head.as_bytes()).await.expect("write");
        let mut buf = vec![0; 64 * 1024];
        let mut bytes = 0;
        loop {
            match socket.read(&mut buf).await.expect("read") {
                0 => break,
                n => bytes += n,
            }
        }
        black_box(bytes);
    });
    EVENTS
}

fn transports<M: Measurement>(group: &mut BenchmarkGroup<'_, M>, s: &Setup) {
    let config = streaming_assistants_sync::Config::new(KEY).base_url(&s.base_url);
    let sync = streaming_assistants_sync::Client::new(config.clone()).unwrap();
    let asynchronous = s
        .runtime
        .block_on(async { streaming_assistants_async::Client::new(config) })
        .expect("client");
    let openai = async_openai::Client::with_config(
        OpenAIConfig::new()
            .with_api_base(&s.base_url)
            .with_api_key(KEY)
            // 0.40 no longer sends it by itself.
            .with_header("OpenAI-Beta", "assistants=v2")
            .expect("header"),
    );
    assert_eq!(ours_sync(s, &sync), EVENTS);
    assert_eq!(ours_async(s, &asynchronous), EVENTS);
    assert_eq!(peer(s, &openai), EVENTS);
    group.throughput(Throughput::Elements(EVENTS));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("ours-sync (ureq)", |b| b.iter(|| ours_sync(s, &sync)));
    group.bench_function("ours-async (reqwest)", |b| {
        b.iter(|| ours_async(s, &asynchronous))
    });
    group.bench_function("async-openai-0.40", |b| b.iter(|| peer(s, &openai)));
    group.bench_function("tokio-floor (bare socket reads)", |b| {
        b.iter(|| tokio_floor(s))
    });
}

fn wall(c: &mut Criterion) {
    for (name, live) in [
        ("transports-wall/live", true),
        ("transports-wall/bulk", false),
    ] {
        let s = setup(live);
        let mut group = c.benchmark_group(name);
        transports(&mut group, &s);
        group.finish();
    }
}

fn cpu(c: &mut Criterion<ThreadCpu>) {
    for (name, live) in [
        ("transports-cpu/live", true),
        ("transports-cpu/bulk", false),
    ] {
        let s = setup(live);
        let mut group = c.benchmark_group(name);
        transports(&mut group, &s);
        group.finish();
    }
}

criterion_group!(wall_clock, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = cpu
}
criterion_main!(wall_clock, cpu_time);
