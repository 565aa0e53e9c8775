//! The network faults every transport must survive, as one table of data played by each
//! transport's runner (`crates/sync/tests/faults.rs`, `crates/async/tests/faults.rs`) against
//! [`RawServer`]s: each fault must give a typed error — never a panic, a hang or unbounded
//! memory — after every event that arrived before it.

use crate::raw::{chunked_sse_cut, http, http_keep_alive, sse_head, Answer, RawServer};
use crate::scenarios::Failure;

/// The API key the runners configure; no request to another host may carry it.
pub const KEY: &str = "sk-fault-secret";

/// What the client calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `retrieve_run("thread_1", "run_1")`: a read, retried when safe.
    Read,
    /// `create_run("thread_1", "asst_1")`: never sent twice.
    CreateRun,
    /// `create_run_stream("thread_1", "asst_1")`, read to its end.
    Stream,
    /// A read, then [`Call::Read`] again on the connection the first kept alive.
    ReadOnPooled,
    /// A read, then [`Call::CreateRun`] on the connection the first kept alive.
    CreateRunOnPooled,
}

/// What a runner saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// Events yielded.
    pub events: usize,
    /// Each failure, in order.
    pub failures: Vec<Failure>,
    /// The first failure's message.
    pub message: String,
    /// Every failure's `source()` chain below its message, each cause's message once.
    pub chains: Vec<Vec<String>>,
    /// How long the call took, to the end of its stream.
    pub elapsed: std::time::Duration,
    /// The most heap the runner's process held at once while playing this row, in bytes
    /// (measured by the runner's own allocator, from zero at the row's start).
    pub peak_bytes: u64,
}

