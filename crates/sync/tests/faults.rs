//! Retries and error bodies, against a raw HTTP server written here (one canned answer per
//! connection, in order), counting what it received.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use streaming_assistants_sync::{Client, Config, Error};

/// Serves `answers` in order, one per connection; returns the base URL and the request count.
fn raw_server(answers: Vec<String>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            counter.fetch_add(1, Ordering::SeqCst);
            let mut stream = reader.into_inner();
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (url, seen)
}

fn answer(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

const RUN: &str = r#"{"id":"run_1","object":"thread.run","status":"completed"}"#;

#[test]
fn reads_are_retried_after_429_and_503_honouring_retry_after() {
    let (url, seen) = raw_server(vec![
        answer(
            "429 Too Many Requests",
            "retry-after-ms: 20\r\n",
            r#"{"error":{"message":"slow down","type":"rate_limit"}}"#,
        ),
        answer("503 Service Unavailable", "retry-after: 0\r\n", "busy"),
        answer("200 OK", "Content-Type: application/json\r\n", RUN),
    ]);
    let client = Client::new(Config::new("k").base_url(url));
    let run = client.retrieve_run("thread_1", "run_1").unwrap();
    assert_eq!(run.id, "run_1");
    assert_eq!(seen.load(Ordering::SeqCst), 3);
}

#[test]
fn a_run_creation_is_never_sent_twice() {
    let (url, seen) = raw_server(vec![
        answer(
            "503 Service Unavailable",
            "retry-after-ms: 1\r\n",
            r#"{"error":{"message":"overloaded","type":"server_error"}}"#,
        ),
        answer("200 OK", "Content-Type: application/json\r\n", RUN),
    ]);
    let client = Client::new(Config::new("k").base_url(url));
    let err = client.create_run("thread_1", "asst_1").unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status == 503),
        "{err:?}"
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[test]
fn html_and_astra_style_error_bodies_are_kept_raw() {
    let (url, _) = raw_server(vec![
        answer(
            "502 Bad Gateway",
            "Content-Type: text/html\r\n",
            "<html><body>Bad gateway</body></html>",
        ),
        answer(
            "422 Unprocessable Entity",
            "",
            r#"{"detail":"assistant not found"}"#,
        ),
    ]);
    let client = Client::new(Config::new("k").base_url(url)).retries(0);
    let err = client.retrieve_run("t", "r").unwrap_err();
    assert_eq!(
        err.to_string(),
        "HTTP 502: <html><body>Bad gateway</body></html>"
    );
    let err = client.retrieve_run("t", "r").unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    let (status, error, body) = (api.status, &api.error, api.body.clone().unwrap());
    assert_eq!((status, error.is_none()), (422, true));
    assert!(body.contains("assistant not found"));
}

#[test]
fn a_refused_connection_is_a_transport_error_after_the_retries() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }; // closed again: nothing listens there now
    let client =
        Client::new(Config::new("sk-secret-key").base_url(format!("http://127.0.0.1:{port}/v1")))
            .retries(1);
    let err = client.retrieve_run("t", "r").unwrap_err();
    assert!(matches!(err, Error::Transport(_) | Error::Io(_)), "{err:?}");
    assert!(!err.to_string().contains("sk-secret-key"));
}

#[test]
fn a_malformed_event_is_a_decode_error_and_the_stream_goes_on() {
    let body = "event: thread.run.created\ndata: {\"id\":\"run_1\",\"status\":\"queued\"}\n\nevent: thread.message.delta\ndata: {broken\n\nevent: thread.run.completed\ndata: {\"id\":\"run_1\",\"status\":\"completed\"}\n\nevent: done\ndata: [DONE]\n\n";
    let (url, _) = raw_server(vec![answer(
        "200 OK",
        "Content-Type: text/event-stream\r\n",
        body,
    )]);
    let client = Client::new(Config::new("k").base_url(url));
    let items: Vec<_> = client
        .create_run_stream("thread_1", "asst_1")
        .unwrap()
        .collect();
    assert_eq!(items.len(), 4);
    let Err(Error::Decode(err)) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert!(
        err.to_string().contains("`thread.message.delta` event #1"),
        "{err}"
    );
    assert!(items[2].is_ok() && items[3].is_ok());
}
