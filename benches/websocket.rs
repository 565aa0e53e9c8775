//! A tool loop of 20 turns against the test server on loopback, over HTTP+SSE (a POST per
//! turn, the sync and async clients' `run_with_tools`) and over one WebSocket (the
//! connection's `run_with_tools`, the connect included): time per turn, and the bytes the
//! client sent for the whole loop, counted on the wire by a TCP proxy between client and
//! server (headers, handshake and WebSocket framing included).
//!
//! Every turn but the last asks for `get_weather` and is answered with a
//! `function_call_output` and `previous_response_id`; both modes send the same request body
//! per turn (model, tools, the new items), so the difference is what HTTP adds per turn: a
//! request line and headers, a response head, a connection taken from the pool.
//!
//! Run: `cargo bench -p streaming-assistants-benches --bench websocket`

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use streaming_assistants_core::responses::{FunctionCall, ResponseRequest};
use streaming_assistants_testserver::{BlockingTestServer, RunScript, Script};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TURNS: usize = 20;
const KEY: &str = "sk-bench";

fn script() -> Script {
    let call = RunScript::text(Vec::<String>::new())
        .call("get_weather", ["{\"location\": ", "\"Paris\"}"]);
    let mut script = Script::new();
    for _ in 0..TURNS - 1 {
        script = script.run(call.clone());
    }
    script
        .run(RunScript::text(["The forecast says ", "sunny", "."]))
        .repeat()
}

fn request() -> ResponseRequest {
    let tools = json!([{"type": "function", "name": "get_weather", "description": "Current weather in a city",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}}}]);
    ResponseRequest::new("gpt-4o-mini")
        .input("What's the weather in Paris, over and over?")
        .tools(tools)
        .store(false)
}

fn tool(_: &FunctionCall) -> String {
    "sunny, 21°C".to_owned()
}

fn http_sync(base_url: &str) -> usize {
    let client = streaming_assistants_sync::Client::new(
        streaming_assistants_sync::Config::new(KEY).base_url(base_url),
    )
    .unwrap();
    http_sync_with(&client)
}

fn http_sync_with(client: &streaming_assistants_sync::Client) -> usize {
    let mut turns = 0;
    for event in client.responses().run_with_tools(&request(), tool) {
        if event.unwrap().kind == streaming_assistants_core::responses::EventType::Created {
            turns += 1;
        }
    }
    turns
}

fn websocket_sync(client: &streaming_assistants_sync::Client) -> usize {
    let mut connection = client.responses().connect().unwrap();
    let mut events = connection.run_with_tools(&request(), tool);
    for event in events.by_ref() {
        black_box(event.unwrap());
    }
    events.turns() as usize
}

async fn http_async(client: &streaming_assistants_async::Client) -> usize {
    let mut events = client
        .responses()
        .run_with_tools(&request(), async |call: &FunctionCall| tool(call));
    let mut turns = 0;
    while let Some(event) = events.next().await {
        if event.unwrap().kind == streaming_assistants_core::responses::EventType::Created {
            turns += 1;
        }
    }
    turns
}

async fn websocket_async(client: &streaming_assistants_async::Client) -> usize {
    let mut connection = client.responses().connect().await.unwrap();
    let mut events = connection.run_with_tools(&request(), async |call: &FunctionCall| tool(call));
    while let Some(event) = events.next().await {
        black_box(event.unwrap());
    }
    events.turns() as usize
}

/// A TCP proxy on loopback counting the bytes the client sends to `upstream`.
fn counting_proxy(
    runtime: &tokio::runtime::Runtime,
    upstream: std::net::SocketAddr,
) -> (String, Arc<AtomicUsize>) {
    let sent = Arc::new(AtomicUsize::new(0));
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let counter = sent.clone();
    runtime.spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let Ok(mut server) = TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let (mut client_read, mut client_write) = client.split();
                let (mut server_read, mut server_write) = server.split();
                let up = async {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        match client_read.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => {
                                counter.fetch_add(n, Ordering::SeqCst);
                                if server_write.write_all(&buf[..n]).await.is_err() {
                                    break;
                                }
                            }
                        }
                    }
                    let _ = server_write.shutdown().await;
                };
                let down = async {
                    let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                    let _ = client_write.shutdown().await;
                };
                tokio::join!(up, down);
            });
        }
    });
    (format!("http://{addr}/v1"), sent)
}

fn bench(c: &mut Criterion) {
    let server = BlockingTestServer::start(script()).expect("test server");
    let base_url = server.base_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sync_client = streaming_assistants_sync::Client::new(
        streaming_assistants_sync::Config::new(KEY).base_url(&base_url),
    )
    .unwrap();
    let async_client = streaming_assistants_async::Client::new(
        streaming_assistants_async::Config::new(KEY).base_url(&base_url),
    )
    .unwrap();
    let local = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    // Bytes on the wire, once per mode, through the counting proxy.
    let (proxied, sent) = counting_proxy(&runtime, server.addr());
    assert_eq!(http_sync(&proxied), TURNS);
    let http_bytes = sent.swap(0, Ordering::SeqCst);
    let proxied_client = streaming_assistants_sync::Client::new(
        streaming_assistants_sync::Config::new(KEY).base_url(&proxied),
    )
    .unwrap();
    assert_eq!(websocket_sync(&proxied_client), TURNS);
    let ws_bytes = sent.swap(0, Ordering::SeqCst);
    eprintln!(
        "bytes the client sent for {TURNS} turns: HTTP+SSE {http_bytes} ({} per turn), WebSocket {ws_bytes} ({} per turn, the upgrade included): {:.2}x",
        http_bytes / TURNS,
        ws_bytes / TURNS,
        http_bytes as f64 / ws_bytes as f64
    );

    let mut group = c.benchmark_group(format!("websocket/tool_loop_{TURNS}_turns"));
    group.sample_size(20);
    group.bench_function("http_sse_sync", |b| {
        b.iter(|| assert_eq!(http_sync_with(&sync_client), TURNS))
    });
    group.bench_function("websocket_sync", |b| {
        b.iter(|| assert_eq!(websocket_sync(&sync_client), TURNS))
    });
    group.bench_function("http_sse_async", |b| {
        b.iter(|| assert_eq!(local.block_on(http_async(&async_client)), TURNS))
    });
    group.bench_function("websocket_async", |b| {
        b.iter(|| assert_eq!(local.block_on(websocket_async(&async_client)), TURNS))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
