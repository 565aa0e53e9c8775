//! The WebSocket's opening handshake (RFC 6455 §4.1), written here rather than by the
//! WebSocket library: the request carries the API key, and the libraries log the request they
//! write at trace level. The transport opens TCP (and TLS for `wss`), writes
//! [`Upgrade::request`], pushes what it reads into a [`Handshake`] until it says the socket is
//! open (then hands the socket and the bytes read ahead to its WebSocket library) or refused.

use std::fmt;

use crate::wire::{ApiError, Config};

/// The upgrade request for a [`Config`]: where to connect and the bytes to send. Its `Debug`
/// shows the address, never the request (it holds the key).
#[derive(Clone)]
pub struct Upgrade {
    /// The host to connect to (an IPv6 address without its brackets).
    pub host: String,
    /// The port (80 for `ws`, 443 for `wss` unless the URL names one).
    pub port: u16,
    /// Whether to speak TLS (`wss`).
    pub tls: bool,
    request: Vec<u8>,
}

impl fmt::Debug for Upgrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upgrade")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("request", &"<redacted>")
            .finish()
    }
}

/// Why no upgrade request could be made, or why an answer was not a WebSocket's.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpgradeError {
    /// The base URL is not one (no host, a bad port).
    Url(String),
    /// A configured header's name or value cannot be sent (a line break in it): which header.
    Header(String),
    /// The answer's head is not HTTP/1.1.
    Malformed(String),
    /// The answer's head is longer than 64 KiB.
    TooLong,
    /// The server switched protocols without the right `Sec-WebSocket-Accept`.
    BadAccept,
}

impl fmt::Display for UpgradeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpgradeError::Url(url) => write!(f, "not a WebSocket URL: {url}"),
            UpgradeError::Header(name) => write!(f, "header {name} cannot be sent (a line break)"),
            UpgradeError::Malformed(why) => write!(f, "the upgrade's answer is not HTTP: {why}"),
            UpgradeError::TooLong => f.write_str("the upgrade's answer head is over 64 KiB"),
            UpgradeError::BadAccept => {
                f.write_str("the server switched protocols without a valid Sec-WebSocket-Accept")
            }
        }
    }
}

impl std::error::Error for UpgradeError {}

impl Upgrade {
    /// The upgrade request to [`upgrade_url`](super::upgrade_url) of `config`, with its
    /// headers (`Authorization`, organization, project, every extra one) and `key`, the
    /// request's `Sec-WebSocket-Key` (16 random bytes, base64).
    pub fn new(config: &Config, key: &str) -> Result<Upgrade, UpgradeError> {
        let url = super::upgrade_url(config);
        let bad = || UpgradeError::Url(url.clone());
        let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
        let tls = scheme == "wss";
        let (authority, path) = match rest.find(['/', '?']) {
            Some(at) => rest.split_at(at),
            None => (rest, "/"),
        };
        // Credentials in the URL are not sent as such.
        let authority = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let (host, port) = split_port(authority).ok_or_else(bad)?;
        if host.is_empty() {
            return Err(bad());
        }
        let port = port.unwrap_or(if tls { 443 } else { 80 });
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_owned()
        };
        let mut request = format!(
            "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n"
        )
        .into_bytes();
        for (name, value) in super::upgrade_headers(config) {
            let breaks = |text: &str| text.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0));
            if breaks(name) || breaks(value) || name.contains(':') {
                return Err(UpgradeError::Header(name.replace(['\r', '\n'], " ")));
            }
            request.extend_from_slice(name.as_bytes());
            request.extend_from_slice(b": ");
            request.extend_from_slice(value.as_bytes());
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(b"\r\n");
        Ok(Upgrade {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            tls,
            request,
        })
    }

    /// The request's bytes (they hold the key: never log them).
    pub fn request(&self) -> &[u8] {
        &self.request
    }
}

