//! `streaming-assistants run --api responses --websocket` and `demo --api responses
//! --websocket` through the built binary: against the test server (a reply, a tool loop of
//! `--tool-command` on one connection, `-v`'s turns line), against a raw WebSocket server
//! replaying a recording (`--snapshot` prints what `replay --snapshot` prints for the SSE body),
//! and the exit codes of a close, a drop, an `error` frame and a refused upgrade, the key in no
//! output. Also `--snapshot` on the other APIs.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::{bin, root_path, stderr, stdout};
use streaming_assistants_core::responses::Decoder;
use streaming_assistants_core::wire::protocol::Decode;
use streaming_assistants_testserver::raw_websocket::{Ending, RawWebSocketServer, Reply};
use streaming_assistants_testserver::{
    BlockingTestServer, Cut, Delivery, RunEnd, RunScript, Script,
};

const KEY: &str = "sk-websocket-cli-secret";

fn run(base_url: &str, extra: &[&str]) -> std::process::Output {
    bin()
        .args(["run", "--api", "responses", "--websocket", "--model", "m"])
        .args(["--base-url", base_url, "--api-key", KEY])
        .args(extra)
        .arg("Hello?")
        .env_remove("OPENAI_API_KEY")
        .output()
        .unwrap()
}

fn no_key(out: &std::process::Output) {
    assert!(!stdout(out).contains(KEY) && !stderr(out).contains(KEY));
}

/// A tools file unique to this call (tests run in parallel).
fn tools_file() -> std::path::PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let path = std::env::temp_dir().join(format!("sa-ws-tools-{}-{n}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"[{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}]"#,
    )
    .unwrap();
    path
}

#[test]
fn a_reply_streams_over_the_websocket_on_both_transports() {
    let server = BlockingTestServer::start(Script::new()).unwrap();
    for transport in ["sync", "async"] {
        let out = run(&server.base_url(), &["--transport", transport, "-v"]);
        assert!(out.status.success(), "{transport}: {}", stderr(&out));
        assert_eq!(stdout(&out), "Hello! How can I help you today?\n");
        assert!(
            stderr(&out).contains("[websocket] 1 turn on 1 connection; first token after "),
            "{}",
            stderr(&out)
        );
        no_key(&out);
    }
    // A ws:// base URL is taken as it is.
    let ws_base = server.base_url().replace("http://", "ws://");
    let out = run(&ws_base, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.websocket_connections(), 3);
}

