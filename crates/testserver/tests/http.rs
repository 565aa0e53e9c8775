//! The test server driven over real HTTP on loopback, with a plain HTTP/1.1 client written
//! here, and its streams decoded by the core.

use serde_json::{json, Value};
use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::{Decoder, Ending, StreamEvent};
use streaming_assistants_core::assistants::types::RunStatus;
use streaming_assistants_core::wire::protocol::Decode;
use streaming_assistants_testserver::{Delivery, RunEnd, RunScript, Script, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

/// One request on its own connection (`Connection: close`), the whole answer read back.
async fn request(
    server: &TestServer,
    method: &str,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Reply {
    let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut head = format!("{method} /v1{path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n", server.addr(), body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("head") + 4;
    let headers = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = headers[9..12].parse().expect("status");
    let mut body = raw[split..].to_vec();
    if headers.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

/// Decodes a chunked body; a body cut short (a scripted disconnect) gives what arrived.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&raw[..line_end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok());
        let Some(size) = size.filter(|&s| s > 0) else {
            break;
        };
        let data = &raw[line_end + 2..];
        out.extend_from_slice(&data[..size.min(data.len())]);
        if data.len() < size + 2 {
            break;
        }
        raw = &data[size + 2..];
    }
    out
}

const AUTH: [(&str, &str); 2] = [
    ("Authorization", "Bearer sk-test"),
    ("OpenAI-Beta", "assistants=v2"),
];

async fn call(server: &TestServer, method: &str, path: &str, body: Option<Value>) -> Reply {
    request(server, method, path, body, &AUTH).await
}

/// Decodes a streamed body into events, checking it ended cleanly.
fn decode(reply: &Reply, acc: &mut Accumulator) -> Vec<StreamEvent> {
    let (events, ending) = decode_any(reply, acc);
    assert_eq!(ending, Ending::Done);
    events
}

/// Decodes a streamed body, however it ended.
fn decode_any(reply: &Reply, acc: &mut Accumulator) -> (Vec<StreamEvent>, Ending) {
    assert_eq!(reply.status, 200);
    assert!(
        reply.headers.contains("content-type: text/event-stream"),
        "{}",
        reply.headers
    );
    let mut decoder = Decoder::new();
    let mut events = Vec::new();
    for piece in reply.body.chunks(7) {
        decoder.push(piece);
        while let Some(event) = decoder.next_event() {
            let event = event.expect("valid event");
            acc.apply(&event).expect("known objects");
            events.push(event);
        }
    }
    (events, decoder.finish())
}

fn names(events: &[StreamEvent]) -> Vec<&str> {
    events.iter().map(StreamEvent::name).collect()
}

async fn setup(server: &TestServer, tools: Value) -> (String, String) {
    let assistant = call(
        server,
        "POST",
        "/assistants",
        Some(json!({"model": "gpt-4o", "tools": tools})),
    )
    .await
    .json();
    let thread = call(server, "POST", "/threads", Some(json!({})))
        .await
        .json();
    let thread_id = thread["id"].as_str().unwrap().to_owned();
    let message = call(
        server,
        "POST",
        &format!("/threads/{thread_id}/messages"),
        Some(json!({"role": "user", "content": "Weather in Paris?"})),
    )
    .await;
    assert_eq!(message.status, 200);
    (assistant["id"].as_str().unwrap().to_owned(), thread_id)
}

#[tokio::test]
async fn default_script_calls_the_function_then_replies_with_a_citation() {
    let server = TestServer::start(Script::new()).await.unwrap();
    let tools = json!([{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]);
    let (assistant, thread) = setup(&server, tools).await;
    let mut acc = Accumulator::new();
    let first = call(
        &server,
        "POST",
        &format!("/threads/{thread}/runs"),
        Some(json!({"assistant_id": assistant, "stream": true})),
    )
    .await;
    let events = decode(&first, &mut acc);
    assert_eq!(
        names(&events),
        [
            "thread.run.created",
            "thread.run.queued",
            "thread.run.in_progress",
            "thread.run.step.created",
            "thread.run.step.in_progress",
            "thread.run.step.delta",
            "thread.run.step.delta",
            "thread.run.step.delta",
            "thread.run.requires_action",
            "done",
        ]
    );
    let calls = acc.pending_tool_calls().to_vec();
    assert_eq!(calls.len(), 1);
    let function = calls[0].function.clone().unwrap();
    assert_eq!(function.name.as_deref(), Some("get_weather"));
    assert_eq!(
        function.arguments.as_deref(),
        Some("{\"location\": \"Paris\"}")
    );
    let step_args = acc.run_steps()[0]
        .step_details
        .clone()
        .unwrap()
        .tool_calls
        .unwrap()[0]
        .function
        .clone()
        .unwrap()
        .arguments;
    assert_eq!(
        step_args, function.arguments,
        "streamed arguments agree with required_action"
    );

    let run_id = acc.run().unwrap().id.clone();
    let second = call(&server, "POST", &format!("/threads/{thread}/runs/{run_id}/submit_tool_outputs"),
        Some(json!({"tool_outputs": [{"tool_call_id": calls[0].id, "output": "sunny, 21°C"}], "stream": true}))).await;
    let events = decode(&second, &mut acc);
    assert_eq!(
        events.first().map(StreamEvent::name),
        Some("thread.run.queued")
    );
    assert_eq!(acc.run().unwrap().status, RunStatus::Completed);
    let reply = acc.messages()[0].text();
    assert_eq!(
        reply,
        "The forecast says sunny, 21°C today 【0†weather.txt】."
    );
    let step = &acc.run_steps()[0];
    let output = step.step_details.clone().unwrap().tool_calls.unwrap()[0]
        .function
        .clone()
        .unwrap()
        .output;
    assert_eq!(output.as_deref(), Some("sunny, 21°C"));
    let annotations = acc.messages()[0].content[0]
        .text
        .clone()
        .unwrap()
        .annotations
        .unwrap();
    assert_eq!(
        annotations[0]
            .file_citation
            .clone()
            .unwrap()
            .file_id
            .as_deref(),
        Some("file_weather_txt")
    );

    // What is stored agrees with what was streamed.
    let listed = call(
        &server,
        "GET",
        &format!("/threads/{thread}/messages?order=desc&limit=1"),
        None,
    )
    .await
    .json();
    // The server writes every field (null when unset), the snapshot only those it has.
    assert_eq!(
        without_nulls(listed["data"][0].clone()),
        serde_json::to_value(&acc.messages()[0]).unwrap()
    );
    let run = call(
        &server,
        "GET",
        &format!("/threads/{thread}/runs/{run_id}"),
        None,
    )
    .await
    .json();
    assert_eq!(
        without_nulls(run),
        serde_json::to_value(acc.run().unwrap()).unwrap()
    );
}

fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

#[tokio::test]
async fn scripted_text_is_streamed_in_its_pieces() {
    let script = Script::new().run(RunScript::text(["Hel", "lo", " there"]));
    let server = TestServer::start(script).await.unwrap();
    let (assistant, thread) = setup(&server, json!([])).await;
    let mut acc = Accumulator::new();
    let reply = call(
        &server,
        "POST",
        &format!("/threads/{thread}/runs"),
        Some(json!({"assistant_id": assistant, "stream": true})),
    )
    .await;
    let events = decode(&reply, &mut acc);
    let deltas: Vec<String> = events
        .iter()
        .filter(|e| e.name() == "thread.message.delta")
        .map(|e| e.text_deltas().collect())
        .collect();
    assert_eq!(deltas, ["Hel", "lo", " there"]);
    assert_eq!(acc.run().unwrap().status, RunStatus::Completed);
}

#[tokio::test]
async fn bad_requests_get_the_real_error_object_and_status() {
    let server = TestServer::start(Script::new()).await.unwrap();
    let no_auth = request(
        &server,
        "GET",
        "/threads/thread_x",
        None,
        &[("OpenAI-Beta", "assistants=v2")],
    )
    .await;
    assert_eq!(no_auth.status, 401);
    assert_eq!(no_auth.json()["error"]["type"], "invalid_request_error");
    let no_beta = request(
        &server,
        "GET",
        "/threads/thread_x",
        None,
        &[("Authorization", "Bearer sk-test")],
    )
    .await;
    assert_eq!(no_beta.status, 400);
    assert!(no_beta.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("OpenAI-Beta"));
    let missing = call(&server, "GET", "/threads/thread_nope", None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json()["error"]["message"],
        "No thread found with id 'thread_nope'."
    );
    let no_model = call(&server, "POST", "/assistants", Some(json!({"name": "x"}))).await;
    assert_eq!(no_model.status, 400);
    assert_eq!(no_model.json()["error"]["param"], "model");
    assert!(no_model.headers.contains("x-request-id"));
}

async fn run_script(script: RunScript) -> (Vec<StreamEvent>, Ending, Accumulator) {
    let server = TestServer::start(Script::new().run(script)).await.unwrap();
    let (assistant, thread) = setup(&server, json!([])).await;
    let reply = call(
        &server,
        "POST",
        &format!("/threads/{thread}/runs"),
        Some(json!({"assistant_id": assistant, "stream": true})),
    )
    .await;
    let mut acc = Accumulator::new();
    let (events, ending) = decode_any(&reply, &mut acc);
    (events, ending, acc)
}

#[tokio::test]
async fn one_byte_writes_give_the_same_events() {
    let text = RunScript::text(["a", "b", "c"]);
    let (whole, _, _) = run_script(text.clone()).await;
    let delivery = Delivery {
        chunk_size: Some(1),
        ..Delivery::default()
    };
    let (bytewise, ending, _) = run_script(text.delivered(delivery)).await;
    assert_eq!(ending, Ending::Done);
    assert_eq!(whole, bytewise);
}

#[tokio::test]
async fn a_disconnect_mid_event_truncates_and_keeps_what_came_before() {
    let delivery = Delivery {
        disconnect_after: Some(1500),
        ..Delivery::default()
    };
    let (events, ending, _) = run_script(RunScript::text(["x"; 20]).delivered(delivery)).await;
    assert!(matches!(ending, Ending::Truncated { .. }), "{ending:?}");
    assert!(!events.is_empty());
    assert_eq!(events[0].name(), "thread.run.created");
}

#[tokio::test]
async fn failed_incomplete_and_error_endings() {
    let failed = RunEnd::Failed {
        code: "server_error".into(),
        message: "boom".into(),
    };
    let (_, ending, acc) = run_script(RunScript::text(["partial"]).ending(failed)).await;
    assert_eq!(ending, Ending::Done);
    let run = acc.run().unwrap();
    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!(
        run.last_error.as_ref().unwrap().message.as_deref(),
        Some("boom")
    );

    let incomplete = RunEnd::Incomplete {
        reason: "max_completion_tokens".into(),
    };
    let (_, _, acc) = run_script(RunScript::text(["cut"]).ending(incomplete)).await;
    assert_eq!(acc.run().unwrap().status, RunStatus::Incomplete);

    let error = RunEnd::ErrorEvent {
        message: "overloaded".into(),
    };
    let (events, ending, _) = run_script(RunScript::text(["so far"]).ending(error)).await;
    let StreamEvent::Error(err) = events.last().unwrap() else {
        panic!("{events:?}")
    };
    assert_eq!(err.message.as_deref(), Some("overloaded"));
    assert_eq!(
        ending,
        Ending::Truncated { at: None },
        "no done after an error event"
    );
}

#[tokio::test]
async fn the_first_event_arrives_before_the_pauses_end() {
    let server = TestServer::start(Script::new().run(RunScript::text(["p"; 10]).delivered(
        Delivery {
            pause_ms: Some(200),
            ..Delivery::default()
        },
    )))
    .await
    .unwrap();
    let (assistant, thread) = setup(&server, json!([])).await;
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let body = json!({"assistant_id": assistant, "stream": true}).to_string();
    let head = format!("POST /v1/threads/{thread}/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nOpenAI-Beta: assistants=v2\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    let started = std::time::Instant::now();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("event: thread.run.created") {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed early");
        seen.extend_from_slice(&buf[..n]);
    }
    // 20 events with 200 ms between them take about 4 s in all; the first comes at once.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn create_thread_and_run_streams_thread_created_first() {
    let server = TestServer::start(Script::new().run(RunScript::text(["hi"])))
        .await
        .unwrap();
    let assistant = call(&server, "POST", "/assistants", Some(json!({"model": "m"})))
        .await
        .json();
    let reply = call(
        &server,
        "POST",
        "/threads/runs",
        Some(json!({"assistant_id": assistant["id"], "stream": true,
        "thread": {"messages": [{"role": "user", "content": "hello"}]}})),
    )
    .await;
    let mut acc = Accumulator::new();
    let events = decode(&reply, &mut acc);
    let StreamEvent::ThreadCreated(thread) = &events[0] else {
        panic!("{events:?}")
    };
    let listed = call(
        &server,
        "GET",
        &format!("/threads/{}/messages?order=asc", thread.id),
        None,
    )
    .await
    .json();
    let texts: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"][0]["text"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["hello", "hi"]);
}

#[tokio::test]
async fn resources_list_retrieve_paginate_cancel_and_delete() {
    let server = TestServer::start(Script::new()).await.unwrap();
    let tools = json!([{"type": "function", "function": {"name": "f"}}]);
    let (assistant, thread) = setup(&server, tools).await;
    for i in 0..4 {
        call(
            &server,
            "POST",
            &format!("/threads/{thread}/messages"),
            Some(json!({"content": format!("m{i}")})),
        )
        .await;
    }
    let page1 = call(
        &server,
        "GET",
        &format!("/threads/{thread}/messages?order=asc&limit=2"),
        None,
    )
    .await
    .json();
    assert_eq!(page1["has_more"], true);
    let after = page1["last_id"].as_str().unwrap();
    let page2 = call(
        &server,
        "GET",
        &format!("/threads/{thread}/messages?order=asc&limit=2&after={after}"),
        None,
    )
    .await
    .json();
    let texts = |page: &Value| -> Vec<String> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                m["content"][0]["text"]["value"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(texts(&page1), ["Weather in Paris?", "m0"]);
    assert_eq!(texts(&page2), ["m1", "m2"]);
    let before = call(
        &server,
        "GET",
        &format!(
            "/threads/{thread}/messages?order=asc&limit=2&before={}",
            page2["last_id"].as_str().unwrap()
        ),
        None,
    )
    .await
    .json();
    assert_eq!(texts(&before), ["m0", "m1"]);
    let one = call(
        &server,
        "GET",
        &format!("/threads/{thread}/messages/{after}"),
        None,
    )
    .await
    .json();
    assert_eq!(one["id"], after);

    // A run waiting for tool outputs: listed, its steps retrievable, then cancelled.
    let run = call(
        &server,
        "POST",
        &format!("/threads/{thread}/runs"),
        Some(json!({"assistant_id": assistant})),
    )
    .await
    .json();
    assert_eq!(run["status"], "requires_action");
    let run_id = run["id"].as_str().unwrap();
    let again = call(
        &server,
        "POST",
        &format!("/threads/{thread}/runs"),
        Some(json!({"assistant_id": assistant})),
    )
    .await;
    assert_eq!(again.status, 400, "one active run per thread");
    let blocked = call(
        &server,
        "POST",
        &format!("/threads/{thread}/messages"),
        Some(json!({"content": "more"})),
    )
    .await;
    assert_eq!(blocked.status, 400);
    assert_eq!(
        blocked.json()["error"]["message"],
        format!("Can't add messages to {thread} while a run {run_id} is active.")
    );
    let runs = call(&server, "GET", &format!("/threads/{thread}/runs"), None)
        .await
        .json();
    assert_eq!(runs["data"][0]["id"], run_id);
    let steps = call(
        &server,
        "GET",
        &format!("/threads/{thread}/runs/{run_id}/steps"),
        None,
    )
    .await
    .json();
    let step_id = steps["data"][0]["id"].as_str().unwrap();
    let step = call(
        &server,
        "GET",
        &format!("/threads/{thread}/runs/{run_id}/steps/{step_id}"),
        None,
    )
    .await
    .json();
    assert_eq!(step["type"], "tool_calls");
    let cancelled = call(
        &server,
        "POST",
        &format!("/threads/{thread}/runs/{run_id}/cancel"),
        None,
    )
    .await
    .json();
    assert_eq!(cancelled["status"], "cancelled");
    let late = call(
        &server,
        "POST",
        &format!("/threads/{thread}/runs/{run_id}/submit_tool_outputs"),
        Some(json!({"tool_outputs": []})),
    )
    .await;
    assert_eq!(late.status, 400);

    let assistants = call(&server, "GET", "/assistants", None).await.json();
    assert_eq!(assistants["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        call(&server, "DELETE", &format!("/assistants/{assistant}"), None)
            .await
            .json()["deleted"],
        true
    );
    assert_eq!(
        call(&server, "DELETE", &format!("/threads/{thread}"), None)
            .await
            .json()["deleted"],
        true
    );
    assert_eq!(
        call(&server, "GET", &format!("/threads/{thread}"), None)
            .await
            .status,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_streams_each_get_every_event() {
    let pieces: Vec<String> = (0..20).map(|i| format!("w{i} ")).collect();
    let script = (0..100).fold(Script::new(), |s, _| s.run(RunScript::text(pieces.clone())));
    let server = std::sync::Arc::new(TestServer::start(script).await.unwrap());
    let assistant = call(&server, "POST", "/assistants", Some(json!({"model": "m"})))
        .await
        .json();
    let assistant = assistant["id"].as_str().unwrap().to_owned();
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let server = server.clone();
        let assistant = assistant.clone();
        tasks.push(tokio::spawn(async move {
            let thread = call(&server, "POST", "/threads", None).await.json();
            let thread = thread["id"].as_str().unwrap().to_owned();
            let reply = call(
                &server,
                "POST",
                &format!("/threads/{thread}/runs"),
                Some(json!({"assistant_id": assistant, "stream": true})),
            )
            .await;
            let mut acc = Accumulator::new();
            let events = decode(&reply, &mut acc);
            (events.len(), acc.messages()[0].text())
        }));
    }
    let expected: String = pieces.concat();
    for task in tasks {
        let (count, text) = task.await.unwrap();
        // run created/queued/in_progress, step created/in_progress, message created/in_progress,
        // 20 deltas, message completed, step completed, run completed, done.
        assert_eq!(count, 3 + 2 + 2 + 20 + 3 + 1);
        assert_eq!(text, expected);
    }
}

#[tokio::test]
async fn code_interpreter_and_file_search_steps_stream_and_complete() {
    let code = streaming_assistants_testserver::CodeScript {
        input: vec!["print(".into(), "6*7)".into()],
        logs: Some("42\n".into()),
        image_file: Some("file_plot".into()),
    };
    let (events, ending, acc) =
        run_script(RunScript::text(["42"]).with_code(code).with_file_search()).await;
    assert_eq!(ending, Ending::Done);
    assert!(events.iter().any(|e| e.name() == "thread.run.step.delta"));
    let steps = acc.run_steps();
    assert_eq!(steps.len(), 3, "code, file search, message creation");
    let code_call = steps[0].step_details.clone().unwrap().tool_calls.unwrap()[0]
        .code_interpreter
        .clone()
        .unwrap();
    assert_eq!(code_call.input.as_deref(), Some("print(6*7)"));
    let outputs = code_call.outputs.unwrap();
    assert_eq!(outputs[0].logs.as_deref(), Some("42\n"));
    assert_eq!(
        outputs[1].image.clone().unwrap().file_id.as_deref(),
        Some("file_plot")
    );
    let search = &steps[1].step_details.clone().unwrap().tool_calls.unwrap()[0];
    assert_eq!(
        search.kind,
        Some(streaming_assistants_core::assistants::types::ToolCallType::FileSearch)
    );
    assert!(search.file_search.as_ref().unwrap()["ranking_options"].is_object());
}
