//! Chat Completions through the async client over loopback, against a raw server answering real
//! recorded bodies (`crates/core/tests/recordings/chat/`).

use std::path::PathBuf;

use streaming_assistants_async::{ChatRequest, Client, Config};
use streaming_assistants_testserver::raw::{sse_head, Answer, RawServer};

fn recording(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/recordings/chat");
    std::fs::read(dir.join(name)).expect("recording")
}

const TEXT: &str = "chat_py_test_parse_nothing__9feadd82.sse";
const TOOL: &str = "chat_py_test_parse_pydantic_tool__9feadd82.sse";

fn stream(body: &[u8]) -> Answer {
    Answer::Bytes([sse_head(), body.to_vec()].concat())
}

#[tokio::test]
async fn create_stream_text_and_into_completion_on_azure_style_config() {
    let body = recording(TEXT);
    let server = RawServer::start(vec![stream(&body), stream(&body)]);
    // Azure: the key in `api-key`, `api-version` on every call.
    let config = Config::new("")
        .base_url(server.base_url())
        .header("api-key", "azure-secret")
        .query("api-version", "2024-10-21");
    let client = Client::new(config).unwrap();
    let request = ChatRequest::new("gpt-4o").user("Weather in SF?");
    let mut text = client.chat().create_stream(&request).await.unwrap().text();
    let mut pieces = Vec::new();
    while let Some(piece) = text.next().await {
        pieces.push(piece.unwrap());
    }
    assert!(pieces.len() > 5, "{pieces:?}");
    let completion = client
        .chat()
        .create_stream(&request)
        .await
        .unwrap()
        .into_completion()
        .await
        .unwrap()
        .into_value();
    assert_eq!(
        completion["choices"][0]["message"]["content"],
        pieces.concat()
    );
    assert_eq!(completion["object"], "chat.completion");
    let sent = &server.requests()[0];
    assert!(
        sent.starts_with("POST /v1/chat/completions?api-version=2024-10-21 HTTP/1.1"),
        "{sent}"
    );
    let lower = sent.to_ascii_lowercase();
    assert!(
        lower.contains("api-key: azure-secret") && !lower.contains("openai-beta"),
        "{sent}"
    );
    assert!(
        sent.contains(r#""stream_options":{"include_usage":true}"#),
        "{sent}"
    );
}

#[tokio::test]
async fn the_tool_loop_appends_the_assistant_and_tool_messages() {
    let server = RawServer::start(vec![stream(&recording(TOOL)), stream(&recording(TEXT))]);
    let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
    let request = ChatRequest::new("gpt-4o")
        .user("Weather in Edinburgh?")
        .tools(serde_json::json!([{"type": "function", "function": {"name": "GetWeatherArgs"}}]));
    let mut asked = Vec::new();
    let mut text = String::new();
    let mut tools = client.chat().run_with_tools(&request, async |call| {
        asked.push(call.name.clone());
        "12°C".to_owned()
    });
    while let Some(event) = tools.next().await {
        text.extend(event.unwrap().content());
    }
    drop(tools);
    assert_eq!(asked, ["GetWeatherArgs"]);
    assert!(text.starts_with("I'm unable"), "{text}");
    let second = &server.requests()[1];
    assert!(
        second.contains(r#""role":"tool""#) && second.contains(r#""content":"12°C""#),
        "{second}"
    );
    assert!(
        second.contains(r#""tool_call_id":"call_c91SqDXlYFuETYv8mUHzz6pp""#),
        "{second}"
    );
    assert!(
        second.contains(r#""tool_calls":[{"#),
        "the assistant's message goes back: {second}"
    );
}

/// Every dialect of the test server, through the lenient rule (the sync test's twin).
#[tokio::test]
async fn a_tool_round_trip_in_every_dialect() {
    use streaming_assistants_testserver::{Dialect, Script, TestServer};
    for dialect in [
        Dialect::OpenAi,
        Dialect::Azure,
        Dialect::Gemini,
        Dialect::Ollama,
        Dialect::Vllm,
        Dialect::LlamaCpp,
    ] {
        let server = TestServer::start_with(Script::new(), dialect, 0)
            .await
            .unwrap();
        let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
        let request = ChatRequest::new("m")
            .user("Weather in Paris?")
            .tools(serde_json::json!([{"type": "function", "function": {"name": "get_weather"}}]));
        let first = client
            .chat()
            .create_stream(&request)
            .await
            .unwrap()
            .into_completion()
            .await
            .unwrap()
            .into_value();
        let call = &first["choices"][0]["message"]["tool_calls"][0];
        assert_eq!(
            call["function"]["arguments"], r#"{"location": "Paris"}"#,
            "{dialect:?}"
        );
        assert_eq!(first["usage"]["total_tokens"], 19, "{dialect:?}: {first}");
        let mut text = String::new();
        let mut tools = client
            .chat()
            .run_with_tools(&request, async |_| "sunny".to_owned());
        while let Some(event) = tools.next().await {
            text.extend(event.unwrap().content());
        }
        assert_eq!(text, "The forecast says sunny.", "{dialect:?}");
    }
}

/// The strict rule on request: Gemini's tool calls without `index` stop openai-node's
/// accumulator, and ours strictly with a typed error — the lenient default places them by id.
/// A tool index of 2^32 is a typed error in either rule, never an allocation.
#[tokio::test]
async fn into_completion_with_the_strict_rule_follows_the_sdk() {
    use streaming_assistants_async::ChatRule;
    use streaming_assistants_testserver::{Dialect, Script, TestServer};
    let server = TestServer::start_with(Script::new(), Dialect::Gemini, 0)
        .await
        .unwrap();
    let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
    let request = ChatRequest::new("m")
        .user("Weather in Paris?")
        .tools(serde_json::json!([{"type": "function", "function": {"name": "get_weather"}}]));
    let (client, request) = (&client, &request);
    let completion = |rule| async move {
        let stream = client.chat().create_stream(request).await.unwrap();
        stream.into_completion_with(rule).await
    };
    let lenient = completion(ChatRule::Lenient).await.unwrap();
    let strict = completion(ChatRule::Strict).await.unwrap_err();
    let call = &lenient.tool_calls()[0];
    let name = call.function.as_ref().and_then(|f| f.name.as_deref());
    assert_eq!(name, Some("get_weather"), "typed: {lenient:?}");
    assert_rejected(&strict, "(none)");
    // A tool index of 2^32, on a raw server: rejected in the lenient rule too.
    let huge = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":4294967296,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}\n\ndata: [DONE]\n\n";
    let raw = RawServer::start(vec![stream(huge.as_bytes())]);
    let client = Client::new(Config::new("sk-chat").base_url(raw.base_url())).unwrap();
    let err = client
        .chat()
        .create_stream(request)
        .await
        .unwrap()
        .into_completion()
        .await
        .unwrap_err();
    assert_rejected(&err, "4294967296");
}

fn assert_rejected(err: &streaming_assistants_async::Error, index: &str) {
    use streaming_assistants_async::{Error, StreamError};
    use streaming_assistants_core::chat::AccumulateError;
    let Error::Stream(StreamError::Rejected(rejected)) = err else {
        panic!("not rejected: {err:?}");
    };
    let inner = rejected.get_ref().downcast_ref::<AccumulateError>();
    assert!(
        matches!(inner, Some(AccumulateError::BadIndex { what: "tool call", index: i }) if i == index),
        "{inner:?}"
    );
}

/// A completion not streamed (`create`, `"stream": false`) is the test server's
/// `chat.completion`, with the same message as the streamed one's.
#[tokio::test]
async fn create_not_streamed_equals_the_streamed_completion() {
    use streaming_assistants_testserver::{Dialect, Script, TestServer};
    let server = TestServer::start_with(Script::new(), Dialect::OpenAi, 0)
        .await
        .unwrap();
    let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
    let request = ChatRequest::new("m").user("Hello?");
    let whole = client.chat().create(&request).await.unwrap().into_value();
    let streamed = client
        .chat()
        .create_stream(&request)
        .await
        .unwrap()
        .into_completion()
        .await
        .unwrap()
        .into_value();
    assert_eq!(whole["object"], "chat.completion");
    let message = &whole["choices"][0]["message"];
    assert_eq!(message["role"], "assistant");
    assert!(!message["content"].as_str().unwrap().is_empty(), "{whole}");
    assert_eq!(
        message["content"],
        streamed["choices"][0]["message"]["content"]
    );
    assert_eq!(
        whole["choices"][0]["finish_reason"],
        streamed["choices"][0]["finish_reason"]
    );
    assert!(whole["usage"]["total_tokens"].as_u64().unwrap() > 0);
}

/// The tool loop accumulates to the last completion (the final answer), not the legs merged.
#[tokio::test]
async fn the_tool_loop_snapshot_is_the_final_completion() {
    let server = RawServer::start(vec![stream(&recording(TOOL)), stream(&recording(TEXT))]);
    let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
    let request = ChatRequest::new("gpt-4o")
        .user("Weather in Edinburgh?")
        .tools(serde_json::json!([{"type": "function", "function": {"name": "GetWeatherArgs"}}]));
    let completion = client
        .chat()
        .run_with_tools(&request, async |_: &_| "12°C".to_owned())
        .into_snapshot()
        .await
        .unwrap()
        .into_value();
    let message = &completion["choices"][0]["message"];
    assert!(message["tool_calls"].is_null(), "{message}");
    assert!(message["content"]
        .as_str()
        .unwrap()
        .starts_with("I'm unable to provide real-time weather updates."));
    assert_eq!(completion["choices"][0]["finish_reason"], "stop");
}

/// The tool loop's `into_snapshot` ends with a chunk the accumulator rejects, as a stream's
/// `into_completion` does: a tool index of 2^32.
#[tokio::test]
async fn the_tool_loop_snapshot_reports_a_rejected_chunk() {
    let huge = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\",\"tool_calls\":[{\"index\":4294967296,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}\n\ndata: [DONE]\n\n";
    let server = RawServer::start(vec![stream(huge.as_bytes())]);
    let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
    let request = ChatRequest::new("m").user("Hi");
    let err = client
        .chat()
        .run_with_tools(&request, async |_: &_| String::new())
        .into_snapshot()
        .await
        .unwrap_err();
    assert_rejected(&err, "4294967296");
}