#[test]
fn a_tool_command_runs_the_whole_loop_on_one_connection() {
    let server = BlockingTestServer::start(Script::new()).unwrap();
    let tools = tools_file();
    for (n, transport) in ["sync", "async"].into_iter().enumerate() {
        let out = run(
            &server.base_url(),
            &[
                "--transport",
                transport,
                "-v",
                "--tools",
                tools.to_str().unwrap(),
                "--tool-command",
                r#"echo "args: $(cat)" >&2; printf 'sunny for %s' "$TOOL_NAME""#,
            ],
        );
        assert!(out.status.success(), "{transport}: {}", stderr(&out));
        assert_eq!(stdout(&out), "The forecast says sunny for get_weather.\n");
        let err = stderr(&out);
        assert!(err.contains(r#"args: {"location": "Paris"}"#), "{err}");
        assert!(err.contains("[websocket] 2 turns on 1 connection"), "{err}");
        assert_eq!(
            server.websocket_connections(),
            n + 1,
            "one connection per run"
        );
    }
    std::fs::remove_file(tools).ok();
}

#[test]
fn demo_runs_the_tool_loop_over_one_websocket() {
    let out = bin()
        .args(["demo", "--api", "responses", "--websocket"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "The forecast says sunny, 21°C.\n");
    assert!(
        stderr(&out).contains("[websocket] 2 turns on 1 connection"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_close_a_drop_and_an_error_frame_exit_1_with_the_text_so_far() {
    let close = Delivery {
        end_after: Some(6),
        ..Delivery::default()
    };
    let drop = Delivery {
        cut: Some(Cut::AfterEvents(6)),
        ..Delivery::default()
    };
    let script = Script::new()
        .run(RunScript::text(["one ", "two ", "three"]).delivered(close.clone()))
        .run(RunScript::text(["one ", "two ", "three"]).delivered(drop.clone()))
        .run(RunScript::text(["so far"]).ending(RunEnd::ErrorEvent {
            message: "overloaded".into(),
        }))
        .run(RunScript::text(["one ", "two ", "three"]).delivered(close))
        .run(RunScript::text(["one ", "two ", "three"]).delivered(drop))
        .run(RunScript::text(["so far"]).ending(RunEnd::ErrorEvent {
            message: "overloaded".into(),
        }));
    let server = BlockingTestServer::start(script).unwrap();
    for transport in ["sync", "async"] {
        for (text, said) in [
            ("one two \n", "the server closed the WebSocket (code 1000"),
            ("one two \n", "the WebSocket connection dropped"),
            ("so far\n", "overloaded (code server_error)"),
        ] {
            let out = run(&server.base_url(), &["--transport", transport]);
            assert_eq!(out.status.code(), Some(1), "{transport}: {}", stderr(&out));
            assert_eq!(stdout(&out), text, "{transport}");
            assert!(stderr(&out).contains(said), "{transport}: {}", stderr(&out));
            no_key(&out);
        }
    }
}

#[test]
fn a_refused_upgrade_exits_1_with_the_status_and_message() {
    let body = r#"{"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key", "param": null}}"#;
    let server = RawWebSocketServer::start(vec![
        Reply::Refuse(401, body.into()),
        Reply::Refuse(401, body.into()),
    ]);
    for transport in ["sync", "async"] {
        let out = run(&server.base_url(), &["--transport", transport]);
        assert_eq!(out.status.code(), Some(1), "{transport}: {}", stderr(&out));
        assert!(stderr(&out).contains("401"), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("Incorrect API key provided."),
            "{}",
            stderr(&out)
        );
        assert_eq!(stdout(&out), "");
        no_key(&out);
    }
}

#[test]
fn a_replayed_recording_gives_what_replay_snapshot_gives_for_its_sse_body() {
    let path = root_path(
        "crates/core/tests/recordings/responses/resp_dotnet_FunctionCallStreamingWorks__33db028a__e0.sse",
    );
    let body = std::fs::read(&path).unwrap();
    let mut decoder = Decoder::new();
    decoder.push(&body);
    let mut frames = Vec::new();
    while let Some(event) = decoder.next_event() {
        frames.push(serde_json::to_string(&event.unwrap()).unwrap());
    }
    let server = RawWebSocketServer::start(vec![
        Reply::Frames(frames.clone(), Ending::Open),
        Reply::Frames(frames, Ending::Open),
    ]);
    let sse = bin()
        .args(["replay", "--snapshot"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(sse.status.success(), "{}", stderr(&sse));
    for transport in ["sync", "async"] {
        let out = run(
            &server.base_url(),
            &["--transport", transport, "--snapshot"],
        );
        // The response ends with a function call and no --tool-command: exit 3.
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        assert_eq!(stdout(&out), stdout(&sse), "{transport}");
    }
}

#[test]
fn snapshot_prints_the_final_object_for_every_api() {
    let server = BlockingTestServer::start(Script::new()).unwrap();
    let base = server.base_url();
    let json = |out: &std::process::Output| -> serde_json::Value {
        assert!(out.status.success(), "{}", stderr(out));
        serde_json::from_str(stdout(out).trim()).expect("one JSON line")
    };
    for transport in ["sync", "async"] {
        let common = [
            "--base-url",
            &base,
            "--api-key",
            KEY,
            "--transport",
            transport,
        ];
        let responses = bin()
            .args(["run", "--api", "responses", "--model", "m", "--snapshot"])
            .args(common)
            .arg("Hi")
            .output()
            .unwrap();
        let responses = json(&responses);
        assert_eq!(responses["status"], "completed");
        assert_eq!(
            responses["output"][0]["content"][0]["text"],
            "Hello! How can I help you today?"
        );
        let websocket = json(&run(&base, &["--transport", transport, "--snapshot"]));
        let text = |r: &serde_json::Value| r["output"][0]["content"][0]["text"].clone();
        assert_eq!(
            (text(&websocket), &websocket["status"]),
            (text(&responses), &responses["status"])
        );
        let chat = bin()
            .args(["run", "--api", "chat", "--model", "m", "--snapshot"])
            .args(common)
            .arg("Hi")
            .output()
            .unwrap();
        let chat = json(&chat);
        assert_eq!(chat["object"], "chat.completion");
        assert!(
            chat["choices"][0]["message"]["content"].is_string(),
            "{chat}"
        );
    }
    let assistant = server
        .create_assistant(serde_json::json!({"model": "m"}))
        .unwrap();
    let run = bin()
        .args(["run", "--assistant", &assistant.id, "--snapshot"])
        .args(["--base-url", &base, "--api-key", KEY, "Hi"])
        .output()
        .unwrap();
    let run = json(&run);
    assert_eq!(run["run"]["status"], "completed", "{run}");
    assert!(
        run["messages"].as_array().is_some_and(|m| !m.is_empty()),
        "{run}"
    );
}

#[test]
fn websocket_is_the_responses_apis_mode_only() {
    let out = bin()
        .args(["run", "--api", "chat", "--model", "m", "--websocket", "Hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
