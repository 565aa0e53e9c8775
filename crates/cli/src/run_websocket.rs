//! `run --api responses --websocket` and `demo --api responses --websocket`: the Responses API
//! over one WebSocket, printed as the SSE flow prints it (the same printer, exit codes and
//! `--snapshot`), with `--tool-command` answering every turn over the one connection. The flow
//! is written once, in async form; the sync client runs its `sync_twin!`.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use streaming_assistants_core::drive::Error;
use streaming_assistants_core::responses::{
    EventType, FunctionCall, ResponseEvent, ResponseRequest,
};
use streaming_assistants_sync::Config;

use crate::choice::Transport;
use crate::run_responses::Printer;
use crate::terminal::{paint, Style};
use crate::tool_command::ToolCommand;

/// What `-v` adds for the WebSocket: turns, connections, and each turn's time to first token
/// (from its create sent to its first delta).
#[derive(Debug, Default)]
pub(crate) struct Turns {
    sent: Option<Instant>,
    first_token: Vec<Option<Duration>>,
}

impl Turns {
    fn event(&mut self, event: &ResponseEvent, sent: Option<Instant>) {
        if event.kind == EventType::Created {
            self.sent = sent;
            self.first_token.push(None);
        }
        let delta = event.kind.as_str().ends_with(".delta");
        if let (true, Some(sent), Some(slot @ None)) =
            (delta, self.sent, self.first_token.last_mut())
        {
            *slot = Some(sent.elapsed());
        }
    }

    /// `[websocket] 2 turns on 1 connection; first token after 4 ms, 3 ms`
    fn print(&self, connections: u32) {
        let turns = self.first_token.len();
        let times: Vec<String> = self
            .first_token
            .iter()
            .map(|t| t.map_or_else(|| "-".to_owned(), |t| format!("{} ms", t.as_millis())))
            .collect();
        let line = format!(
            "[websocket] {turns} turn{} on {connections} connection{}; first token after {}",
            if turns == 1 { "" } else { "s" },
            if connections == 1 { "" } else { "s" },
            times.join(", ")
        );
        eprintln!("{}", paint(Style::Dim, &line));
    }
}

/// Prints one event (each text flushed as it comes: a frame is one arrival).
fn show<W: Write>(
    printer: &mut Printer<W>,
    turns: &mut Turns,
    event: Result<ResponseEvent, Error>,
    sent: Option<Instant>,
) -> Result<(), String> {
    match event {
        Ok(event) => {
            turns.event(&event, sent);
            printer.event(&event).map_err(|e| e.to_string())?;
            if event.output_text_delta().is_some() {
                printer.flush().map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        Err(err) => {
            let _ = printer.end_line();
            Err(err.to_string())
        }
    }
}

/// Where the flow's tool outputs come from: `--tool-command`, or the demo's local answer.
pub(crate) enum Tool<'a> {
    Command(&'a ToolCommand),
    Demo,
}

impl Tool<'_> {
    fn answer(&self, call: &FunctionCall) -> String {
        match self {
            Tool::Command(tool) => tool.answer(&call.name, &call.call_id, &call.arguments),
            Tool::Demo => {
                let line = format!(
                    "[demo] the model calls {}({}); answering locally",
                    call.name, call.arguments
                );
                eprintln!("{}", paint(Style::Step, &line));
                "sunny, 21°C".to_owned()
            }
        }
    }
}

/// The flow, in async form: connect once, then one create (or the tool loop), every event
/// printed. Returns how many connections were opened.
macro_rules! flow {
    ($twin:path) => {
        $twin! {
            pub(super) async fn drive<W: Write>(
                client: &Client,
                request: &ResponseRequest,
                tool: Option<&Tool<'_>>,
                printer: &mut Printer<W>,
                turns: &mut Turns,
            ) -> Result<u32, String> {
                let mut connection = client.responses().connect().await.map_err(|e| e.to_string())?;
                match tool {
                    Some(tool) => {
                        let answer = async |call: &FunctionCall| tool.answer(call);
                        let mut events = connection.run_with_tools(request, answer);
                        loop {
                            let Some(event) = events.next().await else { break };
                            show(printer, turns, event, events.turn_sent_at())?;
                        }
                    }
                    None => {
                        let sent = Some(Instant::now());
                        let mut events = connection.create(request).await.map_err(|e| e.to_string())?;
                        loop {
                            let Some(event) = events.next().await else { break };
                            show(printer, turns, event, sent)?;
                        }
                    }
                }
                let lane = connection.default_lane();
                printer.lane_response(connection.response(&lane).map(|r| r.to_value()));
                Ok(connection.connections_opened())
            }
        }
    };
}

/// Emits its tokens as they are (the async form).
macro_rules! as_written {
    ($($tokens:tt)*) => { $($tokens)* };
}

mod blocking {
    use super::*;
    use streaming_assistants_sync::Client;
    flow!(streaming_assistants_testserver::sync_twin);
}

mod nonblocking {
    use super::*;
    use streaming_assistants_async::Client;
    flow!(as_written);
}

/// `run --api responses --websocket` on either transport; `--verbose` adds the turns line.
pub(crate) fn run(
    config: Config,
    request: &ResponseRequest,
    transport: Transport,
    tool: Option<Tool<'_>>,
    verbose: bool,
    snapshot: bool,
) -> Result<ExitCode, String> {
    let mut printer =
        Printer::new(io::BufWriter::new(io::stdout().lock()), verbose).snapshot(snapshot);
    let mut turns = Turns::default();
    let opened = match transport {
        Transport::Sync => {
            let client =
                streaming_assistants_sync::Client::new(config).map_err(|e| e.to_string())?;
            blocking::drive(&client, request, tool.as_ref(), &mut printer, &mut turns)
        }
        Transport::Async => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the runtime: {e}"))?;
            runtime.block_on(async {
                let client =
                    streaming_assistants_async::Client::new(config).map_err(|e| e.to_string())?;
                nonblocking::drive(&client, request, tool.as_ref(), &mut printer, &mut turns).await
            })
        }
    }?;
    let code = printer.finish().map_err(|e| e.to_string())?;
    if verbose {
        turns.print(opened);
    }
    Ok(code)
}

/// `demo --api responses --websocket`: the tool loop over one WebSocket to the test server,
/// the tool answered locally; the turns line on stderr says it took one connection.
pub(crate) fn demo(base_url: &str) -> Result<ExitCode, String> {
    let config = Config::new("demo-key").base_url(base_url);
    let tools = serde_json::json!([{"type": "function", "name": "get_weather",
        "description": "Current weather in a city",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}}}]);
    let question = "What's the weather in Paris?";
    let request = crate::run_responses::request("scripted", question, Some(tools));
    eprintln!("{}", paint(Style::Dim, &format!("[demo] user: {question}")));
    run(
        config,
        &request,
        Transport::Sync,
        Some(Tool::Demo),
        true,
        false,
    )
}