/// `host[:port]`, IPv6 in brackets.
fn split_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = match authority.rfind(':') {
        Some(at) if !authority[at..].contains(']') => {
            (&authority[..at], Some(&authority[at + 1..]))
        }
        _ => (authority, None),
    };
    match port {
        Some(port) => Some((host, Some(port.parse().ok()?))),
        None => Some((host, None)),
    }
}

/// The upgrade's answer so far.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    /// The head is not whole yet: read more.
    Partial,
    /// `101 Switching Protocols`: the WebSocket starts at byte `head` (what follows was read
    /// ahead and belongs to it); `accept` is the `Sec-WebSocket-Accept` to check against the
    /// key.
    Switched {
        /// The head's length.
        head: usize,
        /// The `Sec-WebSocket-Accept` header.
        accept: Option<String>,
    },
    /// Any other status: the API's error answer, its body after byte `head`.
    Refused {
        /// The status.
        status: u16,
        /// The `x-request-id` header.
        request_id: Option<String>,
        /// The `content-length` header.
        content_length: Option<usize>,
        /// The head's length.
        head: usize,
    },
}

/// Reads the answer's head from the bytes received so far.
fn answer(received: &[u8]) -> Result<Answer, UpgradeError> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let head = match response.parse(received) {
        Ok(httparse::Status::Complete(head)) => head,
        Ok(httparse::Status::Partial) if received.len() > 64 << 10 => {
            return Err(UpgradeError::TooLong)
        }
        Ok(httparse::Status::Partial) => return Ok(Answer::Partial),
        Err(err) => return Err(UpgradeError::Malformed(err.to_string())),
    };
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .and_then(|h| std::str::from_utf8(h.value).ok())
            .map(|v| v.trim().to_owned())
    };
    Ok(match response.code.unwrap_or(0) {
        101 => Answer::Switched {
            head,
            accept: header("sec-websocket-accept"),
        },
        status => Answer::Refused {
            status,
            request_id: header("x-request-id"),
            content_length: header("content-length").and_then(|v| v.parse().ok()),
            head,
        },
    })
}

/// The handshake's reading side: bytes in, until the socket is open or refused.
#[derive(Debug)]
pub struct Handshake {
    accept: String,
    received: Vec<u8>,
}

/// Where a [`Handshake`] stands.
#[derive(Debug)]
pub enum Progress {
    /// Read more, and [`push`](Handshake::push) it.
    Read,
    /// The WebSocket is open; `ahead` is what was read past the head and belongs to it.
    Open {
        /// Bytes of the WebSocket read with the head.
        ahead: Vec<u8>,
    },
    /// Another status: the API's error answer (its body read to its `content-length`, the
    /// end of the connection, or 1 MiB).
    Refused(ApiError),
    /// Not a WebSocket's answer.
    Failed(UpgradeError),
}

impl Handshake {
    /// Reads the answer to a request with the key whose `Sec-WebSocket-Accept` is `accept`
    /// (SHA-1 of the key and the RFC's GUID, base64: the transport's WebSocket library
    /// computes it).
    pub fn new(accept: impl Into<String>) -> Self {
        Handshake {
            accept: accept.into(),
            received: Vec::new(),
        }
    }

    /// The next bytes of the answer; none for its end.
    pub fn push(&mut self, bytes: &[u8]) -> Progress {
        let end = bytes.is_empty();
        self.received.extend_from_slice(bytes);
        match answer(&self.received) {
            Err(err) => Progress::Failed(err),
            Ok(Answer::Partial) if end => {
                Progress::Failed(UpgradeError::Malformed("the answer was cut".into()))
            }
            Ok(Answer::Partial) => Progress::Read,
            Ok(Answer::Switched { accept, .. }) if accept.as_deref() != Some(&self.accept) => {
                Progress::Failed(UpgradeError::BadAccept)
            }
            Ok(Answer::Switched { head, .. }) => Progress::Open {
                ahead: self.received.split_off(head.min(self.received.len())),
            },
            Ok(Answer::Refused {
                status,
                request_id,
                content_length,
                head,
            }) => {
                let want = content_length.unwrap_or(MAX_BODY).min(MAX_BODY);
                let body = self.received.get(head..).unwrap_or_default();
                if body.len() < want && !end {
                    return Progress::Read;
                }
                let body = body.get(..want.min(body.len())).unwrap_or_default();
                let body = String::from_utf8_lossy(body).into_owned();
                Progress::Refused(ApiError::from_response(status, request_id, body))
            }
        }
    }
}

