//! The shared loopback scenarios of all three APIs (`streaming_assistants_testserver::scenarios`),
//! played by the sync client through its public surface only.

use std::time::Duration;

use streaming_assistants_core::assistants::types::RequiredToolCall;
use streaming_assistants_core::chat::ChatToolCall;
use streaming_assistants_core::responses::FunctionCall;
use streaming_assistants_sync::{
    Assistants, ChatRequest, Client, Config, Error, EventStream, ResponseRequest, Timeouts,
};
use streaming_assistants_testserver::scenarios::{self, Api, Failure, Flow, Outcome, Scenario};
use streaming_assistants_testserver::BlockingTestServer;

fn read(mut stream: EventStream<Assistants>, seen: &mut Outcome) {
    for item in stream.by_ref() {
        record(item, seen);
    }
    seen.ended = stream.verdict().map(Into::into);
}

fn record(
    item: Result<streaming_assistants_core::assistants::event::StreamEvent, Error>,
    seen: &mut Outcome,
) {
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

fn play_responses(client: &Client, scenario: &Scenario, seen: &mut Outcome) {
    let mut request = ResponseRequest::new("m").input(scenarios::USER_MESSAGE);
    if scenario.tools.as_array().is_some_and(|t| !t.is_empty()) {
        request = request.tools(scenario.tools.clone());
    }
    let responses = client.responses();
    match &scenario.flow {
        Flow::Stream => match responses.create_stream(&request) {
            Ok(mut stream) => {
                for item in stream.by_ref() {
                    seen.response_event(item);
                }
                seen.ended = stream.verdict().map(Into::into);
            }
            Err(err) => seen.fail(&err),
        },
        Flow::Final => seen.response(
            responses
                .create_stream(&request)
                .and_then(|s| s.into_response()),
        ),
        Flow::Create => seen.response(responses.create(&request)),
        Flow::MissingResponse => seen.response(responses.retrieve("resp_missing")),
        Flow::Tools(output) => {
            let mut asked = Vec::new();
            let tool = |call: &FunctionCall| {
                asked.push(call.arguments.clone());
                (*output).to_owned()
            };
            for item in responses.run_with_tools(&request, tool) {
                seen.response_event(item);
            }
            seen.tool_arguments = asked;
        }
        flow => panic!("{flow:?} is not a Responses flow"),
    }
}

fn play_chat(client: &Client, scenario: &Scenario, seen: &mut Outcome) {
    let mut request = ChatRequest::new("m").user(scenarios::USER_MESSAGE);
    if scenario.tools.as_array().is_some_and(|t| !t.is_empty()) {
        request = request.tools(scenario.tools.clone());
    }
    let chat = client.chat();
    match &scenario.flow {
        Flow::Stream => match chat.create_stream(&request) {
            Ok(mut stream) => {
                for item in stream.by_ref() {
                    seen.chat_event(item);
                }
                seen.ended = stream.verdict().map(Into::into);
            }
            Err(err) => seen.fail(&err),
        },
        Flow::Final => seen.completion(
            chat.create_stream(&request)
                .and_then(|s| s.into_completion()),
        ),
        Flow::Create => seen.completion(chat.create(&request)),
        Flow::Tools(output) => {
            let mut asked = Vec::new();
            let tool = |call: &ChatToolCall| {
                asked.push(call.arguments.clone());
                (*output).to_owned()
            };
            for item in chat.run_with_tools(&request, tool) {
                seen.chat_event(item);
            }
            seen.tool_arguments = asked;
        }
        flow => panic!("{flow:?} is not a Chat flow"),
    }
}

fn play(scenario: &Scenario) -> Outcome {
    let server = BlockingTestServer::start_with(scenario.script.clone(), scenario.dialect).unwrap();
    let mut timeouts = Timeouts::default();
    if let Some(ms) = scenario.idle_timeout_ms {
        timeouts = timeouts.idle(Duration::from_millis(ms));
    }
    let config = Config::new("sk-scenario").base_url(server.base_url());
    let client = Client::with_timeouts(config, timeouts).unwrap();
    let mut seen = Outcome::default();
    match scenario.api {
        Api::Responses => play_responses(&client, scenario, &mut seen),
        Api::Chat => play_chat(&client, scenario, &mut seen),
        Api::Assistants => play_assistants(&client, scenario, &mut seen),
    }
    seen
}

fn play_assistants(client: &Client, scenario: &Scenario, seen: &mut Outcome) {
    let assistant = client
        .assistants()
        .create(serde_json::json!({"model": "m", "tools": scenario.tools}))
        .unwrap();
    let thread = client.threads().create().unwrap();
    client
        .threads()
        .messages()
        .create(&thread.id, scenarios::USER_MESSAGE)
        .unwrap();
    let mut thread_id = thread.id.clone();
    match &scenario.flow {
        Flow::Stream => match client
            .threads()
            .runs()
            .create_stream(&thread.id, &assistant.id)
        {
            Ok(stream) => read(stream, seen),
            Err(err) => seen.failures.push(Failure::of(&err)),
        },
        Flow::MissingThread => match client
            .threads()
            .runs()
            .create_stream("thread_missing", &assistant.id)
        {
            Ok(stream) => read(stream, seen),
            Err(err) => seen.failures.push(Failure::of(&err)),
        },
        Flow::ThreadAndRun => {
            let stream = client
                .threads()
                .create_and_run_stream(&assistant.id, &[scenarios::USER_MESSAGE])
                .unwrap();
            for item in stream {
                if let Ok(
                    streaming_assistants_core::assistants::event::StreamEvent::ThreadCreated(t),
                ) = &item
                {
                    thread_id.clone_from(&t.id);
                }
                record(item, seen);
            }
        }
        Flow::Tools(output) => {
            let mut asked = Vec::new();
            let tool = |call: &RequiredToolCall| {
                asked.push(
                    call.function
                        .clone()
                        .and_then(|f| f.arguments)
                        .unwrap_or_default(),
                );
                (*output).to_owned()
            };
            for item in client
                .threads()
                .runs()
                .run_with_tools(&thread.id, &assistant.id, tool)
            {
                record(item, seen);
            }
            seen.tool_arguments = asked;
        }
        Flow::Legacy => {
            let mut stream = client
                .threads()
                .runs()
                .legacy_stream(&thread.id, &assistant.id, Duration::from_millis(5))
                .unwrap();
            for piece in stream.by_ref() {
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
        seen.status = client
            .threads()
            .runs()
            .list(&thread_id)
            .unwrap()
            .data
            .first()
            .map(|run| run.status.clone());
    }
}

#[test]
fn every_scenario_of_every_api_through_the_sync_client() {
    for scenario in scenarios::all() {
        scenario.check(&play(&scenario));
    }
}
