//! `run --api responses` and `demo --api responses`: a Responses stream printed as it arrives
//! (the reply on stdout, calls and diagnostics on stderr), with the exit codes of `run`.

use std::io::{self, Write};
use std::process::ExitCode;

use serde_json::Value;
use streaming_assistants_core::responses::{Accumulator, EventType, FunctionCall, ResponseEvent};
use streaming_assistants_sync::{Client, Config, ResponseRequest};

use crate::flush::{self, Sink};
use crate::report::Report;
use crate::terminal::{paint, Style};
use crate::tool_command::ToolCommand;

/// Prints a Responses stream: text deltas on stdout (flushed by the caller), and remembers how
/// it ended.
pub(crate) struct Printer<W: Write> {
    out: W,
    ended_with_newline: bool,
    status: Option<String>,
    error: Option<String>,
    calls: Vec<FunctionCall>,
    report: Report,
    /// `--snapshot`: the response accumulated instead of the text printed.
    snapshot: Option<Accumulator>,
    /// `--snapshot` over a WebSocket: the lane's final response, which prevails.
    lane_response: Option<Value>,
}

impl<W: Write> Printer<W> {
    pub(crate) fn new(out: W, verbose: bool) -> Self {
        Printer {
            out,
            ended_with_newline: true,
            status: None,
            error: None,
            calls: Vec::new(),
            report: Report::new(verbose),
            snapshot: None,
            lane_response: None,
        }
    }

    /// The final response as the WebSocket lane accumulated it (with openai-python's fallback
    /// for servers that leave out set-up events): what `--snapshot` prints.
    pub(crate) fn lane_response(&mut self, response: Option<Value>) {
        self.lane_response = response;
    }

    /// `--snapshot`: print the final `Response` as one JSON line instead of the text.
    pub(crate) fn snapshot(mut self, on: bool) -> Self {
        self.snapshot = on.then(Accumulator::new);
        self
    }

    pub(crate) fn event(&mut self, event: &ResponseEvent) -> io::Result<()> {
        self.report.event();
        if let Some(acc) = &mut self.snapshot {
            if event.kind == EventType::Created {
                // A new leg of the tool loop: the final response is the last leg's.
                *acc = Accumulator::new();
            }
            // An event the accumulator cannot place leaves the snapshot as it was.
            let _ = acc.apply(event);
        } else if let Some(text) = event.output_text_delta().filter(|t| !t.is_empty()) {
            self.out.write_all(text.as_bytes())?;
            self.ended_with_newline = text.ends_with('\n');
        }
        if event.kind == EventType::OutputItemDone {
            if let Some(call) = event.item.as_ref().and_then(FunctionCall::from_item) {
                self.calls.push(call);
            }
        }
        if event.kind == EventType::Created {
            // A new leg of the tool loop: the calls before it were answered.
            self.calls.clear();
        }
        if event.kind.is_lifecycle() {
            let response = event.response.as_ref();
            let field = |path: &[&str]| {
                let mut value = response?;
                for key in path {
                    value = value.get(key)?;
                }
                value.as_str().map(str::to_owned)
            };
            self.status = field(&["status"]);
            if let Some(usage) = response
                .and_then(|r| r.get("usage"))
                .filter(|_| event.kind.is_terminal())
            {
                self.report.usage(usage);
            }
            self.error = field(&["error", "message"]).or(field(&["incomplete_details", "reason"]));
        }
        Ok(())
    }

