//! `streaming-assistants run --api chat`, `demo --api chat` and `serve --dialect <chat server>`
//! through the built binary.

mod common;

use common::{bin, stderr, stdout};
use streaming_assistants_testserver::{BlockingTestServer, Dialect, RunEnd, RunScript, Script};

fn run(server: &BlockingTestServer, extra: &[&str]) -> std::process::Output {
    bin()
        .args([
            "run",
            "--api",
            "chat",
            "--model",
            "m",
            "--base-url",
            &server.base_url(),
        ])
        .args(["--api-key", "sk-very-secret"])
        .args(extra)
        .arg("Hello?")
        .env_remove("OPENAI_API_KEY")
        .output()
        .unwrap()
}

#[test]
fn run_prints_the_reply_in_every_dialect_and_both_transports() {
    for dialect in [
        Dialect::OpenAi,
        Dialect::Azure,
        Dialect::Gemini,
        Dialect::Vllm,
    ] {
        let server = BlockingTestServer::start_with(Script::new(), dialect).unwrap();
        for transport in ["sync", "async"] {
            let out = run(&server, &["--transport", transport]);
            assert!(
                out.status.success(),
                "{dialect:?} {transport}: {}",
                stderr(&out)
            );
            assert_eq!(stdout(&out), "Hello! How can I help you today?\n");
        }
    }
}

#[test]
fn an_error_payload_exits_1_tool_calls_exit_3() {
    let script = Script::new()
        .run(RunScript::text(["so far"]).ending(RunEnd::ErrorEvent {
            message: "overloaded".into(),
        }))
        .run(RunScript::text(Vec::<String>::new()).call("get_weather", ["{}"]));
    let server = BlockingTestServer::start(script).unwrap();
    let out = run(&server, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "so far\n");
    assert!(stderr(&out).contains("overloaded"), "{}", stderr(&out));
    let out = run(&server, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("[tool call] get_weather({})"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn demo_answers_the_tool_through_chat_completions() {
    let out = bin().args(["demo", "--api", "chat"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "The forecast says sunny, 21°C.\n");
}
