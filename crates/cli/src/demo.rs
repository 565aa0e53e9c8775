//! `streaming-assistants demo`: the whole flow, offline.

use crate::choice::Api;
use std::process::ExitCode;

use serde_json::json;
use streaming_assistants_sync::{Client, Config};
use streaming_assistants_testserver::{BlockingTestServer, Delivery, Script};

use crate::terminal::{paint, Style};

pub(crate) const AFTER_HELP: &str = "\
Starts the built-in test server on 127.0.0.1 with its default script, creates an assistant with
one local function tool (get_weather), and streams a run through the sync client: the model calls
the tool, the demo answers it locally, and the reply streams to stdout as it arrives. No key and
no network needed.

With --api responses, the same through the Responses API: the model calls the tool in one
response, the demo answers it with a `function_call_output` item in the next. With --api chat,
through Chat Completions: the tool's output goes back as a `tool` message. With --api responses
--websocket, the Responses tool loop over one WebSocket: both turns on one connection, the
second sending only the tool's output with `previous_response_id`.

Examples:
  streaming-assistants demo
  streaming-assistants demo --api responses
  streaming-assistants demo --api chat
  streaming-assistants demo --api responses --websocket

Exit codes: 0 the run completed; 1 anything failed.";

/// Arguments of `demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The API to show, each with its tool loop.
    #[arg(long, value_enum, default_value_t = Api::Assistants)]
    api: Api,
    /// `--api responses`: the tool loop over one WebSocket.
    #[arg(long)]
    websocket: bool,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    if args.websocket && args.api != Api::Responses {
        let line = "streaming-assistants demo: --websocket is the Responses API's WebSocket mode \
                    (--api responses)";
        eprintln!("{}", paint(Style::Error, line));
        return ExitCode::from(2);
    }
    // The default script, paced so that the reply visibly streams.
    let paced = Delivery {
        pause_ms: Some(60),
        ..Delivery::default()
    };
    let server = match BlockingTestServer::start(Script::new().default_delivery(paced)) {
        Ok(server) => server,
        Err(err) => {
            eprintln!(
                "{}",
                paint(
                    Style::Error,
                    &format!("streaming-assistants demo: cannot start the test server: {err}")
                )
            );
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "{}",
        paint(
            Style::Dim,
            &format!("[demo] test server at {}", server.base_url())
        )
    );
    if args.api != Api::Assistants {
        let result = if args.api == Api::Chat {
            crate::run_chat::demo(&server.base_url())
        } else if args.websocket {
            crate::run_websocket::demo(&server.base_url())
        } else {
            crate::run_responses::demo(&server.base_url())
        };
        drop(server);
        return match result {
            Ok(code) => code,
            Err(err) => {
                eprintln!(
                    "{}",
                    paint(Style::Error, &format!("streaming-assistants demo: {err}"))
                );
                ExitCode::FAILURE
            }
        };
    }
    let result = (|| {
        let client = Client::new(Config::new("demo-key").base_url(server.base_url()))
            .map_err(|e| e.to_string())?;
        let assistant = client.assistants().create(json!({
            "model": "scripted", "name": "Weather bot",
            "tools": [{"type": "function", "function": {"name": "get_weather",
                "description": "Current weather in a city",
                "parameters": {"type": "object", "properties": {"location": {"type": "string"}}}}}]
        }))
        .map_err(|e| e.to_string())?;
        let thread = client.threads().create().map_err(|e| e.to_string())?;
        client
            .threads()
            .messages()
            .create(&thread.id, "What's the weather in Paris?")
            .map_err(|e| e.to_string())?;
        eprintln!(
            "{}",
            paint(Style::Dim, "[demo] user: What's the weather in Paris?")
        );
        let events = client
            .threads()
            .runs()
            .run_with_tools(&thread.id, &assistant.id, |call| {
                let arguments = call
                    .function
                    .as_ref()
                    .and_then(|f| f.arguments.clone())
                    .unwrap_or_default();
                let line =
                    format!("[demo] the model calls get_weather({arguments}); answering locally");
                eprintln!("{}", paint(Style::Step, &line));
                "sunny, 21°C".to_owned()
            });
        crate::run::print_stream(crate::run::Printer::new(false), events)
    })();
    drop(server);
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!(
                "{}",
                paint(Style::Error, &format!("streaming-assistants demo: {err}"))
            );
            ExitCode::FAILURE
        }
    }
}
