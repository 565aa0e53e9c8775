//! Request descriptions and config: what goes on the wire, and what never shows.

use serde_json::json;
use streaming_assistants_core::wire::{Config, Method, Request};

fn env(vars: &[(&str, &str)]) -> Config {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
}

#[test]
fn config_from_the_environment() {
    let config = env(&[
        ("OPENAI_API_KEY", "sk-live-123"),
        ("OPENAI_BASE_URL", "https://astra.example/v1"),
        ("OPENAI_ORG_ID", "org_1"),
        ("OPENAI_PROJECT_ID", "proj_1"),
        ("ASTRA_DB_APPLICATION_TOKEN", "AstraCS:tok"),
    ]);
    let request = Request::retrieve_run("thread_1", "run_1");
    assert_eq!(
        request.url(&config),
        "https://astra.example/v1/threads/thread_1/runs/run_1"
    );
    let headers: Vec<_> = request.headers(&config).collect();
    assert_eq!(
        headers,
        [
            ("Authorization", "Bearer sk-live-123"),
            ("OpenAI-Organization", "org_1"),
            ("OpenAI-Project", "proj_1"),
            ("astra-api-token", "AstraCS:tok"),
            ("OpenAI-Beta", "assistants=v2"),
        ]
    );
    let shown = format!("{config:?}");
    assert!(
        !shown.contains("sk-live-123") && !shown.contains("AstraCS:tok"),
        "{shown}"
    );
    assert!(shown.contains("<redacted>"));
}

#[test]
fn streaming_calls_set_stream_in_the_body_and_accept_event_streams() {
    let config = Config::new("k");
    let run = Request::create_run("thread_1", json!({"assistant_id": "asst_1"}), true);
    assert_eq!(run.method, Method::Post);
    assert_eq!(
        run.body,
        Some(json!({"assistant_id": "asst_1", "stream": true}))
    );
    assert!(run
        .headers(&config)
        .any(|h| h == ("Accept", "text/event-stream")));
    assert!(!run.idempotent(), "a run creation is never repeated");
    let outputs = Request::submit_tool_outputs("t", "r", &[("call_1".into(), "42".into())], true);
    assert_eq!(outputs.path, "/threads/t/runs/r/submit_tool_outputs");
    assert_eq!(
        outputs.body,
        Some(json!({"tool_outputs": [{"tool_call_id": "call_1", "output": "42"}], "stream": true}))
    );
    let plain = Request::create_run("thread_1", json!({"assistant_id": "asst_1"}), false);
    assert_eq!(plain.body, Some(json!({"assistant_id": "asst_1"})));
}

#[test]
fn queries_are_encoded_and_config_queries_appended() {
    let config = Config::new("k")
        .base_url("https://x.example/v1/")
        .query("api-version", "2024-05-01 preview");
    let request = Request::list_messages("thread_1")
        .query("after", "msg/1&2")
        .query("limit", "5");
    assert_eq!(
        request.url(&config),
        "https://x.example/v1/threads/thread_1/messages?after=msg%2F1%262&limit=5&api-version=2024-05-01%20preview"
    );
    assert!(request.idempotent());
}

#[test]
fn the_legacy_stream_sends_no_beta_header() {
    let config = Config::new("k");
    let request = Request::legacy_message_stream("thread_1");
    assert_eq!(
        request.url(&config),
        "https://api.openai.com/v1/threads/thread_1/messages?limit=1&stream=true"
    );
    assert!(!request
        .headers(&config)
        .any(|(name, _)| name == "OpenAI-Beta"));
}

#[test]
fn no_key_no_authorization_header() {
    let config = Config::new("");
    assert_eq!(Request::retrieve_thread("t").headers(&config).count(), 1);
}

#[test]
fn the_common_bodies_are_built_here_not_in_the_transports() {
    assert_eq!(
        Request::create_user_message("t", "hi").body,
        Some(json!({"role": "user", "content": "hi"}))
    );
    assert_eq!(Request::create_empty_thread().body, Some(json!({})));
    assert_eq!(
        Request::run_assistant("t", "asst_1", true).body,
        Some(json!({"assistant_id": "asst_1", "stream": true}))
    );
    let both = Request::run_new_thread("asst_1", &["a", "b"], true);
    assert_eq!(both.path, "/threads/runs");
    assert_eq!(
        both.body,
        Some(
            json!({"assistant_id": "asst_1", "stream": true, "thread": {"messages": [
                {"role": "user", "content": "a"}, {"role": "user", "content": "b"}
            ]}})
        )
    );
}

#[test]
fn https_is_the_default_and_plain_http_only_when_asked_for() {
    let config = Config::new("sk-k");
    assert!(
        config.base_url.starts_with("https://"),
        "{}",
        config.base_url
    );
    let from_env = Config::from_lookup(|_| None);
    assert!(from_env.base_url.starts_with("https://"));
    let local = Config::new("sk-k").base_url("http://127.0.0.1:8080/v1");
    assert_eq!(
        Request::retrieve_run("t", "r").url(&local),
        "http://127.0.0.1:8080/v1/threads/t/runs/r"
    );
}

#[test]
fn the_response_request_builder_writes_every_field() {
    use streaming_assistants_core::responses::ResponseRequest;
    let tools = json!([{"type": "function", "name": "get_weather", "parameters": {}}]);
    let items = vec![
        json!({"role": "user", "content": "Weather in Paris?"}),
        json!({"type": "function_call_output", "call_id": "call_1", "output": "sunny"}),
    ];
    let built = ResponseRequest::new("gpt-4o-mini")
        .input("What's the weather?")
        .instructions("Be brief.")
        .tools(tools.clone())
        .previous_response_id("resp_1")
        .background(true)
        .store(false)
        .field("temperature", json!(0.2));
    assert_eq!(
        built.to_json(),
        json!({
            "model": "gpt-4o-mini",
            "input": "What's the weather?",
            "instructions": "Be brief.",
            "tools": tools,
            "previous_response_id": "resp_1",
            "background": true,
            "store": false,
            "temperature": 0.2,
        })
    );
    // Input as items replaces input as text; the rest is kept.
    let with_items = built.clone().input_items(items.clone());
    let mut expected = built.to_json();
    expected["input"] = json!(items);
    assert_eq!(with_items.to_json(), expected);
    assert_eq!(with_items.get("input"), Some(&json!(items)));
    // On the wire: the same body, plus `stream` when streamed.
    let request = Request::create_response(&with_items, true);
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.path, "/responses");
    expected["stream"] = json!(true);
    assert_eq!(request.body, Some(expected.clone()));
    let plain = Request::create_response(&with_items, false);
    expected.as_object_mut().unwrap().remove("stream");
    assert_eq!(plain.body, Some(expected));
}
