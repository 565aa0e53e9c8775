// Chat Completions over loopback, written once in async form and played by both clients
// (`crates/sync/tests/client.rs`, `crates/async/tests/client.rs`; the sync twin is this code
// with `async` and `.await` stripped by `sync_twin!`): against a raw server answering real
// recorded bodies (`crates/core/tests/recordings/chat/`), and against the test server in each
// of its dialects.
//
// Not a module of this crate: `include!`d by the runners, which bring into scope the
// transport's `Client`, `Config`, `ChatRequest`, `ChatRule`, `Error`, `EventStream`, `Chat`,
// the `client_test!` and `client_helper!` macros, and `serve` / `serve_with`.

use std::path::PathBuf;

use serde_json::json;
use streaming_assistants_core::chat::{
    AccumulateError, ChatChunk, ChatEvent, Delta, ToolCallDelta,
};
use streaming_assistants_testserver::raw::{sse_head, Answer, RawServer};
use streaming_assistants_testserver::{Dialect, RunScript, Script};

fn recording(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/recordings/chat");
    std::fs::read(dir.join(name)).expect("recording")
}

const TEXT: &str = "chat_py_test_parse_nothing__9feadd82.sse";
const TOOL: &str = "chat_py_test_parse_pydantic_tool__9feadd82.sse";

fn stream(body: &[u8]) -> Answer {
    Answer::Bytes([sse_head(), body.to_vec()].concat())
}

client_test! {
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
}

