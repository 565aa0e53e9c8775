//! A raw HTTP/1.1 server for fault tests: one canned answer per connection, in order, written
//! byte for byte — what no well-behaved server would send. It records each request's head.
//!
//! ```
//! use streaming_assistants_testserver::raw::{http, Answer, RawServer};
//!
//! let server = RawServer::start(vec![Answer::Bytes(http("503 Service Unavailable", &[], b"busy"))]);
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server does with one connection, after reading its request.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Writes these bytes, then closes.
    Bytes(Vec<u8>),
    /// Closes without writing a byte (the connection ends before any header).
    Close,
    /// Writes these bytes (a whole answer that keeps the connection alive, see
    /// [`http_keep_alive`]), then reads the next request on the same connection and closes
    /// without answering it: a pooled connection the server closed just as it was reused.
    KeepAliveThenClose(Vec<u8>),
    /// Writes `head`, then holds the connection open and silent for `ms`, then closes.
    Stall {
        /// Written first.
        head: Vec<u8>,
        /// How long to stay silent.
        ms: u64,
    },
    /// Writes `head`, then `len` bytes of `fill` in 64 KiB writes, then closes: a body larger
    /// than anything a client should hold.
    Flood {
        /// Written first.
        head: Vec<u8>,
        /// The byte repeated.
        fill: u8,
        /// How many.
        len: usize,
    },
}

/// A running raw server; it stops after its last answer.
#[derive(Debug)]
pub struct RawServer {
    base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    /// Binds `127.0.0.1:0` and answers connections with `answers`, in order, on a thread.
    pub fn start(answers: Vec<Answer>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base_url = format!("http://{}/v1", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for answer in answers {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                let head = read_request(&stream);
                seen.lock().unwrap_or_else(|e| e.into_inner()).push(head);
                if let Answer::KeepAliveThenClose(bytes) = &answer {
                    let mut stream = &stream;
                    if stream.write_all(bytes).is_ok() {
                        let again = read_request(stream);
                        seen.lock().unwrap_or_else(|e| e.into_inner()).push(again);
                    }
                    continue;
                }
                let _ = answer_with(stream, answer);
            }
        });
        RawServer { base_url, requests }
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Each request received so far: its head (request line and headers), a blank line, and
    /// its body.
    pub fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Reads a request's head and body (by `content-length`); returns both, a blank line between.
fn read_request(stream: &TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    head.push_str("\r\n");
    head.push_str(&String::from_utf8_lossy(&body));
    head
}

fn answer_with(mut stream: TcpStream, answer: Answer) -> std::io::Result<()> {
    match answer {
        Answer::Bytes(bytes) => stream.write_all(&bytes),
        Answer::Close | Answer::KeepAliveThenClose(_) => Ok(()),
        Answer::Stall { head, ms } => {
            stream.write_all(&head)?;
            std::thread::sleep(Duration::from_millis(ms));
            Ok(())
        }
        Answer::Flood { head, fill, len } => {
            stream.write_all(&head)?;
            let block = vec![fill; 64 * 1024];
            let mut left = len;
            while left > 0 {
                let n = left.min(block.len());
                stream.write_all(block.get(..n).unwrap_or_default())?;
                left -= n;
            }
            Ok(())
        }
    }
}

/// A complete answer with a `content-length`: status line (e.g. `"404 Not Found"`), headers,
/// body.
pub fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// As [`http`], but the connection is kept alive for the next request.
pub fn http_keep_alive(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// The head of an event stream whose body runs until the connection closes.
pub fn sse_head() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n".to_vec()
}

/// The head of an event stream in chunked encoding, then `body` as one chunk — with no final
/// chunk, so that closing the connection cuts the body mid-message.
pub fn chunked_sse_cut(body: &[u8]) -> Vec<u8> {
    let mut out =
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    out.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n");
    out
}
