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

/// `--tool-command` runs the chat tool loop from the command line, in every dialect the test
/// server speaks, on both transports.
#[test]
fn a_tool_command_answers_the_calls_in_every_dialect() {
    let dir = std::env::temp_dir().join(format!("sa-tools-c-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tools = dir.join("tools.json");
    std::fs::write(
        &tools,
        r#"[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]"#,
    )
    .unwrap();
    for dialect in [
        Dialect::OpenAi,
        Dialect::Azure,
        Dialect::Gemini,
        Dialect::Ollama,
        Dialect::Vllm,
        Dialect::LlamaCpp,
    ] {
        let server = BlockingTestServer::start_with(Script::new(), dialect).unwrap();
        for transport in ["sync", "async"] {
            let out = run(
                &server,
                &[
                    "--transport",
                    transport,
                    "--tools",
                    tools.to_str().unwrap(),
                    "--tool-command",
                    r#"echo "args: $(cat)" >&2; printf 'sunny for %s' "$TOOL_NAME""#,
                ],
            );
            assert!(
                out.status.success(),
                "{dialect:?} {transport}: {}",
                stderr(&out)
            );
            assert_eq!(
                stdout(&out),
                "The forecast says sunny for get_weather.\n",
                "{dialect:?} {transport}"
            );
            assert!(
                stderr(&out).contains("args: {\"location\": \"Paris\"}"),
                "{dialect:?} {transport}: {}",
                stderr(&out)
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A chunk the accumulator cannot place (a tool index of 2^32): the text is printed, the
/// error said, exit 1.
#[test]
fn a_rejected_chunk_exits_1_after_the_text() {
    use streaming_assistants_testserver::raw::{sse_head, Answer, RawServer};
    let body = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\",\"tool_calls\":[{\"index\":4294967296,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}\n\ndata: [DONE]\n\n";
    let server = RawServer::start(vec![Answer::Bytes(
        [sse_head(), body.as_bytes().to_vec()].concat(),
    )]);
    let out = bin()
        .args(["run", "--api", "chat", "--model", "m", "--base-url"])
        .arg(server.base_url())
        .args(["--api-key", "sk-very-secret", "Hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hi\n");
    assert!(stderr(&out).contains("4294967296"), "{}", stderr(&out));
}

/// `-v` reports usage and timings for Chat Completions too, as for the other APIs.
#[test]
fn verbose_reports_usage_and_timings_on_both_transports() {
    let server = BlockingTestServer::start(Script::new().repeat()).unwrap();
    for transport in ["sync", "async"] {
        let out = run(&server, &["-v", "--transport", transport]);
        assert!(out.status.success(), "{transport}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("[usage] prompt "), "{transport}: {err}");
        assert!(
            err.contains("[timing] first event after "),
            "{transport}: {err}"
        );
    }
}
