//! `streaming-assistants run --api responses` and `demo --api responses` through the built
//! binary, against the test server.

mod common;

use common::{bin, stderr, stdout};
use streaming_assistants_testserver::{BlockingTestServer, RunEnd, RunScript, Script};

fn run(server: &BlockingTestServer, extra: &[&str]) -> std::process::Output {
    bin()
        .args([
            "run",
            "--api",
            "responses",
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
fn run_prints_the_reply_and_exits_0_on_both_transports() {
    let server = BlockingTestServer::start(Script::new()).unwrap();
    for transport in ["sync", "async"] {
        let out = run(&server, &["--transport", transport]);
        assert!(out.status.success(), "{transport}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            "Hello! How can I help you today?\n",
            "{transport}"
        );
        assert!(!stderr(&out).contains("sk-very-secret"));
    }
}

#[test]
fn failed_and_error_event_exit_1_function_calls_exit_3() {
    let script = Script::new()
        .run(RunScript::text(["par"]).ending(RunEnd::Failed {
            code: "server_error".into(),
            message: "boom".into(),
        }))
        .run(RunScript::text(["so far"]).ending(RunEnd::ErrorEvent {
            message: "overloaded".into(),
        }))
        .run(RunScript::text(Vec::<String>::new()).call("get_weather", ["{}"]));
    let server = BlockingTestServer::start(script).unwrap();
    let out = run(&server, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "par\n");
    assert!(stderr(&out).contains("boom"), "{}", stderr(&out));
    let out = run(&server, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "so far\n");
    assert!(stderr(&out).contains("overloaded"), "{}", stderr(&out));
    let out = run(&server, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("[function call] get_weather({})"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn demo_answers_the_tool_through_the_responses_api() {
    let out = bin().args(["demo", "--api", "responses"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "The forecast says sunny, 21°C.\n");
    assert!(stderr(&out).contains("get_weather"), "{}", stderr(&out));
}

#[test]
fn a_cut_stream_prints_what_arrived_then_exits_1_on_both_transports() {
    use streaming_assistants_testserver::{Cut, Delivery};
    // Frames: created, in_progress, item added, part added, then one delta per piece: the
    // connection drops halfway through the third delta.
    let cut = Delivery {
        cut: Some(Cut::InsideEvent(6)),
        ..Delivery::default()
    };
    let script = Script::new()
        .run(RunScript::text(["one ", "two ", "three"]).delivered(cut))
        .repeat();
    let server = BlockingTestServer::start(script).unwrap();
    for transport in ["sync", "async"] {
        let out = run(&server, &["--transport", transport]);
        assert_eq!(out.status.code(), Some(1), "{transport}: {}", stderr(&out));
        assert_eq!(stdout(&out), "one two \n", "{transport}");
        assert!(
            stderr(&out).contains("streaming-assistants run:"),
            "{transport}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("sk-very-secret"));
    }
}

/// `--tool-command` runs the tool loop from the command line: the program gets the call's
/// arguments on stdin and its name in `TOOL_NAME`; its stdout goes back to the model, whose
/// final answer is printed, exit 0. A failing program is said on stderr and answered as an
/// error, and the loop still ends.
#[test]
fn a_tool_command_answers_the_calls_on_both_transports() {
    let dir = std::env::temp_dir().join(format!("sa-tools-r-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tools = dir.join("tools.json");
    std::fs::write(
        &tools,
        r#"[{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}]"#,
    )
    .unwrap();
    let server = BlockingTestServer::start(Script::new()).unwrap();
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
        assert!(out.status.success(), "{transport}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            "The forecast says sunny for get_weather.\n",
            "{transport}"
        );
        assert!(
            stderr(&out).contains(r#"args: {"location": "Paris"}"#),
            "{transport}: {}",
            stderr(&out)
        );
        let out = run(
            &server,
            &[
                "--transport",
                transport,
                "--tools",
                tools.to_str().unwrap(),
                "--tool-command",
                "exit 7",
            ],
        );
        assert!(out.status.success(), "{transport}: {}", stderr(&out));
        assert!(stdout(&out).contains("the tool failed"), "{}", stdout(&out));
        assert!(
            stderr(&out).contains("the tool command failed"),
            "{}",
            stderr(&out)
        );
    }
    let out = bin()
        .args([
            "run",
            "--assistant",
            "asst_1",
            "--tool-command",
            "true",
            "Hi",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).ok();
}

/// The exit codes of `run` for Assistants hold for Responses: an API error (401, said on
/// stderr with the API's message) and an unreachable server both exit 1, on both transports.
#[test]
fn an_api_error_and_an_unreachable_server_exit_1() {
    let server = BlockingTestServer::start(Script::new()).unwrap();
    for transport in ["sync", "async"] {
        let out = bin()
            .args(["run", "--api", "responses", "--model", "m", "--base-url"])
            .arg(server.base_url())
            .args(["--api-key", "", "--transport", transport, "Hi"])
            .env_remove("OPENAI_API_KEY")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{transport}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("HTTP 401"),
            "{transport}: {}",
            stderr(&out)
        );
        assert_eq!(stdout(&out), "", "{transport}");

        let out = bin()
            .args(["run", "--api", "responses", "--model", "m"])
            .args([
                "--base-url",
                "http://127.0.0.1:9/v1",
                "--api-key",
                "sk-very-secret",
            ])
            .args(["--transport", transport, "Hi"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{transport}: {}", stderr(&out));
        assert!(!stderr(&out).contains("sk-very-secret"), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("streaming-assistants run:"),
            "{}",
            stderr(&out)
        );
    }
}

/// `-v` reports usage and timings for Responses too (it printed nothing before), the same
/// lines as for Assistants, on stderr only; a tool loop's usage is summed over its legs.
#[test]
fn verbose_reports_usage_and_timings_on_both_transports() {
    let server = BlockingTestServer::start(Script::new().repeat()).unwrap();
    for transport in ["sync", "async"] {
        let out = run(&server, &["-v", "--transport", transport]);
        assert!(out.status.success(), "{transport}: {}", stderr(&out));
        assert_eq!(stdout(&out), "Hello! How can I help you today?\n");
        let err = stderr(&out);
        assert!(err.contains("[usage] prompt "), "{transport}: {err}");
        assert!(err.contains(" tokens"), "{transport}: {err}");
        assert!(
            err.contains("[timing] first event after "),
            "{transport}: {err}"
        );
        assert!(!err.contains("sk-very-secret"), "{err}");
    }
    let quiet = run(&server, &[]);
    assert!(!stderr(&quiet).contains("[usage]"), "{}", stderr(&quiet));
}
