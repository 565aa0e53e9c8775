//! The no-I/O core under any transport: here a plain `std::net::TcpStream` and an HTTP/1.1
//! request written by hand. The core describes the request (`wire::Request`), and turns
//! whatever bytes arrive into typed events and snapshots (`event::Decoder`, `Accumulator`).
//!
//! `cargo run -p streaming-assistants-sync --example embed_core`

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use serde_json::json;
use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::Decoder;
use streaming_assistants_core::wire::protocol::Decode;
use streaming_assistants_core::wire::{Config, Request};
use streaming_assistants_testserver::{BlockingTestServer, RunScript, Script};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = BlockingTestServer::start(
        Script::new().run(RunScript::text(["Bytes", " in,", " events", " out."])),
    )?;
    let config = Config::new("any-key").base_url(server.base_url());
    // Set-up calls through the sync client; the streamed run goes over the raw socket below.
    let client = streaming_assistants_sync::Client::new(config.clone())?;
    let assistant = client.assistants().create(json!({"model": "gpt-4o"}))?;
    let thread = client.threads().create()?;
    client.threads().messages().create(&thread.id, "Hi")?;

    // 1. The core says what to send.
    let request = Request::run_assistant(&thread.id, &assistant.id, true);
    let url = request.url(&config);
    let (host, path) = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once('/'))
        .ok_or("this example speaks plain http only")?;
    let body = request
        .body
        .as_ref()
        .map(|b| b.to_string())
        .unwrap_or_default();
    let mut head = format!(
        "{} /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n",
        request.method.as_str()
    );
    for (name, value) in request.headers(&config) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));

    // 2. Any transport sends it.
    let mut socket = TcpStream::connect(host)?;
    socket.write_all(head.as_bytes())?;
    socket.write_all(body.as_bytes())?;
    let mut reader = BufReader::new(socket);
    let mut chunked = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        chunked |= line
            .to_ascii_lowercase()
            .starts_with("transfer-encoding: chunked");
    }

    // 3. The core decodes whatever arrives, however it is split.
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new();
    let mut feed = |bytes: &[u8]| -> Result<(), Box<dyn std::error::Error>> {
        decoder.push(bytes);
        while let Some(event) = decoder.next_event() {
            let event = event?;
            print!("{}", event.text_deltas().collect::<String>());
            let _ = acc.apply(&event);
        }
        Ok(())
    };
    if chunked {
        // HTTP/1.1 chunked transfer coding: a hex size line, the bytes, CRLF; size 0 ends it.
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)?;
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            feed(&chunk[..size])?;
        }
    } else {
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest)?;
        feed(&rest)?;
    }
    println!();
    println!("ending: {:?}", decoder.finish());
    println!(
        "run status: {}",
        acc.run().map(|r| r.status.to_string()).unwrap_or_default()
    );
    Ok(())
}
