//! The shared loopback scenarios of all three APIs (`streaming_assistants_testserver::scenarios`),
//! played by the async client through its public surface only.

use std::time::Duration;

use streaming_assistants_async::{
    Assistants, ChatRequest, Client, Config, Error, EventStream, ResponseRequest, Timeouts,
};
use streaming_assistants_core::assistants::event::StreamEvent;
use streaming_assistants_core::assistants::types::RequiredToolCall;
use streaming_assistants_core::chat::ChatToolCall;
use streaming_assistants_core::responses::FunctionCall;
use streaming_assistants_testserver::scenarios::{self, Api, Failure, Flow, Outcome, Scenario};
use streaming_assistants_testserver::TestServer;

fn record(item: Result<StreamEvent, Error>, seen: &mut Outcome) {
    match item {
        Ok(event) => {
            seen.text.extend(event.text_deltas());
            let name = Some(event.name().to_owned());
            if seen.first_event.is_none() {
                seen.first_event.clone_from(&name);
            }
            seen.last_event = name;
        }
        Err(err) => seen.failures.push(Failure::of(&err)),
    }
}

async fn read(stream: Result<EventStream<Assistants>, Error>, seen: &mut Outcome) {
    match stream {
        Ok(mut stream) => {
            while let Some(item) = stream.next().await {
                record(item, seen);
            }
            seen.ended = stream.verdict().map(Into::into);
        }
        Err(err) => seen.failures.push(Failure::of(&err)),
    }
}

async fn play_responses(client: &Client, scenario: &Scenario, seen: &mut Outcome) {
    let mut request = ResponseRequest::new("m").input(scenarios::USER_MESSAGE);
    if scenario.tools.as_array().is_some_and(|t| !t.is_empty()) {
        request = request.tools(scenario.tools.clone());
    }
    let responses = client.responses();
    match &scenario.flow {
        Flow::Stream => match responses.create_stream(&request).await {
            Ok(mut stream) => {
                while let Some(item) = stream.next().await {
                    seen.response_event(item);
                }
                seen.ended = stream.verdict().map(Into::into);
            }
            Err(err) => seen.fail(&err),
        },
        Flow::Final => match responses.create_stream(&request).await {
            Ok(stream) => seen.response(stream.into_response().await),
            Err(err) => seen.fail(&err),
        },
        Flow::Create => seen.response(responses.create(&request).await),
        Flow::MissingResponse => seen.response(responses.retrieve("resp_missing").await),
        Flow::Tools(output) => {
            let mut asked = Vec::new();
            let tool = async |call: &FunctionCall| {
                asked.push(call.arguments.clone());
                (*output).to_owned()
            };
            let mut tools = responses.run_with_tools(&request, tool);
            while let Some(item) = tools.next().await {
                seen.response_event(item);
            }
            drop(tools);
            seen.tool_arguments = asked;
        }
        flow => panic!("{flow:?} is not a Responses flow"),
    }
}

async fn play_chat(client: &Client, scenario: &Scenario, seen: &mut Outcome) {
    let mut request = ChatRequest::new("m").user(scenarios::USER_MESSAGE);
    if scenario.tools.as_array().is_some_and(|t| !t.is_empty()) {
        request = request.tools(scenario.tools.clone());
    }
    let chat = client.chat();
    match &scenario.flow {
        Flow::Stream => match chat.create_stream(&request).await {
            Ok(mut stream) => {
                while let Some(item) = stream.next().await {
                    seen.chat_event(item);
                }
                seen.ended = stream.verdict().map(Into::into);
            }
            Err(err) => seen.fail(&err),
        },
        Flow::Final => match chat.create_stream(&request).await {
            Ok(stream) => seen.completion(stream.into_completion().await),
            Err(err) => seen.fail(&err),
        },
        Flow::Create => seen.completion(chat.create(&request).await),
        Flow::Tools(output) => {
            let mut asked = Vec::new();
            let tool = async |call: &ChatToolCall| {
                asked.push(call.arguments.clone());
                (*output).to_owned()
            };
            let mut tools = chat.run_with_tools(&request, tool);
            while let Some(item) = tools.next().await {
                seen.chat_event(item);
            }
            drop(tools);
            seen.tool_arguments = asked;
        }
        flow => panic!("{flow:?} is not a Chat flow"),
    }
}

