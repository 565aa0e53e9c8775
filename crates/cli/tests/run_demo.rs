//! `streaming-assistants run` and `demo` through the built binary, against the test server.

mod common;

use common::{bin, stderr, stdout};
use serde_json::json;
use streaming_assistants_sync::{Client, Config};
use streaming_assistants_testserver::{BlockingTestServer, Delivery, RunScript, Script};

fn serve(script: Script) -> BlockingTestServer {
    BlockingTestServer::start(script).unwrap()
}

fn assistant(server: &BlockingTestServer, tools: serde_json::Value) -> String {
    let client = Client::new(Config::new("k").base_url(server.base_url())).unwrap();
    client
        .assistants()
        .create(json!({"model": "m", "tools": tools}))
        .unwrap()
        .id
}

fn run(server: &BlockingTestServer, assistant: &str) -> std::process::Output {
    bin()
        .args([
            "run",
            "--base-url",
            &server.base_url(),
            "--api-key",
            "sk-very-secret",
            "--assistant",
            assistant,
            "Hello?",
        ])
        .env_remove("OPENAI_API_KEY")
        .output()
        .unwrap()
}

#[test]
fn run_prints_only_the_reply_on_stdout_and_exits_0() {
    let server = serve(Script::new().run(RunScript::text(["Hi", " there", "!"])));
    let out = run(&server, &assistant(&server, json!([])));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hi there!\n");
    // Not verbose: no usage; stderr is a pipe: no colors, no spinner.
    assert!(!stderr(&out).contains("[usage]"), "{}", stderr(&out));
    assert!(!stderr(&out).contains('\x1b'), "{:?}", stderr(&out));
    assert!(!stdout(&out).contains("sk-very-secret") && !stderr(&out).contains("sk-very-secret"));
}

#[test]
fn verbose_adds_usage_and_timings_on_stderr_only() {
    let server = serve(Script::new().run(RunScript::text(["Hi"])));
    let assistant = assistant(&server, json!([]));
    let out = bin()
        .args(["run", "--verbose", "--base-url", &server.base_url()])
        .args([
            "--api-key",
            "sk-very-secret",
            "--assistant",
            &assistant,
            "Hello?",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hi\n");
    let err = stderr(&out);
    assert!(err.contains("[usage] prompt 20 + completion"), "{err}");
    assert!(err.contains("[timing] first event after "), "{err}");
    assert!(err.contains(" events in "), "{err}");
    assert!(
        !err.contains("sk-very-secret") && !err.contains('\x1b'),
        "{err:?}"
    );
}

#[test]
fn a_run_that_requires_action_lists_the_calls_and_exits_3() {
    let server = serve(Script::new());
    let tools = json!([{"type": "function", "function": {"name": "get_weather"}}]);
    let out = run(&server, &assistant(&server, tools));
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("[requires action] call_"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("get_weather({\"location\": \"Paris\"})"));
}

#[test]
fn api_errors_unreachable_servers_and_cut_streams_exit_1() {
    let server = serve(
        Script::new().run(
            RunScript::text(
                ["partial ", "text"]
                    .into_iter()
                    .chain(std::iter::repeat_n(" more", 80)),
            )
            .delivered(Delivery {
                disconnect_after: Some(9000),
                ..Delivery::default()
            }),
        ),
    );
    let out = run(&server, "asst_missing");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("HTTP 404: No assistant found with id 'asst_missing'."),
        "{}",
        stderr(&out)
    );

    let cut = run(&server, &assistant(&server, json!([])));
    assert_eq!(cut.status.code(), Some(1), "{}", stderr(&cut));
    assert!(
        stdout(&cut).starts_with("partial text"),
        "text so far stays: {:?}",
        stdout(&cut)
    );

    let nowhere = bin()
        .args([
            "run",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--api-key",
            "sk-very-secret",
            "--assistant",
            "a",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(nowhere.status.code(), Some(1));
    assert!(
        stderr(&nowhere).contains("could not connect"),
        "{}",
        stderr(&nowhere)
    );
    assert!(!stderr(&nowhere).contains("sk-very-secret"));
}

#[test]
fn both_transports_print_byte_identical_output() {
    let script = (0..2).fold(Script::new(), |s, _| {
        s.run(RunScript::text(["Same", " bytes", "\n", "both ways"]))
    });
    let server = serve(script);
    let assistant = assistant(&server, json!([]));
    let outputs: Vec<_> = ["sync", "async"]
        .iter()
        .map(|transport| {
            bin()
                .args([
                    "run",
                    "--transport",
                    transport,
                    "--base-url",
                    &server.base_url(),
                    "--api-key",
                    "k",
                    "--assistant",
                    &assistant,
                    "hi",
                ])
                .output()
                .unwrap()
        })
        .collect();
    assert_eq!(outputs[0].status.code(), Some(0), "{}", stderr(&outputs[0]));
    assert_eq!(outputs[1].status.code(), Some(0), "{}", stderr(&outputs[1]));
    assert_eq!(stdout(&outputs[0]), "Same bytes\nboth ways\n");
    assert_eq!(outputs[0].stdout, outputs[1].stdout);
}

#[test]
fn demo_streams_the_reply_with_no_key_and_no_network() {
    let out = bin()
        .arg("demo")
        .env_remove("OPENAI_API_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "The forecast says sunny, 21°C today 【0†weather.txt】.\n"
    );
    assert!(stderr(&out).contains("get_weather"));
}
