//! `run --api chat` and `demo --api chat`: a chat completion printed as it arrives (choice 0's
//! content on stdout), with the exit codes of `run`.

use std::io::{self, Write};
use std::process::ExitCode;

use serde_json::Value;
use streaming_assistants_core::chat::{Accumulator, Chat, ChatEvent, Rule};
use streaming_assistants_core::protocol::Protocol;
use streaming_assistants_sync::{ChatRequest, Client, Config, Error};

use crate::terminal::{paint, Style};

/// Prints choice 0's content, accumulates the completion (lenient rule) for the exit code.
struct Printer<W: Write> {
    out: W,
    ended_with_newline: bool,
    acc: Accumulator,
}

impl<W: Write> Printer<W> {
    fn new(out: W) -> Self {
        Printer {
            out,
            ended_with_newline: true,
            acc: Accumulator::new(Rule::Lenient),
        }
    }

    fn event(&mut self, event: &ChatEvent) -> io::Result<()> {
        if let Some(text) = event.content().filter(|t| !t.is_empty()) {
            self.out.write_all(text.as_bytes())?;
            self.ended_with_newline = text.ends_with('\n');
        }
        Chat::apply_event(&mut self.acc, event);
        Ok(())
    }

    fn end_line(&mut self) -> io::Result<()> {
        if !self.ended_with_newline {
            self.out.write_all(b"\n")?;
            self.ended_with_newline = true;
        }
        self.out.flush()
    }

    /// 0 a final answer; 3 tool calls wait for outputs (printed on stderr).
    fn finish(mut self) -> io::Result<ExitCode> {
        self.end_line()?;
        let completion = self.acc.completion().unwrap_or_default();
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
        Ok(if calls.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(3)
        })
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

/// `run --api chat` (sync transport; `--transport async` the same on reqwest).
pub(crate) fn run(
    config: Config,
    request: &ChatRequest,
    transport: &str,
) -> Result<ExitCode, String> {
    let mut printer = Printer::new(io::BufWriter::new(io::stdout().lock()));
    let handle = |printer: &mut Printer<_>, event: Result<ChatEvent, String>| match event {
        Ok(event) => printer.event(&event).map_err(|e| e.to_string()),
        Err(err) => {
            let _ = printer.end_line();
            Err(err)
        }
    };
    if transport == "async" {
        use streaming_assistants_async as client_async;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))?;
        runtime.block_on(async {
            let client = client_async::Client::new(config).map_err(|e| e.to_string())?;
            let mut stream = client
                .chat()
                .create_stream(request)
                .await
                .map_err(|e| e.to_string())?;
            while let Some(event) = stream.next().await {
                handle(&mut printer, event.map_err(|e| e.to_string()))?;
                printer.out.flush().map_err(|e| e.to_string())?;
            }
            Ok::<(), String>(())
        })?;
    } else {
        let client = Client::new(config);
        let mut stream = client
            .chat()
            .create_stream(request)
            .map_err(|e| e.to_string())?;
        loop {
            while let Some(event) = stream.next_buffered() {
                handle(&mut printer, event.map_err(|e: Error| e.to_string()))?;
            }
            printer.out.flush().map_err(|e| e.to_string())?;
            match stream.next() {
                Some(event) => handle(&mut printer, event.map_err(|e| e.to_string()))?,
                None => break,
            }
        }
    }
    printer.finish().map_err(|e| e.to_string())
}

/// `demo --api chat`: the tool loop against the test server, the tool answered locally.
pub(crate) fn demo(base_url: &str) -> Result<ExitCode, String> {
    let client = Client::new(Config::new("demo-key").base_url(base_url));
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