    /// A tool call answered locally (the demo's tool loop).
    pub(crate) fn answered(&mut self, call: &FunctionCall) -> io::Result<()> {
        self.out.flush()?;
        self.calls.retain(|c| c.call_id != call.call_id);
        Ok(())
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub(crate) fn end_line(&mut self) -> io::Result<()> {
        if let Some(acc) = self.snapshot.take() {
            // Once, at the end or before an error: what arrived, as `replay --snapshot` prints it.
            let snapshot = acc.into_snapshot();
            let response = match (self.lane_response.take(), snapshot.response()) {
                (Some(response), _) => response,
                (None, Some(_)) => snapshot.into_response().to_value(),
                (None, None) => Value::Null,
            };
            serde_json::to_writer(&mut self.out, &response)?;
            self.out.write_all(b"\n")?;
        }
        if !self.ended_with_newline {
            self.out.write_all(b"\n")?;
            self.ended_with_newline = true;
        }
        self.out.flush()
    }

    /// 0 completed; 1 failed, incomplete or cancelled; 3 function calls wait for outputs.
    pub(crate) fn finish(mut self) -> io::Result<ExitCode> {
        self.end_line()?;
        self.report.print();
        let status = self.status.take().unwrap_or_default();
        if status == "completed" && !self.calls.is_empty() {
            for call in &self.calls {
                let line = format!(
                    "[function call] {}({}) call_id {}",
                    call.name, call.arguments, call.call_id
                );
                eprintln!("{}", paint(Style::Step, &line));
            }
            return Ok(ExitCode::from(3));
        }
        if status == "completed" {
            return Ok(ExitCode::SUCCESS);
        }
        let why = self.error.unwrap_or_else(|| "(no details)".into());
        let line = format!("streaming-assistants run: the response ended {status}: {why}");
        eprintln!("{}", paint(Style::Error, &line));
        Ok(ExitCode::FAILURE)
    }
}

impl<W: Write> Sink<ResponseEvent> for Printer<W> {
    fn event(&mut self, event: &ResponseEvent) -> io::Result<()> {
        Printer::event(self, event)
    }
    fn flush(&mut self) -> io::Result<()> {
        Printer::flush(self)
    }
    fn end_line(&mut self) -> io::Result<()> {
        Printer::end_line(self)
    }
}

/// The request `run` sends: the message, the model, tools from `--tools` if given.
pub(crate) fn request(model: &str, message: &str, tools: Option<Value>) -> ResponseRequest {
    let request = ResponseRequest::new(model).input(message);
    match tools {
        Some(tools) => request.tools(tools),
        None => request,
    }
}

/// `run --api responses` on the sync client; with `--tool-command`, the tool loop.
pub(crate) fn run_sync(
    config: Config,
    request: &ResponseRequest,
    tool: Option<&ToolCommand>,
    (verbose, snapshot): (bool, bool),
) -> Result<ExitCode, String> {
    let client = Client::new(config).map_err(|e| e.to_string())?;
    let mut printer =
        Printer::new(io::BufWriter::new(io::stdout().lock()), verbose).snapshot(snapshot);
    match tool {
        Some(tool) => {
            let answer =
                |call: &FunctionCall| tool.answer(&call.name, &call.call_id, &call.arguments);
            flush::print(
                &mut printer,
                client.responses().run_with_tools(request, answer),
            )?;
        }
        None => {
            let stream = client
                .responses()
                .create_stream(request)
                .map_err(|e| e.to_string())?;
            flush::print(&mut printer, stream)?;
        }
    }
    printer.finish().map_err(|e| e.to_string())
}

/// `run --api responses --transport async`.
pub(crate) fn run_async(
    config: Config,
    request: &ResponseRequest,
    tool: Option<&ToolCommand>,
    (verbose, snapshot): (bool, bool),
) -> Result<ExitCode, String> {
    use streaming_assistants_async as client_async;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let client = client_async::Client::new(config).map_err(|e| e.to_string())?;
        let mut printer =
            Printer::new(io::BufWriter::new(io::stdout().lock()), verbose).snapshot(snapshot);
        match tool {
            Some(tool) => {
                let answer = async |call: &FunctionCall| {
                    // Waits once, so the printer flushes the leg's text before the tool runs.
                    tokio::task::yield_now().await;
                    tool.answer(&call.name, &call.call_id, &call.arguments)
                };
                let events = client.responses().run_with_tools(request, answer);
                flush::print_async(&mut printer, events).await?;
            }
            None => {
                let stream = client.responses().create_stream(request).await;
                let stream = stream.map_err(|e| e.to_string())?;
                flush::print_async(&mut printer, stream).await?;
            }
        }
        printer.finish().map_err(|e| e.to_string())
    })
}

/// `demo --api responses`: the tool loop against the test server, the tool answered locally.
pub(crate) fn demo(base_url: &str) -> Result<ExitCode, String> {
    let client =
        Client::new(Config::new("demo-key").base_url(base_url)).map_err(|e| e.to_string())?;
    let tools = serde_json::json!([{"type": "function", "name": "get_weather",
        "description": "Current weather in a city",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}}}]);
    let request = request("scripted", "What's the weather in Paris?", Some(tools));
    eprintln!(
        "{}",
        paint(Style::Dim, "[demo] user: What's the weather in Paris?")
    );
    let mut printer = Printer::new(io::stdout().lock(), false);
    let mut answered = Vec::new();
    let events = client.responses().run_with_tools(&request, |call| {
        let line = format!(
            "[demo] the model calls {}({}); answering locally",
            call.name, call.arguments
        );
        eprintln!("{}", paint(Style::Step, &line));
        answered.push(call.clone());
        "sunny, 21°C".to_owned()
    });
    for event in events {
        let event = event.map_err(|e| e.to_string())?;
        printer.event(&event).map_err(|e| e.to_string())?;
        printer.flush().map_err(|e| e.to_string())?;
    }
    for call in &answered {
        printer.answered(call).map_err(|e| e.to_string())?;
    }
    printer.finish().map_err(|e| e.to_string())
}