/// The most of a refused upgrade's body kept.
const MAX_BODY: usize = 1 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_names_the_path_host_and_headers_and_never_shows_them() {
        let config = Config::new("sk-secret")
            .base_url("http://[::1]:8080/v1")
            .header("OpenAI-Project", "p")
            .query("a", "b c");
        let upgrade = Upgrade::new(&config, "dGhlIHNhbXBsZSBub25jZQ==").unwrap();
        assert_eq!(
            (upgrade.host.as_str(), upgrade.port, upgrade.tls),
            ("::1", 8080, false)
        );
        let text = String::from_utf8(upgrade.request().to_vec()).unwrap();
        assert!(text.starts_with("GET /v1/responses?a=b%20c HTTP/1.1\r\nHost: [::1]:8080\r\n"));
        assert!(text.contains("\r\nAuthorization: Bearer sk-secret\r\nOpenAI-Project: p\r\n\r\n"));
        assert!(!format!("{upgrade:?}").contains("sk-secret"));
        let tls = Upgrade::new(
            &Config::new("k").base_url("https://api.example.com/v1"),
            "k",
        )
        .unwrap();
        assert_eq!(
            (tls.host.as_str(), tls.port, tls.tls),
            ("api.example.com", 443, true)
        );
        let injected = Config::new("k")
            .base_url("http://h")
            .header("X", "a\r\nEvil: 1");
        assert_eq!(
            Upgrade::new(&injected, "k").unwrap_err(),
            UpgradeError::Header("X".into())
        );
        assert!(Upgrade::new(&Config::new("k").base_url("http://h:99999"), "k").is_err());
    }

    #[test]
    fn answers_are_read_whole_or_asked_for_more() {
        let switched = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: abc\r\n\r\n\x81\x00";
        assert_eq!(answer(&switched[..20]), Ok(Answer::Partial));
        assert_eq!(
            answer(switched),
            Ok(Answer::Switched {
                head: switched.len() - 2,
                accept: Some("abc".into())
            })
        );
        let refused =
            b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 2\r\nx-request-id: req_1\r\n\r\n{}";
        assert_eq!(
            answer(refused),
            Ok(Answer::Refused {
                status: 401,
                request_id: Some("req_1".into()),
                content_length: Some(2),
                head: refused.len() - 2
            })
        );
        assert!(matches!(
            answer(b"garbage\r\n\r\n"),
            Err(UpgradeError::Malformed(_))
        ));
    }
}

#[cfg(test)]
mod handshake_tests {
    use super::*;

    #[test]
    fn a_handshake_opens_or_is_refused_with_the_body() {
        let mut open = Handshake::new("abc");
        assert!(matches!(
            open.push(b"HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket"),
            Progress::Read
        ));
        let Progress::Open { ahead } = open.push(b"-Accept: abc\r\n\r\n\x81") else {
            panic!()
        };
        assert_eq!(ahead, b"\x81");
        let mut wrong = Handshake::new("abc");
        let answer = b"HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: xyz\r\n\r\n";
        assert!(matches!(
            wrong.push(answer),
            Progress::Failed(UpgradeError::BadAccept)
        ));
        let mut refused = Handshake::new("abc");
        let head = b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 42\r\n\r\n";
        assert!(matches!(refused.push(head), Progress::Read));
        let Progress::Refused(err) = refused.push(br#"{"error":{"message":"bad key","code":"x"}}"#)
        else {
            panic!()
        };
        assert_eq!((err.status, err.message()), (401, Some("bad key")));
        let mut cut = Handshake::new("abc");
        assert!(matches!(cut.push(b"HTTP/1.1 101"), Progress::Read));
        assert!(matches!(cut.push(b""), Progress::Failed(_)));
    }
}
