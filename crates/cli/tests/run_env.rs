//! `run --api-key` replaces only the key: the other settings read from the environment still
//! reach the server.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread;

use common::{bin, stderr};

/// Accepts one connection on loopback, records its request head, reads its body, and answers
/// 404 so that the command stops after this one request.
fn one_request_server() -> (String, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    let handle = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let length = header(&head, "content-length").map_or(0, |v| v.parse().unwrap());
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let reply = r#"{"error":{"message":"No thread found with id 'thread_x'.","type":"invalid_request_error","param":null,"code":null}}"#;
        write!(
            reader.get_mut(),
            "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
            reply.len()
        )
        .unwrap();
        head
    });
    (base_url, handle)
}

/// A header's value in a request head; names compare case-insensitively, as HTTP's do.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn the_api_key_flag_keeps_the_organization_and_project_from_the_environment() {
    for transport in ["sync", "async"] {
        let (base_url, server) = one_request_server();
        let out = bin()
            .args(["run", "--transport", transport, "--base-url", &base_url])
            .args(["--api-key", "sk-from-flag", "--assistant", "asst_x"])
            .args(["--thread", "thread_x", "Hello?"])
            .env("OPENAI_API_KEY", "sk-from-env")
            .env("OPENAI_ORG_ID", "org_from_env")
            .env("OPENAI_PROJECT_ID", "proj_from_env")
            .env_remove("OPENAI_BASE_URL")
            .env_remove("ASTRA_DB_APPLICATION_TOKEN")
            .output()
            .unwrap();
        let head = server.join().unwrap();
        assert_eq!(out.status.code(), Some(1), "{transport}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("No thread found with id 'thread_x'."),
            "{transport}: {}",
            stderr(&out)
        );
        assert_eq!(
            header(&head, "Authorization"),
            Some("Bearer sk-from-flag"),
            "{transport}: the flag's key, not the environment's: {head}"
        );
        assert_eq!(
            header(&head, "OpenAI-Organization"),
            Some("org_from_env"),
            "{transport}: {head}"
        );
        assert_eq!(
            header(&head, "OpenAI-Project"),
            Some("proj_from_env"),
            "{transport}: {head}"
        );
    }
}
