//! `run --api chat` and `demo --api chat`: a chat completion printed as it arrives (choice 0's
//! content on stdout), with the exit codes of `run`.

use crate::choice::Transport;
use std::io::{self, Write};
use std::process::ExitCode;

use serde_json::Value;
use streaming_assistants_core::chat::ChatToolCall;
use streaming_assistants_core::chat::{Accumulator, ChatEvent, Rule};
use streaming_assistants_sync::{ChatRequest, Client, Config};

use crate::flush::{self, Sink};
use crate::report::Report;
use crate::terminal::{paint, Style};
use crate::tool_command::ToolCommand;
use streaming_assistants_core::wire::protocol::Accumulate;

/// Prints choice 0's content, accumulates the completion (lenient rule) for the exit code.
struct Printer<W: Write> {
    out: W,
    ended_with_newline: bool,
    acc: Accumulator,
    /// The last leg's completion, once its `[DONE]` came (the tool loop streams several).
    last: Option<Value>,
    /// A chunk the accumulator could not place (said at the end: exit 1).
    rejected: Option<String>,
    report: Report,
    /// `--snapshot`: the final completion printed instead of the text.
    snapshot: bool,
}

impl<W: Write> Printer<W> {
    fn new(out: W, verbose: bool) -> Self {
        Printer {
            out,
            ended_with_newline: true,
            acc: Accumulator::new(Rule::Lenient),
            last: None,
            rejected: None,
            report: Report::new(verbose),
            snapshot: false,
        }
    }

    fn event(&mut self, event: &ChatEvent) -> io::Result<()> {
        self.report.event();
        if let Some(text) = event.content().filter(|t| !t.is_empty() && !self.snapshot) {
            self.out.write_all(text.as_bytes())?;
            self.ended_with_newline = text.ends_with('\n');
        }
        if let Err(err) = self.acc.apply_event(event) {
            self.rejected.get_or_insert(err.to_string());
        }
        if matches!(event, ChatEvent::Done) {
            let acc = std::mem::replace(&mut self.acc, Accumulator::new(Rule::Lenient));
            self.last = acc.completion();
            if let Some(usage) = self.last.as_ref().and_then(|c| c.get("usage")) {
                self.report.usage(usage);
            }
        }
        Ok(())
    }

    fn end_line(&mut self) -> io::Result<()> {
        if self.snapshot {
            // Once, at the end or before an error: the last leg's completion so far, as
            // `replay --snapshot` prints it (`null` if no chunk came).
            self.snapshot = false;
            let completion = self.acc.completion().or_else(|| self.last.clone());
            serde_json::to_writer(&mut self.out, &completion.unwrap_or(Value::Null))?;
            self.out.write_all(b"\n")?;
        }
        if !self.ended_with_newline {
            self.out.write_all(b"\n")?;
            self.ended_with_newline = true;
        }
        self.out.flush()
    }

    /// 0 a final answer; 3 tool calls wait for outputs (printed on stderr).
    fn finish(mut self) -> io::Result<ExitCode> {
        self.end_line()?;
        let unfinished = self.acc.completion();
        if let Some(usage) = unfinished.as_ref().and_then(|c| c.get("usage")) {
            self.report.usage(usage);
        }
        self.report.print();
        let completion = unfinished.or(self.last.take()).unwrap_or_default();
        let calls = completion["choices"][0]["message"]["tool_calls"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for call in &calls {
            let line = format!(
                "[tool call] {}({}) id {}",
                call["function"]["name"].as_str().unwrap_or("?"),
                call["function"]["arguments"].as_str().unwrap_or(""),
                call["id"].as_str().unwrap_or("?")
            );
            eprintln!("{}", paint(Style::Step, &line));
        }
        if let Some(why) = &self.rejected {
            let line = format!("streaming-assistants run: {why}");
            eprintln!("{}", paint(Style::Error, &line));
            return Ok(ExitCode::FAILURE);
        }
        Ok(if calls.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(3)
        })
    }
}

impl<W: Write> Sink<ChatEvent> for Printer<W> {
    fn event(&mut self, event: &ChatEvent) -> io::Result<()> {
        Printer::event(self, event)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
    fn end_line(&mut self) -> io::Result<()> {
        Printer::end_line(self)
    }
}

/// The request `run` sends.
pub(crate) fn request(model: &str, message: &str, tools: Option<Value>) -> ChatRequest {
    let request = ChatRequest::new(model).user(message);
    match tools {
        Some(tools) => request.tools(tools),
        None => request,
    }
}

/// `run --api chat` (sync transport; `--transport async` the same on reqwest); with
/// `--tool-command`, the tool loop.
pub(crate) fn run(
    config: Config,
    request: &ChatRequest,
    transport: Transport,
    tool: Option<&ToolCommand>,
    (verbose, snapshot): (bool, bool),
) -> Result<ExitCode, String> {
    let mut printer = Printer::new(io::BufWriter::new(io::stdout().lock()), verbose);
    printer.snapshot = snapshot;
    let answer = |call: &ChatToolCall| match tool {
        Some(tool) => tool.answer(&call.name, &call.id, &call.arguments),
        None => String::new(),
    };
    if transport == Transport::Async {
        use streaming_assistants_async as client_async;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))?;
        runtime.block_on(async {
            let client = client_async::Client::new(config).map_err(|e| e.to_string())?;
            if tool.is_some() {
                let answer = async |call: &ChatToolCall| {
                    // Waits once, so the printer flushes the leg's text before the tool runs.
                    tokio::task::yield_now().await;
                    answer(call)
                };
                let events = client.chat().run_with_tools(request, answer);
                flush::print_async(&mut printer, events).await
            } else {
                let stream = client.chat().create_stream(request).await;
                let stream = stream.map_err(|e| e.to_string())?;
                flush::print_async(&mut printer, stream).await
            }
        })?;
    } else {
        let client = Client::new(config).map_err(|e| e.to_string())?;
        if tool.is_some() {
            flush::print(&mut printer, client.chat().run_with_tools(request, answer))?;
        } else {
            let stream = client.chat().create_stream(request);
            flush::print(&mut printer, stream.map_err(|e| e.to_string())?)?;
        }
    }
    printer.finish().map_err(|e| e.to_string())
}

/// `demo --api chat`: the tool loop against the test server, the tool answered locally.
pub(crate) fn demo(base_url: &str) -> Result<ExitCode, String> {
    let client =
        Client::new(Config::new("demo-key").base_url(base_url)).map_err(|e| e.to_string())?;
    let tools = serde_json::json!([{"type": "function", "function": {"name": "get_weather",
        "description": "Current weather in a city",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}}}}]);
    let request = request("scripted", "What's the weather in Paris?", Some(tools));
    eprintln!(
        "{}",
        paint(Style::Dim, "[demo] user: What's the weather in Paris?")
    );
    let mut out = io::stdout().lock();
    let mut ended_with_newline = true;
    let events = client.chat().run_with_tools(&request, |call| {
        let line = format!(
            "[demo] the model calls {}({}); answering locally",
            call.name, call.arguments
        );
        eprintln!("{}", paint(Style::Step, &line));
        "sunny, 21°C".to_owned()
    });
    for event in events {
        let event = event.map_err(|e| e.to_string())?;
        if let Some(text) = event.content().filter(|t| !t.is_empty()) {
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
            out.flush().map_err(|e| e.to_string())?;
            ended_with_newline = text.ends_with('\n');
        }
    }
    if !ended_with_newline {
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    Ok(ExitCode::SUCCESS)
}
