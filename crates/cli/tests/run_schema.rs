//! `run --schema FILE.json`: structured output from Chat Completions and Responses, on both
//! transports: the request asks for it, and the final parsed object is printed on stdout.

mod common;

use common::{bin, stderr, stdout};
use serde_json::{json, Value};
use streaming_assistants_testserver::{BlockingTestServer, RunScript, Script};

/// A schema file of its own for each call (the tests run in parallel).
fn schema_file() -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("run-schema-{}-{n}.json", std::process::id()));
    let schema = json!({"title": "Weather report", "type": "object", "properties": {"city": {"type": "string"}}});
    std::fs::write(&path, schema.to_string()).unwrap();
    path
}

fn run(server: &BlockingTestServer, api: &str, extra: &[&str]) -> std::process::Output {
    bin()
        .args([
            "run",
            "--api",
            api,
            "--model",
            "m",
            "--base-url",
            &server.base_url(),
        ])
        .args(["--api-key", "sk-test"])
        .arg("--schema")
        .arg(schema_file())
        .args(extra)
        .arg("Weather?")
        .env_remove("OPENAI_API_KEY")
        .output()
        .unwrap()
}

#[test]
fn the_final_object_is_printed_for_both_apis_and_transports() {
    for api in ["chat", "responses"] {
        for transport in ["sync", "async"] {
            let script =
                Script::new().run(RunScript::text(["{\"city\": \"Pa", "ris\", \"t\": 12}"]));
            let server = BlockingTestServer::start(script).unwrap();
            let out = run(&server, api, &["--transport", transport]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{api} {transport}: {}",
                stderr(&out)
            );
            let printed: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
            assert_eq!(
                printed,
                json!({"city": "Paris", "t": 12}),
                "{api} {transport}"
            );
            assert_eq!(stdout(&out).lines().count(), 1);
        }
    }
}

#[test]
fn an_answer_that_is_not_json_exits_1() {
    let server =
        BlockingTestServer::start(Script::new().run(RunScript::text(["not JSON"]))).unwrap();
    let out = run(&server, "chat", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("structured output that is not JSON"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn assistants_has_no_schema() {
    let out = bin()
        .args(["run", "--assistant", "asst_1", "--schema"])
        .arg(schema_file())
        .arg("Hi")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