client_test! {
    async fn the_tool_loop_appends_the_assistant_and_tool_messages() {
        let server = RawServer::start(vec![stream(&recording(TOOL)), stream(&recording(TEXT))]);
        let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
        let request = ChatRequest::new("gpt-4o")
            .user("Weather in Edinburgh?")
            .tools(json!([{"type": "function", "function": {"name": "GetWeatherArgs"}}]));
        let mut asked = Vec::new();
        let mut text = String::new();
        let mut tools = client.chat().run_with_tools(&request, async |call| {
            asked.push(call.name.clone());
            // The callback gets the arguments parsed too (strict tools write JSON).
            assert!(call.parsed_arguments().is_some_and(|a| a.is_object()), "{}", call.arguments);
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
}

client_test! {
    /// Every dialect of the test server, through the lenient rule: the tool round trip gives
    /// the same answer, the usage is kept, and the tool call is whole.
    async fn a_tool_round_trip_in_every_dialect() {
        for dialect in [
            Dialect::OpenAi,
            Dialect::Azure,
            Dialect::Gemini,
            Dialect::Ollama,
            Dialect::Vllm,
            Dialect::LlamaCpp,
        ] {
            let server = serve_with(Script::new(), dialect).await;
            let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
            let request = ChatRequest::new("m")
                .user("Weather in Paris?")
                .tools(json!([{"type": "function", "function": {"name": "get_weather"}}]));
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
                call["function"]["name"], "get_weather",
                "{dialect:?}: {first}"
            );
            assert_eq!(
                call["function"]["arguments"], r#"{"location": "Paris"}"#,
                "{dialect:?}"
            );
            assert!(
                call["id"].as_str().unwrap().starts_with("call_"),
                "{dialect:?}: {call}"
            );
            assert_eq!(first["usage"]["total_tokens"], 19, "{dialect:?}: {first}");
            assert!(
                first["id"].as_str().unwrap().starts_with("chatcmpl"),
                "{dialect:?}"
            );
            let mut asked = 0;
            let mut text = String::new();
            let mut tools = client.chat().run_with_tools(&request, async |_| {
                asked += 1;
                "sunny".to_owned()
            });
            while let Some(event) = tools.next().await {
                text.extend(event.unwrap().content());
            }
            drop(tools);
            assert_eq!(
                (asked, text.as_str()),
                (1, "The forecast says sunny."),
                "{dialect:?}"
            );
        }
    }
}

client_helper! {
    /// A fresh stream of the request.
    async fn open(client: &Client, request: &ChatRequest) -> EventStream<Chat> {
        client.chat().create_stream(request).await.unwrap()
    }
}

client_test! {
    /// The strict rule on request: Gemini's tool calls without `index` stop openai-node's
    /// accumulator, and ours strictly with a typed error — the lenient default places them by
    /// id. A tool index of 2^32 is a typed error in either rule, never an allocation.
    async fn into_completion_with_the_strict_rule_follows_the_sdk() {
        let server = serve_with(Script::new(), Dialect::Gemini).await;
        let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
        let request = ChatRequest::new("m")
            .user("Weather in Paris?")
            .tools(json!([{"type": "function", "function": {"name": "get_weather"}}]));
        let lenient = open(&client, &request)
            .await
            .into_completion_with(ChatRule::Lenient)
            .await
            .unwrap();
        let strict = open(&client, &request)
            .await
            .into_completion_with(ChatRule::Strict)
            .await
            .unwrap_err();
        let default = open(&client, &request)
            .await
            .into_completion()
            .await
            .unwrap()
            .into_value();
        let typed = &lenient.tool_calls()[0];
        let name = typed.function.as_ref().and_then(|f| f.name.as_deref());
        assert_eq!(name, Some("get_weather"), "typed: {lenient:?}");
        let lenient = lenient.into_value();
        let call =
            |c: &serde_json::Value| c["choices"][0]["message"]["tool_calls"][0]["function"].clone();
        assert_eq!(call(&lenient), call(&default), "lenient is the default");
        let calls = |c: &serde_json::Value| c["choices"][0]["message"]["tool_calls"].clone();
        assert_eq!(calls(&lenient)[0]["function"]["name"], "get_weather");
        assert_rejected(&strict, "(none)");
        // A tool index of 2^32, on a raw server: rejected in the lenient rule too.
        let huge = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":4294967296,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}\n\ndata: [DONE]\n\n";
        let raw = RawServer::start(vec![stream(huge.as_bytes())]);
        let client = Client::new(Config::new("sk-chat").base_url(raw.base_url())).unwrap();
        let err = open(&client, &request)
            .await
            .into_completion()
            .await
            .unwrap_err();
        assert_rejected(&err, "4294967296");
    }
}

fn assert_rejected(err: &Error, index: &str) {
    let Error::Stream(StreamError::Rejected(rejected)) = err else {
        panic!("not rejected: {err:?}");
    };
    let inner = rejected.get_ref().downcast_ref::<AccumulateError>();
    assert!(
        matches!(inner, Some(AccumulateError::BadIndex { what: "tool call", index: i }) if i == index),
        "{inner:?}"
    );
}

client_test! {
    /// A completion not streamed (`create`, `"stream": false`) is the test server's
    /// `chat.completion`, with the same message as the streamed one's.
    async fn create_not_streamed_equals_the_streamed_completion() {
        let server = serve_with(Script::new(), Dialect::OpenAi).await;
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
}

client_test! {
    /// Azure's own URL shape against the test server's Azure dialect: the deployment in the
    /// path, `api-version` in the query, the key in `api-key`, no `model` needed in the body's
    /// place.
    async fn azure_deployment_urls_work_against_the_azure_dialect() {
        let server = serve_with(Script::new(), Dialect::Azure).await;
        let base = server
            .base_url()
            .replace("/v1", "/openai/deployments/gpt-4o");
        let config = Config::new("")
            .base_url(base)
            .header("api-key", "azure-secret")
            .query("api-version", "2024-10-21");
        let client = Client::new(config).unwrap();
        let completion = client
            .chat()
            .create_stream(&ChatRequest::new("gpt-4o").user("Hello?"))
            .await
            .unwrap()
            .into_completion()
            .await
            .unwrap()
            .into_value();
        assert_eq!(completion["model"], "gpt-4o");
        assert!(completion["choices"][0]["message"]["content"]
            .as_str()
            .is_some_and(|text| !text.is_empty()));
        assert!(completion["choices"][0]["content_filter_results"].is_object());
    }
}

client_test! {
    /// The tool loop accumulates to the last completion (the final answer), not the legs
    /// merged.
    async fn the_tool_loop_snapshot_is_the_final_completion() {
        let server = RawServer::start(vec![stream(&recording(TOOL)), stream(&recording(TEXT))]);
        let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
        let request = ChatRequest::new("gpt-4o")
            .user("Weather in Edinburgh?")
            .tools(json!([{"type": "function", "function": {"name": "GetWeatherArgs"}}]));
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
}

client_test! {
    /// The tool loop's `into_snapshot` ends with a chunk the accumulator rejects, as a
    /// stream's `into_completion` does: a tool index of 2^32.
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
}

client_helper! {
    /// Two legs of a script (a reply with reasoning, then a tool call) in `dialect`: the
    /// typed chunks of each.
    async fn dialect_chunks(dialect: Dialect) -> Vec<Vec<ChatChunk>> {
        let mut thinking = RunScript::text(["The answer", " is 4."]);
        thinking.reasoning = vec!["Two and ".into(), "two.".into()];
        let calling = RunScript::text(Vec::<String>::new()).call("sum", ["{\"a\": ", "2}"]);
        let server = serve_with(Script::new().run(thinking).run(calling), dialect).await;
        let client = Client::new(Config::new("sk-chat").base_url(server.base_url())).unwrap();
        let request = ChatRequest::new("m").user("2+2?");
        let mut legs = Vec::new();
        for _ in 0..2 {
            let mut stream = client.chat().create_stream(&request).await.unwrap();
            let mut leg = Vec::new();
            while let Some(event) = stream.next().await {
                if let ChatEvent::Chunk(chunk) = event.unwrap() {
                    leg.push(*chunk);
                }
            }
            legs.push(leg);
        }
        legs
    }
}

client_test! {
    /// Each chat dialect of the test server bends the stream as its server does
    /// (`../shared/CHAT.md`), seen on the wire through the typed chunks.
    async fn each_dialect_bends_the_stream_as_its_server_does() {
        let deltas = |leg: &[ChatChunk]| -> Vec<Delta> {
            leg.iter()
                .flat_map(|c| c.choices.clone().unwrap_or_default())
                .filter_map(|choice| choice.delta)
                .collect()
        };
        let calls = |leg: &[ChatChunk]| -> Vec<ToolCallDelta> {
            deltas(leg)
                .into_iter()
                .flat_map(|d| d.tool_calls.unwrap_or_default())
                .collect()
        };

        // Ollama: reasoning in `delta.reasoning`; each call whole, without `index`.
        let ollama = dialect_chunks(Dialect::Ollama).await;
        assert!(deltas(&ollama[0]).iter().any(|d| d.reasoning.is_some()));
        assert!(deltas(&ollama[0])
            .iter()
            .all(|d| d.reasoning_content.is_none()));
        let ollama_calls = calls(&ollama[1]);
        assert_eq!(ollama_calls.len(), 1);
        assert_eq!(ollama_calls[0].index, None);
        let function = ollama_calls[0].function.clone().unwrap();
        assert_eq!(function.arguments.as_deref(), Some("{\"a\": 2}"));

        // vLLM: `reasoning_content`; `"tool_calls": []` on text chunks; usage on every chunk.
        let vllm = dialect_chunks(Dialect::Vllm).await;
        assert!(deltas(&vllm[0])
            .iter()
            .any(|d| d.reasoning_content.is_some()));
        let text: Vec<_> = deltas(&vllm[0])
            .into_iter()
            .filter(|d| d.content.as_deref().is_some_and(|c| !c.is_empty()))
            .collect();
        assert!(!text.is_empty());
        assert!(text
            .iter()
            .all(|d| d.tool_calls.as_deref() == Some(&[][..])));
        assert!(vllm.iter().flatten().all(|c| c.usage.is_some()));

        // llama.cpp: the name on every tool delta, arguments from the first; usage on the
        // finish chunk, no usage-only chunk after it.
        let llamacpp = dialect_chunks(Dialect::LlamaCpp).await;
        let pieces = calls(&llamacpp[1]);
        assert_eq!(pieces.len(), 2);
        for piece in &pieces {
            let function = piece.function.clone().unwrap();
            assert_eq!(function.name.as_deref(), Some("sum"));
            assert!(function.arguments.is_some_and(|a| !a.is_empty()));
        }
        let last = llamacpp[1].last().unwrap();
        assert!(last.usage.is_some());
        assert!(last
            .choices
            .as_ref()
            .is_some_and(|c| c[0].finish_reason.is_some()));

        // Gemini: the call without `index`, with `extra_content`; `finish_reason: "stop"`.
        let gemini = dialect_chunks(Dialect::Gemini).await;
        let gemini_calls = calls(&gemini[1]);
        assert_eq!(gemini_calls[0].index, None);
        assert!(gemini_calls[0].extra.get("extra_content").is_some());
        let reasons: Vec<String> = gemini[1]
            .iter()
            .flat_map(|c| c.choices.clone().unwrap_or_default())
            .filter_map(|c| c.finish_reason.map(|r| r.as_str().to_owned()))
            .collect();
        assert_eq!(reasons, ["stop"]);
    }
}

client_test! {
    async fn structured_output_streams_the_object_as_it_grows_then_into_parsed() {
        let pieces = ["{\"city\": \"Par", "is\", \"temps\": [1", "2, 3]}"];
        let script = Script::new()
            .run(RunScript::text(pieces))
            .run(RunScript::text(pieces));
        let server = serve(script).await;
        let client = Client::new(Config::new("sk-test").base_url(server.base_url())).unwrap();
        // The schema from the type (the `schemars` feature), made strict.
        #[derive(serde::Deserialize, schemars::JsonSchema, Debug, PartialEq)]
        struct Weather {
            city: String,
            temps: Vec<i64>,
        }
        let request = ChatRequest::new("gpt-4o").user("Weather?").json_schema_for::<Weather>();
        let format = &request.to_json(true)["response_format"];
        assert_eq!(format["json_schema"]["name"], "Weather");
        assert_eq!(format["json_schema"]["strict"], true);
        assert_eq!(format["json_schema"]["schema"]["additionalProperties"], false);
        let mut stream = client.chat().create_parsed_stream(&request).await.unwrap();
        let mut seen = Vec::new();
        while let Some(event) = stream.next().await {
            seen.push(event.unwrap().to_json(stream.state()));
        }
        let parsed: Vec<&serde_json::Value> = seen
            .iter()
            .filter(|e| e["type"] == "content.delta")
            .map(|e| &e["parsed"])
            .collect();
        // An unfinished string is left out; a number at the end counts as it stands.
        assert!(parsed.contains(&&json!({})), "{parsed:?}");
        assert!(parsed.contains(&&json!({"city": "Paris", "temps": [1]})), "{parsed:?}");
        let done = seen.iter().find(|e| e["type"] == "content.done").expect("content.done");
        assert_eq!(done["parsed"], json!({"city": "Paris", "temps": [12, 3]}));
        assert_eq!(done["choice"], 0);
        // The typed answer, in one call.
        let weather: Weather = client
            .chat()
            .create_stream(&request)
            .await
            .unwrap()
            .into_parsed()
            .await
            .unwrap();
        assert_eq!(weather, Weather { city: "Paris".into(), temps: vec![12, 3] });
    }
}

client_test! {
    async fn a_length_cut_structured_stream_ends_with_the_sdks_error() {
        let body = recording("chat_py_test_parse_max_tokens_reached__9feadd82.sse");
        let server = RawServer::start(vec![stream(&body), stream(&body), stream(&body)]);
        let client = Client::new(Config::new("sk-test").base_url(server.base_url())).unwrap();
        // Without structured output or strict tools, the SDK lets a `length` finish pass.
        let plain = ChatRequest::new("gpt-4o").user("Weather?");
        let mut parsed = client.chat().create_parsed_stream(&plain).await.unwrap();
        while let Some(event) = parsed.next().await {
            event.unwrap();
        }
        let request = plain.json_schema("weather", json!({"type": "object"}));
        let mut parsed = client.chat().create_parsed_stream(&request).await.unwrap();
        let mut last = None;
        while let Some(event) = parsed.next().await {
            last = Some(event);
        }
        let err = last.expect("events").unwrap_err();
        assert!(err.to_string().contains("length"), "{err}");
        let err = client
            .chat()
            .create_stream(&request)
            .await
            .unwrap()
            .into_parsed::<serde_json::Value>()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("length"), "{err}");
    }
}

