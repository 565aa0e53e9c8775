//! `streaming-assistants serve` through the built binary.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

use common::bin;

/// `serve --port 0` started, and the base URL it prints first.
fn serve_any_port() -> (std::process::Child, String) {
    let mut child = bin()
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    (child, first.trim_end().to_owned())
}

#[test]
fn prints_its_base_url_first_and_answers_on_it() {
    let (mut child, url) = serve_any_port();
    let url = url.as_str();
    let addr = url
        .strip_prefix("http://")
        .and_then(|rest| rest.strip_suffix("/v1"))
        .unwrap_or_else(|| panic!("not a base URL: {url:?}"));
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET /v1/threads/thread_x HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer k\r\nOpenAI-Beta: assistants=v2\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(reply.starts_with("HTTP/1.1 404"), "{reply}");
    assert!(
        reply.contains("No thread found with id 'thread_x'."),
        "{reply}"
    );
}

#[test]
fn a_bad_script_is_a_clear_error_with_exit_2() {
    let dir = std::env::temp_dir().join(format!("sa-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("bad.json");
    std::fs::write(&script, b"{\"runs\": [{\"txt\": []}]}").unwrap();
    let out = bin()
        .arg("serve")
        .arg("--script")
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `txt`"));
}

#[test]
fn ctrl_c_stops_it_cleanly() {
    let mut child = bin()
        .args(["serve"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("http://127.0.0.1:"));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "Ctrl-C is a clean stop");
}

#[test]
fn its_second_line_names_an_assistant_that_run_streams_at_once() {
    let mut child = bin()
        .args(["serve"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Lines are read on a thread so that a missing second line fails the test instead of
    // blocking it: the server prints nothing more until it stops.
    let (lines, received) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = lines.send(line.unwrap());
        }
    });
    let next_line = || received.recv_timeout(std::time::Duration::from_secs(10));
    let url = next_line().unwrap();
    let second = next_line();
    let Ok(second) = second else {
        child.kill().unwrap();
        panic!("no second line after the base URL");
    };
    let assistant = second
        .strip_prefix("assistant: ")
        .unwrap_or_else(|| panic!("not an assistant line: {second:?}"));
    let out = bin()
        .args(["run", "--base-url", &url, "--api-key", "x"])
        .args(["--assistant", assistant, "hi"])
        .env_remove("OPENAI_ORG_ID")
        .env_remove("OPENAI_PROJECT_ID")
        .env_remove("ASTRA_DB_APPLICATION_TOKEN")
        .output()
        .unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(assistant.starts_with("asst_"), "{assistant}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.stdout.trim_ascii().is_empty(), "a reply on stdout");
}

/// `serve --dialect azure` speaks Azure's chat stream (its first chunk has an empty id and the
/// prompt filter results); an unknown dialect is refused with exit 2.
#[test]
fn a_chat_dialect_bends_the_stream_and_an_unknown_one_is_refused() {
    let mut child = bin()
        .args(["serve", "--dialect", "azure"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first
        .trim_end()
        .strip_prefix("http://")
        .and_then(|rest| rest.strip_suffix("/v1"))
        .unwrap_or_else(|| panic!("not a base URL: {first:?}"))
        .to_owned();
    let body = r#"{"model":"m","stream":true,"messages":[{"role":"user","content":"Hi"}]}"#;
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(stream, "POST /v1/chat/completions HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer k\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    // Azure's own path: the deployment names the model, `api-version` is required.
    let azure = |query: &str| {
        let body = r#"{"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#;
        let mut stream = TcpStream::connect(&addr).unwrap();
        write!(stream, "POST /openai/deployments/gpt-4o/chat/completions{query} HTTP/1.1\r\nHost: {addr}\r\napi-key: k\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    };
    let deployed = azure("?api-version=2024-10-21");
    let unversioned = azure("");
    child.kill().unwrap();
    let _ = child.wait();
    assert!(deployed.starts_with("HTTP/1.1 200"), "{deployed}");
    assert!(deployed.contains(r#""model":"gpt-4o""#), "{deployed}");
    assert!(unversioned.starts_with("HTTP/1.1 404"), "{unversioned}");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains(r#""prompt_filter_results""#), "{reply}");
    assert!(reply.contains(r#""content_filter_results""#), "{reply}");
    assert!(reply.contains("data: [DONE]"), "{reply}");

    let out = bin()
        .args(["serve", "--dialect", "bedrock"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bedrock"));
}

#[path = "../../core/tests/support/oracle.rs"]
mod oracle;

/// openai-python 3.57's `client.responses.connect()` (with `ResponsesWebSocketSession` lanes)
/// drives `serve` over the WebSocket: a create to its final response, a tool loop of four
/// turns on one connection by `previous_response_id`, two lanes at once, and
/// `previous_response_not_found` for a `store: false` response on a new connection. (The same
/// script against the library server also counts the connections:
/// `crates/testserver/tests/responses_sdks.rs`.)
#[test]
fn openai_python_drives_serve_over_the_websocket() {
    let Some(python) = oracle::python("openai_python_drives_serve_over_the_websocket") else {
        return;
    };
    let (mut child, base_url) = serve_any_port();
    let out = std::process::Command::new(python)
        .arg(common::root_path(
            "crates/testserver/tests/sdk/responses_websocket.py",
        ))
        .arg(&base_url)
        .output()
        .expect("run python");
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(seen["hello"], "Hello! How can I help you today?", "{seen}");
    assert_eq!(seen["tool_turns"], 4, "{seen}");
    assert_eq!(seen["tool_calls"], 2, "{seen}");
    assert_eq!(seen["lanes_distinct"], true, "{seen}");
    assert_eq!(seen["not_found"], "previous_response_not_found", "{seen}");
}
