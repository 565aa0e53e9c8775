//! A raw WebSocket server for the Responses API's WebSocket mode: per connection, it takes the
//! client's first text frame (the create) and answers with canned frames, then ends as told
//! — recorded events replayed as frames, a close or a drop mid-response, an `error` frame, or
//! a refused upgrade. It pings each client first. It records the upgrade requests (path, query
//! and headers), the text frames it received and the pongs.
//!
//! ```
//! use streaming_assistants_testserver::raw_websocket::{Ending, RawWebSocketServer, Reply};
//!
//! let server = RawWebSocketServer::start(vec![Reply::Frames(vec![], Ending::Close(1000))]);
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! ```

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::CloseFrame;
use tungstenite::Message;

/// How a connection ends after its frames.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    /// Stays open until the client closes it.
    Open,
    /// Sends a close frame with this code.
    Close(u16),
    /// Drops the TCP connection with no close frame.
    Drop,
}

/// What the server does with one connection.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Accepts the upgrade, reads one text frame, sends these text frames, then ends.
    Frames(Vec<String>, Ending),
    /// Answers the upgrade request with this HTTP status and JSON body instead.
    Refuse(u16, String),
}

/// A running raw WebSocket server; it stops after its last reply.
#[derive(Debug)]
pub struct RawWebSocketServer {
    base_url: String,
    seen: Arc<Seen>,
}

/// What the server saw.
#[derive(Debug, Default)]
struct Seen {
    upgrades: Mutex<Vec<String>>,
    frames: Mutex<Vec<String>>,
    pongs: std::sync::atomic::AtomicUsize,
}

impl RawWebSocketServer {
    /// Binds `127.0.0.1:0` and answers connections with `replies`, in order, on a thread.
    pub fn start(replies: Vec<Reply>) -> RawWebSocketServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base_url = format!("http://{}/v1", listener.local_addr().expect("address"));
        let seen = Arc::new(Seen::default());
        let kept = seen.clone();
        std::thread::spawn(move || {
            for reply in replies {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let seen = kept.clone();
                std::thread::spawn(move || answer(stream, reply, &seen));
            }
        });
        RawWebSocketServer { base_url, seen }
    }

    /// The base URL to give a client (`http://127.0.0.1:PORT/v1`; the client derives
    /// `ws://…/v1/responses`).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The text frames received so far, in order.
    pub fn received(&self) -> Vec<String> {
        self.seen
            .frames
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// Each accepted upgrade request: its path and query, then one `name: value` line per
    /// header (names lowercase).
    pub fn upgrades(&self) -> Vec<String> {
        self.seen
            .upgrades
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// Pongs received (the server pings each client before its frames).
    pub fn pongs(&self) -> usize {
        self.seen.pongs.load(std::sync::atomic::Ordering::SeqCst)
    }
}

fn answer(mut stream: TcpStream, reply: Reply, seen: &Seen) {
    let (frames, ending) = match reply {
        Reply::Refuse(status, body) => {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let answer = format!(
                "HTTP/1.1 {status} Refused\r\ncontent-type: application/json\r\nx-request-id: req_ws\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
            return;
        }
        Reply::Frames(frames, ending) => (frames, ending),
    };
    // tungstenite's callback signature: its error is an HTTP response, by value.
    #[allow(clippy::result_large_err)]
    let record = |request: &tungstenite::handshake::server::Request,
                  response: tungstenite::handshake::server::Response| {
        let mut lines = vec![request.uri().to_string()];
        for (name, value) in request.headers() {
            lines.push(format!("{name}: {}", value.to_str().unwrap_or("?")));
        }
        if let Ok(mut upgrades) = seen.upgrades.lock() {
            upgrades.push(lines.join("\n"));
        }
        Ok(response)
    };
    let Ok(mut socket) = tungstenite::accept_hdr(stream, record) else {
        return;
    };
    let _ = socket.send(Message::Ping(b"are you there".to_vec().into()));
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => {
                if let Ok(mut frames) = seen.frames.lock() {
                    frames.push(text.to_string());
                }
                break;
            }
            Ok(Message::Pong(_)) => {
                seen.pongs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            Ok(_) => continue,
            Err(_) => return,
        }
    }
    for frame in frames {
        if socket.send(Message::text(frame)).is_err() {
            return;
        }
    }
    match ending {
        Ending::Open => {
            // Read until the client closes (answering its pings and its close).
            while let Ok(message) = socket.read() {
                if message.is_pong() {
                    seen.pongs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }
        }
        Ending::Close(code) => {
            let frame = CloseFrame {
                code: CloseCode::from(code),
                reason: "replay over".into(),
            };
            let _ = socket.close(Some(frame));
            while socket.read().is_ok() {}
        }
        Ending::Drop => {
            let _ = socket.get_mut().shutdown(std::net::Shutdown::Both);
        }
    }
}
