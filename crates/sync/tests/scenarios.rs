//! The shared loopback scenarios (`streaming_assistants_testserver::scenarios`), played by the
//! sync client.

use std::time::Duration;

use streaming_assistants_core::assistants::types::RequiredToolCall;
use streaming_assistants_sync::{Assistants, Client, Config, Error, EventStream, Timeouts};
use streaming_assistants_testserver::scenarios::{self, Failure, Flow, Outcome, Scenario};
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

fn play(scenario: &Scenario) -> Outcome {
    let server = BlockingTestServer::start_with(scenario.script.clone(), scenario.dialect).unwrap();
    let mut timeouts = Timeouts::default();
    if let Some(ms) = scenario.idle_timeout_ms {
        timeouts = timeouts.idle(Duration::from_millis(ms));
    }
    let config = Config::new("sk-scenario").base_url(server.base_url());
    let client = Client::with_timeouts(config, timeouts).unwrap();
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
    let mut seen = Outcome::default();
    let mut thread_id = thread.id.clone();
    match &scenario.flow {
        Flow::Stream => match client
            .threads()
            .runs()
            .create_stream(&thread.id, &assistant.id)
        {
            Ok(stream) => read(stream, &mut seen),
            Err(err) => seen.failures.push(Failure::of(&err)),
        },
        Flow::MissingThread => match client
            .threads()
            .runs()
            .create_stream("thread_missing", &assistant.id)
        {
            Ok(stream) => read(stream, &mut seen),
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
                record(item, &mut seen);
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
                record(item, &mut seen);
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
    seen
}

#[test]
fn every_scenario_through_the_sync_client() {
    for scenario in scenarios::all() {
        scenario.check(&play(&scenario));
    }
}