async fn play(scenario: &Scenario) -> Outcome {
    let server = TestServer::start_with(scenario.script.clone(), scenario.dialect, 0)
        .await
        .unwrap();
    let mut timeouts = Timeouts::default();
    if let Some(ms) = scenario.idle_timeout_ms {
        timeouts = timeouts.idle(Duration::from_millis(ms));
    }
    let config = Config::new("sk-scenario").base_url(server.base_url());
    let client = Client::with_timeouts(config, timeouts).expect("client");
    let mut seen = Outcome::default();
    match scenario.api {
        Api::Responses => play_responses(&client, scenario, &mut seen).await,
        Api::Chat => play_chat(&client, scenario, &mut seen).await,
        Api::Assistants => play_assistants(&client, scenario, &mut seen).await,
    }
    seen
}

async fn play_assistants(client: &Client, scenario: &Scenario, seen: &mut Outcome) {
    let assistant = client
        .assistants()
        .create(serde_json::json!({"model": "m", "tools": scenario.tools}))
        .await
        .unwrap();
    let thread = client.threads().create().await.unwrap();
    client
        .threads()
        .messages()
        .create(&thread.id, scenarios::USER_MESSAGE)
        .await
        .unwrap();
    let mut thread_id = thread.id.clone();
    match &scenario.flow {
        Flow::Stream => {
            let stream = client
                .threads()
                .runs()
                .create_stream(&thread.id, &assistant.id)
                .await;
            read(stream, seen).await;
        }
        Flow::MissingThread => {
            let stream = client
                .threads()
                .runs()
                .create_stream("thread_missing", &assistant.id)
                .await;
            read(stream, seen).await;
        }
        Flow::ThreadAndRun => {
            let mut stream = client
                .threads()
                .create_and_run_stream(&assistant.id, &[scenarios::USER_MESSAGE])
                .await
                .unwrap();
            while let Some(item) = stream.next().await {
                if let Ok(StreamEvent::ThreadCreated(t)) = &item {
                    thread_id.clone_from(&t.id);
                }
                record(item, seen);
            }
        }
        Flow::Tools(output) => {
            // The async closure awaits, as a real tool would.
            let mut asked = Vec::new();
            let tool = async |call: &RequiredToolCall| {
                tokio::task::yield_now().await;
                asked.push(
                    call.function
                        .clone()
                        .and_then(|f| f.arguments)
                        .unwrap_or_default(),
                );
                (*output).to_owned()
            };
            let mut tools = client
                .threads()
                .runs()
                .run_with_tools(&thread.id, &assistant.id, tool);
            while let Some(item) = tools.next().await {
                record(item, seen);
            }
            drop(tools);
            seen.tool_arguments = asked;
        }
        Flow::Legacy => {
            let mut stream = client
                .threads()
                .runs()
                .legacy_stream(&thread.id, &assistant.id, Duration::from_millis(5))
                .await
                .unwrap();
            while let Some(piece) = stream.next().await {
                match piece {
                    Ok(text) => seen.text.push_str(&text),
                    Err(err) => seen.failures.push(Failure::of(&err)),
                }
            }
            seen.ended = stream.verdict().map(Into::into);
        }
        flow => panic!("{flow:?} is not an Assistants flow"),
    }
    if scenario.flow != Flow::MissingThread {
        let runs = client.threads().runs().list(&thread_id).await.unwrap();
        seen.status = runs.data.first().map(|run| run.status.clone());
    }
}

#[tokio::test]
async fn every_scenario_of_every_api_through_the_async_client() {
    for scenario in scenarios::all() {
        scenario.check(&play(&scenario).await);
    }
}