impl Seen {
    /// Records a failure: its kind, its message and its causes.
    pub fn fail(&mut self, failure: Failure, err: &dyn std::error::Error) {
        if self.failures.is_empty() {
            self.message = err.to_string();
        }
        let mut chain = vec![err.to_string()];
        let mut cause = err.source();
        while let Some(err) = cause {
            chain.push(err.to_string());
            cause = err.source();
        }
        self.chains.push(chain);
        self.failures.push(failure);
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Fault {
    /// Its name, for failure messages.
    pub name: &'static str,
    /// The server's answers, one per connection; `None`: nothing listens (refused).
    pub answers: Option<Vec<Answer>>,
    /// The first answer redirects to a second server (which answers 200) on another port.
    pub redirect: bool,
    /// What the client calls.
    pub call: Call,
    /// The client's retries.
    pub retries: u32,
    /// The client's idle timeout, when not the default.
    pub idle_timeout_ms: Option<u64>,
    /// Events yielded before the failures.
    pub events: usize,
    /// The failures, in order.
    pub failures: Vec<Failure>,
    /// Requests the server must have received (`None`: not checked).
    pub requests: Option<usize>,
    /// Text the first failure's message must contain.
    pub message: &'static str,
    /// Bounds on how long the call may take, in milliseconds (retries wait).
    pub elapsed_ms: Option<(u64, u64)>,
    /// The most heap the row may hold at once, in MiB: nothing buffers a whole body.
    pub peak_mib: u64,
}

/// The servers a fault runs against.
#[derive(Debug)]
pub struct Servers {
    main: Option<RawServer>,
    other: Option<RawServer>,
    refused_url: String,
}

impl Servers {
    /// The base URL to give the client.
    pub fn base_url(&self) -> String {
        self.main
            .as_ref()
            .map_or_else(|| self.refused_url.clone(), RawServer::base_url)
    }
}

const RUN_CREATED: &str = "event: thread.run.created\ndata: {\"id\":\"run_1\",\"object\":\"thread.run\",\"status\":\"queued\"}\n\n";
const DELTA: &str = "event: thread.message.delta\ndata: {\"id\":\"msg_1\",\"object\":\"thread.message.delta\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"Hi\"}}]}}\n\n";
const RUN_COMPLETED: &str = "event: thread.run.completed\ndata: {\"id\":\"run_1\",\"object\":\"thread.run\",\"status\":\"completed\"}\n\n";
const DONE: &str = "event: done\ndata: [DONE]\n\n";
const RUN: &[u8] = br#"{"id":"run_1","object":"thread.run","status":"completed"}"#;

fn sse(body: &[&[u8]]) -> Answer {
    let mut out = sse_head();
    body.iter().for_each(|part| out.extend_from_slice(part));
    Answer::Bytes(out)
}

fn json_error(status: &str, message: &str) -> Answer {
    let body = format!(
        r#"{{"error":{{"message":"{message}","type":"invalid_request_error","param":null,"code":null}}}}"#
    );
    Answer::Bytes(http(
        status,
        &[("content-type", "application/json")],
        body.as_bytes(),
    ))
}

fn row(name: &'static str, answers: Vec<Answer>, call: Call) -> Fault {
    Fault {
        name,
        answers: Some(answers),
        redirect: false,
        call,
        retries: 0,
        idle_timeout_ms: None,
        events: 0,
        failures: Vec::new(),
        requests: Some(1),
        message: "",
        elapsed_ms: None,
        peak_mib: 8,
    }
}

/// A server that closes a kept-alive connection just as the client reuses it: the read is
/// sent again at once on a fresh connection (20 rows: it must hold every time); a create,
/// which may have reached the server, is not.
fn stale_pooled_connections() -> Vec<Fault> {
    let stale = || {
        vec![
            Answer::KeepAliveThenClose(http_keep_alive("200 OK", RUN)),
            Answer::Bytes(http("200 OK", &[], RUN)),
        ]
    };
    let mut rows: Vec<Fault> = (0..20)
        .map(|_| Fault {
            retries: 2,
            requests: Some(3),
            ..row(
                "a pooled connection the server closed: the read is sent again",
                stale(),
                Call::ReadOnPooled,
            )
        })
        .collect();
    rows.push(Fault {
        retries: 2,
        requests: Some(2),
        failures: vec![Failure::Transport],
        ..row(
            "a pooled connection the server closed: a create is not sent again",
            stale(),
            Call::CreateRunOnPooled,
        )
    });
    rows
}

/// Every fault.
pub fn all() -> Vec<Fault> {
    use Failure::*;
    let deep = format!(
        "event: thread.run.created\ndata: {}\n\n",
        "[".repeat(100_000)
    );
    let mut rows = vec![
        Fault {
            answers: None,
            retries: 1,
            failures: vec![Connect],
            requests: None,
            ..row(
                "connection refused (retried, then reported)",
                vec![],
                Call::Read,
            )
        },
        Fault {
            failures: vec![Transport],
            ..row("closed before any header", vec![Answer::Close], Call::Read)
        },
        Fault {
            events: 1,
            failures: vec![Truncated],
            ..row(
                "cut mid-event (a chunked body never finished)",
                vec![Answer::Bytes(chunked_sse_cut(
                    format!("{RUN_CREATED}event: thread.message.delta\ndata: {{\"id\"").as_bytes(),
                ))],
                Call::Stream,
            )
        },
        Fault {
            events: 2,
            ..row(
                "`done`, then the chunked body cut before its end: a clean end",
                vec![Answer::Bytes(chunked_sse_cut(
                    format!("{RUN_CREATED}{DONE}").as_bytes(),
                ))],
                Call::Stream,
            )
        },
        Fault {
            events: 2,
            failures: vec![Truncated],
            ..row(
                "body ends without `done`",
                vec![sse(&[RUN_CREATED.as_bytes(), DELTA.as_bytes()])],
                Call::Stream,
            )
        },
        Fault {
            events: 1,
            failures: vec![Truncated],
            ..row(
                "body ends inside an event",
                vec![sse(&[
                    RUN_CREATED.as_bytes(),
                    b"event: thread.message.delta\ndata: {\"id\"",
                ])],
                Call::Stream,
            )
        },
        Fault {
            idle_timeout_ms: Some(300),
            events: 1,
            failures: vec![Timeout],
            ..row(
                "a stall longer than the idle timeout",
                vec![Answer::Stall {
                    head: [sse_head(), RUN_CREATED.as_bytes().to_vec()].concat(),
                    ms: 1500,
                }],
                Call::Stream,
            )
        },
        Fault {
            failures: vec![Api(401)],
            message: "HTTP 401: Incorrect API key provided",
            retries: 2,
            ..row(
                "401 with the API's error object (not retried)",
                vec![json_error("401 Unauthorized", "Incorrect API key provided")],
                Call::Read,
            )
        },
        Fault {
            idle_timeout_ms: Some(300),
            failures: vec![Api(500)],
            // The error body is read with the idle timeout (300 ms), not waited for.
            elapsed_ms: Some((250, 1_400)),
            ..row(
                "500 whose body stalls: the error comes after the idle timeout",
                vec![Answer::Stall {
                    head:
                        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 100\r\n\r\n{\"err"
                            .to_vec(),
                    ms: 2_000,
                }],
                Call::Read,
            )
        },
        Fault {
            failures: vec![Api(404)],
            message: "HTTP 404",
            ..row(
                "404 without a body",
                vec![Answer::Bytes(http("404 Not Found", &[], b""))],
                Call::Stream,
            )
        },
        Fault {
            retries: 2,
            requests: Some(3),
            // 20 ms then 0 s as asked, not the default backoff's 0.5 s then 1 s (nor at once).
            elapsed_ms: Some((20, 450)),
            ..row(
                "429 then 503 on a read: retried, honouring retry-after",
                vec![
                    Answer::Bytes(http(
                        "429 Too Many Requests",
                        &[("retry-after-ms", "20")],
                        br#"{"error":{"message":"slow down","type":"rate_limit"}}"#,
                    )),
                    Answer::Bytes(http(
                        "503 Service Unavailable",
                        &[("retry-after", "0")],
                        b"busy",
                    )),
                    Answer::Bytes(http("200 OK", &[("content-type", "application/json")], RUN)),
                ],
                Call::Read,
            )
        },
        Fault {
            retries: 2,
            failures: vec![Api(429)],
            message: "slow down",
            ..row(
                "429 on a run creation: never sent twice",
                vec![
                    json_error("429 Too Many Requests", "slow down"),
                    Answer::Bytes(http("200 OK", &[("content-type", "application/json")], RUN)),
                ],
                Call::CreateRun,
            )
        },
        Fault {
            failures: vec![Api(500)],
            message: "HTTP 500: <html><body>Internal error</body></html>",
            ..row(
                "500 with an HTML page, kept raw",
                vec![Answer::Bytes(http(
                    "500 Internal Server Error",
                    &[("content-type", "text/html")],
                    b"<html><body>Internal error</body></html>",
                ))],
                Call::Read,
            )
        },
        Fault {
            failures: vec![NotAStream],
            message: "application/json",
            ..row(
                "a 200 that is JSON, not an event stream",
                vec![Answer::Bytes(http(
                    "200 OK",
                    &[("content-type", "application/json")],
                    RUN,
                ))],
                Call::Stream,
            )
        },
        Fault {
            failures: vec![NotAStream],
            message: "gzip",
            ..row(
                "a gzip-encoded event stream nobody asked for",
                vec![Answer::Bytes(http(
                    "200 OK",
                    &[
                        ("content-type", "text/event-stream"),
                        ("content-encoding", "gzip"),
                    ],
                    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff",
                ))],
                Call::Stream,
            )
        },
        Fault {
            failures: vec![Decode, Truncated],
            message: "line",
            // The line limit (16 MiB by default) plus the read buffers, not the 100 MB.
            peak_mib: 40,
            ..row(
                "a 100 MB line with no newline (memory bounded by the limit)",
                vec![Answer::Flood {
                    head: [sse_head(), b"data: ".to_vec()].concat(),
                    fill: b'a',
                    len: 100 << 20,
                }],
                Call::Stream,
            )
        },
        Fault {
            events: 3,
            failures: vec![Decode],
            ..row(
                "invalid UTF-8 in data: an error, and the stream goes on",
                vec![sse(&[
                    RUN_CREATED.as_bytes(),
                    b"event: thread.message.delta\ndata: \xff\xfe{}\n\n",
                    RUN_COMPLETED.as_bytes(),
                    DONE.as_bytes(),
                ])],
                Call::Stream,
            )
        },
        Fault {
            events: 1,
            failures: vec![Decode],
            message: "thread.run.created",
            ..row(
                "JSON nested 100,000 deep",
                vec![sse(&[deep.as_bytes(), DONE.as_bytes()])],
                Call::Stream,
            )
        },
        Fault {
            events: 3,
            failures: vec![Decode],
            message: "`thread.message.delta` event #1",
            ..row(
                "malformed JSON in a known event: an error, and the stream goes on",
                vec![sse(&[
                    RUN_CREATED.as_bytes(),
                    b"event: thread.message.delta\ndata: {broken\n\n",
                    RUN_COMPLETED.as_bytes(),
                    DONE.as_bytes(),
                ])],
                Call::Stream,
            )
        },
        Fault {
            events: 2,
            ..row(
                "a delta for a message never created is decoded and yielded (applying it is the \
                 accumulator's `UnknownMessage`, tested in the core)",
                vec![sse(&[DELTA.as_bytes(), DONE.as_bytes()])],
                Call::Stream,
            )
        },
        Fault {
            redirect: true,
            failures: vec![Api(307)],
            ..row(
                "a redirect to another host is not followed: no key goes there",
                vec![],
                Call::Read,
            )
        },
    ];
    rows.extend(stale_pooled_connections());
    rows
}

impl Fault {
    /// Starts the fault's servers.
    pub fn start(&self) -> Servers {
        let other = self.redirect.then(|| {
            RawServer::start(vec![Answer::Bytes(http(
                "200 OK",
                &[("content-type", "application/json")],
                RUN,
            ))])
        });
        let answers = match (&other, &self.answers) {
            (Some(other), _) => Some(vec![Answer::Bytes(http(
                "307 Temporary Redirect",
                &[(
                    "location",
                    &format!(
                        "{}/threads/thread_1/runs/run_1",
                        other.base_url().replace("127.0.0.1", "localhost")
                    ),
                )],
                b"",
            ))]),
            (None, answers) => answers.clone(),
        };
        let main = answers.map(RawServer::start);
        let refused_url = match &main {
            Some(_) => String::new(),
            None => {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
                format!("http://{}/v1", listener.local_addr().expect("address"))
                // `listener` is closed again here: nothing listens there now.
            }
        };
        Servers {
            main,
            other,
            refused_url,
        }
    }

    /// Panics, naming the fault, unless `seen` is what was expected, the servers received the
    /// expected requests, and no request to another host carried the key.
    pub fn check(&self, seen: &Seen, servers: &Servers) {
        let expected = (self.events, &self.failures);
        assert_eq!(
            (seen.events, &seen.failures),
            expected,
            "fault {:?}: {seen:?}",
            self.name
        );
        assert!(
            seen.message.contains(self.message),
            "fault {:?}: {:?} does not contain {:?}",
            self.name,
            seen.message,
            self.message
        );
        assert!(
            !seen.message.contains(KEY),
            "fault {:?}: key in {:?}",
            self.name,
            seen.message
        );
        for chain in &seen.chains {
            // A cause's message printed again by the error above it: `{:#}` would show it twice.
            for pair in chain.windows(2) {
                assert!(
                    !pair[0].contains(pair[1].as_str()),
                    "fault {:?}: the cause repeats its error's message: {chain:?}",
                    self.name
                );
            }
            assert!(
                chain.iter().all(|m| !m.contains(KEY)),
                "fault {:?}: key in {chain:?}",
                self.name
            );
        }
        if let Some((low, high)) = self.elapsed_ms {
            let ms = u64::try_from(seen.elapsed.as_millis()).unwrap_or(u64::MAX);
            assert!(
                (low..=high).contains(&ms),
                "fault {:?}: took {ms} ms, not within {low}..={high} ms",
                self.name
            );
        }
        assert!(
            seen.peak_bytes <= self.peak_mib << 20,
            "fault {:?}: peak heap {} bytes, more than {} MiB",
            self.name,
            seen.peak_bytes,
            self.peak_mib
        );
        if let (Some(n), Some(main)) = (self.requests, &servers.main) {
            assert_eq!(main.requests().len(), n, "fault {:?}: requests", self.name);
        }
        for head in servers.other.iter().flat_map(RawServer::requests) {
            let head = head.to_ascii_lowercase();
            assert!(
                !head.contains("authorization") && !head.contains(KEY),
                "fault {:?}: the key went to another host: {head}",
                self.name
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(name: &str) -> Fault {
        all()
            .into_iter()
            .find(|f| f.name.starts_with(name))
            .expect("row")
    }

    fn no_servers() -> Servers {
        Servers {
            main: None,
            other: None,
            refused_url: String::new(),
        }
    }

    fn seen_ok(fault: &Fault) -> Seen {
        Seen {
            events: fault.events,
            failures: fault.failures.clone(),
            message: fault.message.to_owned(),
            ..Seen::default()
        }
    }

    #[test]
    #[should_panic(expected = "not within")]
    fn a_retry_that_does_not_wait_as_asked_fails_the_row() {
        let fault = fault("429 then 503");
        let servers = no_servers();
        let seen = Seen {
            elapsed: std::time::Duration::from_secs(3), // the default backoff, not retry-after
            ..seen_ok(&fault)
        };
        fault.check(&seen, &servers);
    }

    #[test]
    #[should_panic(expected = "not within")]
    fn a_retry_that_ignores_retry_after_and_retries_at_once_fails_the_row() {
        let fault = fault("429 then 503");
        let servers = no_servers();
        let seen = Seen {
            elapsed: std::time::Duration::from_millis(2), // no wait at all
            ..seen_ok(&fault)
        };
        fault.check(&seen, &servers);
    }

    #[test]
    #[should_panic(expected = "repeats its error's message")]
    fn a_cause_that_repeats_its_error_fails_the_row() {
        let fault = fault("429 then 503");
        let servers = no_servers();
        let seen = Seen {
            elapsed: std::time::Duration::from_millis(40),
            chains: vec![vec!["HTTP 500: boom".into(), "HTTP 500: boom".into()]],
            ..seen_ok(&fault)
        };
        fault.check(&seen, &servers);
    }

    #[test]
    #[should_panic(expected = "peak heap")]
    fn a_row_that_holds_the_body_fails() {
        let fault = fault("a 100 MB line");
        let servers = no_servers();
        let seen = Seen {
            peak_bytes: 100 << 20,
            ..seen_ok(&fault)
        };
        fault.check(&seen, &servers);
    }
}
