//! A raw WebSocket server for the Responses API's WebSocket mode: per connection, it takes the
//! client's first text frame (the create) and answers with canned frames, then ends as told
//! — recorded events replayed as frames, a close or a drop mid-response, an `error` frame, or
//! a refused upgrade. It records the text frames it received.
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
    received: Arc<Mutex<Vec<String>>>,
}

impl RawWebSocketServer {
    /// Binds `127.0.0.1:0` and answers connections with `replies`, in order, on a thread.
    pub fn start(replies: Vec<Reply>) -> RawWebSocketServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base_url = format!("http://{}/v1", listener.local_addr().expect("address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let seen = received.clone();
        std::thread::spawn(move || {
            for reply in replies {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let seen = seen.clone();
                std::thread::spawn(move || answer(stream, reply, &seen));
            }
        });
        RawWebSocketServer { base_url, received }
    }

    /// The base URL to give a client (`http://127.0.0.1:PORT/v1`; the client derives
    /// `ws://…/v1/responses`).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The text frames received so far, in order.
    pub fn received(&self) -> Vec<String> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

fn answer(mut stream: TcpStream, reply: Reply, seen: &Mutex<Vec<String>>) {
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
    let Ok(mut socket) = tungstenite::accept(stream) else {
        return;
    };
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => {
                if let Ok(mut seen) = seen.lock() {
                    seen.push(text.to_string());
                }
                break;
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
            while socket.read().is_ok() {}
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
