//! The Astra dialect over HTTP: the wrapped v2 framing and the legacy `generating` flow.

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::{json, Value};
use streaming_assistants_core::assistants::event::{Decoder, Ending};
use streaming_assistants_core::assistants::legacy::{LegacyDecoder, LegacyEvent};
use streaming_assistants_core::assistants::types::RunStatus;
use streaming_assistants_core::sse::End;
use streaming_assistants_core::wire::protocol::Decode;
use streaming_assistants_testserver::{Dialect, RunEnd, RunScript, Script, TestServer};

/// A blocking request without `OpenAI-Beta`, as Astra's legacy clients send; body de-chunked.
fn request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Vec<u8>) {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "{method} /v1{path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nastra-api-token: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head[9..12].parse().unwrap();
    let mut rest = &raw[split..];
    if !head.contains("transfer-encoding: chunked") {
        return (status, rest.to_vec());
    }
    let mut out = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[end + 4 + size..];
    }
    (status, out)
}

fn json_of(reply: (u16, Vec<u8>)) -> Value {
    assert_eq!(reply.0, 200, "{}", String::from_utf8_lossy(&reply.1));
    serde_json::from_slice(&reply.1).unwrap()
}

async fn server(script: Script) -> TestServer {
    TestServer::start_with(script, Dialect::Astra, 0)
        .await
        .unwrap()
}

fn setup(addr: std::net::SocketAddr) -> (String, String) {
    let assistant = json_of(request(
        addr,
        "POST",
        "/assistants",
        Some(json!({"model": "gpt-4o"})),
    ));
    let thread = json_of(request(addr, "POST", "/threads", None));
    (
        assistant["id"].as_str().unwrap().into(),
        thread["id"].as_str().unwrap().into(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_streams_are_wrapped_and_end_without_done() {
    let server = server(Script::new().run(RunScript::text(["Astra", " says", " hi"]))).await;
    let addr = server.addr();
    let body = tokio::task::spawn_blocking(move || {
        let (assistant, thread) = setup(addr);
        request(
            addr,
            "POST",
            &format!("/threads/{thread}/runs"),
            Some(json!({"assistant_id": assistant, "stream": true})),
        )
        .1
    })
    .await
    .unwrap();
    let text = String::from_utf8(body.clone()).unwrap();
    assert!(!text.contains("event:"), "no event lines: {text}");
    assert!(text.starts_with("data: {\"event\": \"thread.run.created\", \"data\": {"));
    let mut decoder = Decoder::new();
    decoder.push(&body);
    let mut said = String::new();
    while let Some(event) = decoder.next_event() {
        said.extend(event.unwrap().text_deltas());
    }
    assert_eq!(said, "Astra says hi");
    assert_eq!(decoder.finish(), Ending::RunEnded(RunStatus::Completed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_flow_generating_then_message_stream() {
    let failing = RunScript::text(["partial ", "reply"]).ending(RunEnd::Failed {
        code: "server_error".into(),
        message: "boom".into(),
    });
    let script = Script::new()
        .run(RunScript::text(["One", " two", " three", "."]))
        .run(failing);
    let server = server(script).await;
    let addr = server.addr();
    tokio::task::spawn_blocking(move || {
        let (assistant, thread) = setup(addr);
        let run = json_of(request(
            addr,
            "POST",
            &format!("/threads/{thread}/runs"),
            Some(json!({"assistant_id": assistant})),
        ));
        assert_eq!(run["status"], "generating");
        let run_id = run["id"].as_str().unwrap();
        let polled = json_of(request(
            addr,
            "GET",
            &format!("/threads/{thread}/runs/{run_id}"),
            None,
        ));
        assert_eq!(polled["status"], "generating");
        let (status, body) = request(
            addr,
            "GET",
            &format!("/threads/{thread}/messages?limit=1&stream=true"),
            None,
        );
        assert_eq!(status, 200);
        let (text, end) = legacy_text(&body);
        assert_eq!(text, "One two three.");
        assert_eq!(end, End::Clean);
        let done = json_of(request(
            addr,
            "GET",
            &format!("/threads/{thread}/runs/{run_id}"),
            None,
        ));
        assert_eq!(done["status"], "completed");

        // A failing run: chunks, then `data: []` with no blank line; the run is failed after.
        let run = json_of(request(
            addr,
            "POST",
            &format!("/threads/{thread}/runs"),
            Some(json!({"assistant_id": assistant})),
        ));
        let (_, body) = request(
            addr,
            "GET",
            &format!("/threads/{thread}/messages?limit=1&stream=true"),
            None,
        );
        let (text, end) = legacy_text(&body);
        assert_eq!(text, "partial reply");
        assert!(matches!(end, End::Truncated { .. }));
        assert!(String::from_utf8_lossy(&body).ends_with("data: []"));
        let failed = json_of(request(
            addr,
            "GET",
            &format!("/threads/{thread}/runs/{}", run["id"].as_str().unwrap()),
            None,
        ));
        assert_eq!(failed["status"], "failed");
        // limit must be 1.
        assert_eq!(
            request(
                addr,
                "GET",
                &format!("/threads/{thread}/messages?limit=2&stream=true"),
                None
            )
            .0,
            400
        );
    })
    .await
    .unwrap();
}

fn legacy_text(body: &[u8]) -> (String, End) {
    let mut decoder = LegacyDecoder::new();
    decoder.push(body);
    let mut text = String::new();
    while let Some(event) = decoder.next_event() {
        if let LegacyEvent::Chunk(chunk) = event.unwrap() {
            text.push_str(&chunk.text());
        }
    }
    (text, decoder.finish())
}
