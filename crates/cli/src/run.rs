//! `streaming-assistants run`: stream a run, the reply on stdout as it arrives.

use crate::choice::{Api, Transport};
use crate::report::Report;
use std::io::{self, Write};
use std::process::ExitCode;

use streaming_assistants_core::assistants::event::StreamEvent;
use streaming_assistants_core::assistants::types::RunStatus;
use streaming_assistants_sync::{Assistants, Client, Config, Error, EventStream};

use crate::flush;
use crate::terminal::{paint, Spinner, Style};
use crate::tool_command::ToolCommand;

pub(crate) const AFTER_HELP: &str = "\
stdout carries only the reply text, flushed as it arrives; tool calls, usage and
diagnostics go to stderr. The key comes from --api-key or OPENAI_API_KEY (with OPENAI_BASE_URL,
OPENAI_ORG_ID, OPENAI_PROJECT_ID, ASTRA_DB_APPLICATION_TOKEN); it never appears in any output.

Examples:
  streaming-assistants run --assistant asst_abc \"What's the weather in Paris?\"
  streaming-assistants run --base-url http://127.0.0.1:8080/v1 --api-key sk-x --assistant asst_abc --thread thread_abc \"Hi\"
  streaming-assistants run --api responses --model gpt-4o-mini \"What's the weather in Paris?\"
  streaming-assistants run --api chat --model llama3 --base-url http://localhost:11434/v1 \"Hi\"
  streaming-assistants run --api responses --model gpt-4o-mini --tools tools.json --tool-command ./weather.sh \"Weather in Paris?\"
  streaming-assistants run --api responses --websocket --model gpt-4o-mini --tools tools.json --tool-command ./weather.sh \"Weather in Paris?\"
  streaming-assistants run --api chat --model llama3 --snapshot \"Hi\"

--websocket (Responses only) opens one WebSocket to the base URL's /responses (http becomes ws,
https wss; a ws:// or wss:// base is taken as it is) with the same headers, and runs every turn
of a --tool-command loop on it: each turn sends only the tool outputs with previous_response_id.
--verbose adds `[websocket] N turns on C connection(s); first token after X ms, ...` (one time
per turn, from its create sent to its first delta; `-` if none).

--snapshot prints the final object as one JSON line on stdout instead of the text: the run with
its steps and messages, the `Response` (the last turn's), or the `ChatCompletion`, as
`replay --snapshot` does; on an error, what arrived so far.

While it waits for the first event, a spinner turns on stderr, and diagnostics are colored,
only when stderr is a terminal (and NO_COLOR is unset). --verbose adds token usage and timings
on stderr at the end.

Exit codes: 0 the run (or response) completed; 1 an API error, a failed, cancelled, expired or
incomplete run or response, an `error` event (WebSocket: an `error` frame, message and code on
stderr), a truncated stream (the text so far stays on stdout; Chat: no `[DONE]` or an error
payload; WebSocket: a close, even a clean close frame, or a drop before the terminal event), a
refused WebSocket upgrade (its status and message on stderr), or an unreachable server; 3 the run requires
action, or the response or completion ends with tool calls (printed on stderr; with
--tool-command they are answered and the loop goes on); 2 bad flags.";

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The client; both print the same bytes.
    #[arg(long, value_enum, default_value_t = Transport::Sync)]
    pub(crate) transport: Transport,
    /// The server's base URL (default: OPENAI_BASE_URL, else https://api.openai.com/v1).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The API key (default: OPENAI_API_KEY).
    #[arg(long, value_name = "KEY")]
    api_key: Option<String>,
    /// The API: a run of --assistant on a thread, or a reply of --model.
    #[arg(long, value_enum, default_value_t = Api::Assistants)]
    api: Api,
    /// The assistant to run (`--api assistants`).
    #[arg(long, value_name = "ID", required_if_eq("api", "assistants"))]
    assistant: Option<String>,
    /// The model (`--api responses` or `chat`).
    #[arg(long, value_name = "MODEL", required_if_eq_any([("api", "responses"), ("api", "chat")]))]
    model: Option<String>,
    /// Tools for `--api responses` or `chat`, as a JSON file holding the request's `tools`
    /// list.
    #[arg(long, value_name = "FILE.json")]
    tools: Option<std::path::PathBuf>,
    /// Answer tool calls (`--api responses` or `chat`) by running CMD with `sh -c`, once per
    /// call: the call's arguments (JSON) on its stdin, TOOL_NAME and TOOL_CALL_ID in its
    /// environment; its stdout is the output sent back, and the loop goes on to the final
    /// answer. Without it, a reply that ends with tool calls exits 3.
    #[arg(long, value_name = "CMD")]
    tool_command: Option<String>,
    /// Responses and Chat: ask for structured output described by this JSON schema (strict),
    /// and print the final parsed object (one JSON line) on stdout instead of the text.
    #[arg(long, value_name = "FILE.json", conflicts_with = "tool_command")]
    schema: Option<std::path::PathBuf>,
    /// `--api responses`: over one WebSocket (`{base}/responses` as ws/wss) instead of a
    /// POST per response; with --tool-command, every turn of the loop on that one connection.
    #[arg(long, conflicts_with = "schema")]
    websocket: bool,
    /// Print the final object as one JSON line on stdout instead of the text (the run with its
    /// steps and messages, the `Response`, the `ChatCompletion`), as `replay --snapshot` does.
    #[arg(long, conflicts_with = "schema")]
    snapshot: bool,
    /// The thread to post to (default: a new thread).
    #[arg(long, value_name = "ID")]
    thread: Option<String>,
    /// Print token usage and timings on stderr at the end.
    #[arg(long, short)]
    verbose: bool,
    /// The message to post.
    message: String,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    if args.api == Api::Assistants && args.schema.is_some() {
        let line = "streaming-assistants run: --schema asks --api responses or chat for \
                    structured output";
        eprintln!("{}", paint(Style::Error, line));
        return ExitCode::from(2);
    }
    if args.websocket && args.api != Api::Responses {
        let line = "streaming-assistants run: --websocket is the Responses API's WebSocket mode \
                    (--api responses)";
        eprintln!("{}", paint(Style::Error, line));
        return ExitCode::from(2);
    }
    if args.api == Api::Assistants && args.tool_command.is_some() {
        let line = "streaming-assistants run: --tool-command answers --api responses and chat \
                    calls; an Assistants run that requires action exits 3";
        eprintln!("{}", paint(Style::Error, line));
        return ExitCode::from(2);
    }
    let mut config = Config::from_env();
    // Only the key: the organization, project and Astra headers from the environment stay.
    if let Some(key) = &args.api_key {
        config = config.api_key(key.as_str());
    }
    if let Some(url) = &args.base_url {
        config = config.base_url(url.as_str());
    }
    let printer = Printer::new(args.verbose).snapshot(args.snapshot);
    let result = if args.api != Api::Assistants {
        run_responses(config, args)
    } else if args.transport == Transport::Async {
        run_async(config, args, printer.flushed_by_caller())
    } else {
        let mut printer = printer;
        match Client::new(config)
            .map_err(|e| e.to_string())
            .and_then(|client| start(&client, args))
        {
            Ok(stream) => print_run(printer.flushed_by_caller(), stream),
            Err(err) => {
                let _ = printer.end_line();
                Err(err)
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            let message = format!("streaming-assistants run: {err}");
            eprintln!("{}", paint(Style::Error, &message));
            ExitCode::FAILURE
        }
    }
}

/// `--api responses`: the response streamed on the chosen transport.
fn run_responses(config: Config, args: &Args) -> Result<ExitCode, String> {
    let tools = match &args.tools {
        Some(path) => Some(
            std::fs::read(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
                .and_then(|bytes| {
                    serde_json::from_slice(&bytes)
                        .map_err(|e| format!("{}: not JSON: {e}", path.display()))
                })?,
        ),
        None => None,
    };
    let model = args.model.as_deref().unwrap_or_default();
    if let Some(path) = &args.schema {
        return crate::structured::run(
            config,
            args.api,
            args.transport,
            model,
            &args.message,
            tools,
            path,
        );
    }
    let tool = args.tool_command.clone().map(ToolCommand);
    if args.api == Api::Chat {
        let request = crate::run_chat::request(model, &args.message, tools);
        return crate::run_chat::run(
            config,
            &request,
            args.transport,
            tool.as_ref(),
            (args.verbose, args.snapshot),
        );
    }
    let request = crate::run_responses::request(model, &args.message, tools);
    let output = (args.verbose, args.snapshot);
    if args.websocket {
        let tool = tool.as_ref().map(crate::run_websocket::Tool::Command);
        crate::run_websocket::run(
            config,
            &request,
            args.transport,
            tool,
            args.verbose,
            args.snapshot,
        )
    } else if args.transport == Transport::Async {
        crate::run_responses::run_async(config, &request, tool.as_ref(), output)
    } else {
        crate::run_responses::run_sync(config, &request, tool.as_ref(), output)
    }
}

fn start(client: &Client, args: &Args) -> Result<EventStream<Assistants>, String> {
    let thread = match &args.thread {
        Some(id) => id.clone(),
        None => client.threads().create().map_err(|e| e.to_string())?.id,
    };
    client
        .threads()
        .messages()
        .create(&thread, &args.message)
        .map_err(|e| e.to_string())?;
    client
        .threads()
        .runs()
        .create_stream(&thread, args.assistant.as_deref().unwrap_or_default())
        .map_err(|e| e.to_string())
}

/// The same flow on the async client, printing through the same [`Printer`].
fn run_async(config: Config, args: &Args, mut printer: Printer) -> Result<ExitCode, String> {
    use streaming_assistants_async as client_async;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let client = client_async::Client::new(config).map_err(|e| e.to_string())?;
        let opened = async {
            let thread = match &args.thread {
                Some(id) => id.clone(),
                None => client.threads().create().await?.id,
            };
            client
                .threads()
                .messages()
                .create(&thread, &args.message)
                .await?;
            let assistant = args.assistant.as_deref().unwrap_or_default();
            client
                .threads()
                .runs()
                .create_stream(&thread, assistant)
                .await
        };
        let stream = match opened.await {
            Ok(stream) => stream,
            Err(err) => {
                printer.end_line().map_err(|e| e.to_string())?;
                return Err(err.to_string());
            }
        };
        // Flushed only when the next event waits: once per arrival, not once per delta.
        flush::print_async(&mut printer, stream).await?;
        printer.finish().map_err(|e| e.to_string())
    })
}

/// Prints the reply as it arrives; the exit code says how the run ended.
pub(crate) fn print_stream(
    mut printer: Printer,
    events: impl Iterator<Item = Result<StreamEvent, Error>>,
) -> Result<ExitCode, String> {
    for event in events {
        match event {
            Ok(event) => printer.event(&event).map_err(|e| e.to_string())?,
            Err(err) => {
                printer.end_line().map_err(|e| e.to_string())?;
                return Err(err.to_string());
            }
        }
    }
    printer.finish().map_err(|e| e.to_string())
}

/// [`print_stream`] for the sync client's own stream: the text is flushed only when no event
/// is left decoded and the next one waits for the network (once per arrival, not per delta).
fn print_run(mut printer: Printer, stream: EventStream<Assistants>) -> Result<ExitCode, String> {
    flush::print(&mut printer, stream)?;
    printer.finish().map_err(|e| e.to_string())
}

impl flush::Sink<StreamEvent> for Printer {
    fn event(&mut self, event: &StreamEvent) -> io::Result<()> {
        Printer::event(self, event)
    }
    fn flush(&mut self) -> io::Result<()> {
        Printer::flush(self)
    }
    fn end_line(&mut self) -> io::Result<()> {
        Printer::end_line(self)
    }
}

/// What both transports print: the reply on stdout as it arrives, tool calls (and, verbose,
/// usage and timings) on stderr, and the exit code from the run's last status. A spinner turns
/// on a terminal's stderr until the first event.
///
/// The reply is buffered. `run` flushes it, in both transports, when its stream is about to
/// wait for the network ([`flushed_by_caller`](Printer::flushed_by_caller)); `demo`'s tool
/// loop flushes each event's text at once.
pub(crate) struct Printer {
    out: io::BufWriter<Box<dyn Write>>,
    /// Flush after each event that carried text (when the caller cannot tell when to flush).
    flush_each_event: bool,
    last: Option<streaming_assistants_core::assistants::types::Run>,
    ended_with_newline: bool,
    spinner: Spinner,
    report: Report,
    /// `--snapshot`: the run, steps and messages accumulated instead of the text printed.
    snapshot: Option<streaming_assistants_core::assistants::accumulate::Accumulator>,
}

impl Printer {
    /// Starts the clock and the spinner; prints to stdout, each event's text flushed at once.
    pub(crate) fn new(verbose: bool) -> Self {
        Self::to(Box::new(io::stdout()), verbose)
    }

    /// As [`new`](Printer::new), printing the reply to `out`.
    fn to(out: Box<dyn Write>, verbose: bool) -> Self {
        Printer {
            out: io::BufWriter::with_capacity(16 * 1024, out),
            flush_each_event: true,
            last: None,
            ended_with_newline: true,
            spinner: Spinner::start("waiting for the first event"),
            report: Report::new(verbose),
            snapshot: None,
        }
    }

    /// `--snapshot`: print `{"run","run_steps","messages"}` as one JSON line instead of the text.
    fn snapshot(mut self, on: bool) -> Self {
        self.snapshot =
            on.then(streaming_assistants_core::assistants::accumulate::Accumulator::new);
        self
    }

    /// The caller flushes ([`flush`](Printer::flush)) whenever no event is buffered.
    fn flushed_by_caller(mut self) -> Self {
        self.flush_each_event = false;
        self
    }

    /// Writes out the text printed so far.
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn event(&mut self, event: &StreamEvent) -> io::Result<()> {
        self.spinner.stop();
        self.report.event();
        let mut wrote = false;
        if let Some(acc) = &mut self.snapshot {
            // An event the accumulator cannot place leaves the snapshot as it was.
            let _ = acc.apply(event);
        }
        for piece in event.text_deltas().filter(|_| self.snapshot.is_none()) {
            self.out.write_all(piece.as_bytes())?;
            self.ended_with_newline = piece.ends_with('\n');
            wrote = true;
        }
        if wrote && self.flush_each_event {
            self.out.flush()?;
        }
        if let StreamEvent::RunStepCompleted(step) = event {
            for call in step
                .step_details
                .iter()
                .flat_map(|d| d.tool_calls.iter().flatten())
            {
                if let Some(function) = &call.function {
                    // The text before the call shows before it, on a terminal too.
                    self.out.flush()?;
                    let line = format!(
                        "[tool] {}({}) -> {}",
                        function.name.as_deref().unwrap_or("?"),
                        function.arguments.as_deref().unwrap_or(""),
                        function.output.as_deref().unwrap_or("")
                    );
                    eprintln!("{}", paint(Style::Step, &line));
                }
            }
        }
        if let Some(run) = event.run() {
            self.last = Some(run.clone());
        }
        Ok(())
    }

    fn end_line(&mut self) -> io::Result<()> {
        self.spinner.stop();
        if let Some(acc) = self.snapshot.take() {
            // Once, at the end or before an error: what arrived, as `replay --snapshot` prints it.
            serde_json::to_writer(&mut self.out, &acc.into_snapshot())?;
            self.out.write_all(b"\n")?;
        }
        if !self.ended_with_newline {
            self.out.write_all(b"\n")?;
            self.ended_with_newline = true;
        }
        self.out.flush()
    }

    fn finish(mut self) -> io::Result<ExitCode> {
        self.end_line()?;
        let Some(run) = self.last.take() else {
            eprintln!("streaming-assistants run: the stream carried no run");
            return Ok(ExitCode::FAILURE);
        };
        if let Some(usage) = run
            .usage
            .as_ref()
            .and_then(|u| serde_json::to_value(u).ok())
        {
            self.report.usage(&usage);
        }
        self.report.print();
        Ok(match run.status {
            RunStatus::Completed => ExitCode::SUCCESS,
            RunStatus::RequiresAction => {
                for call in run.pending_tool_calls() {
                    let function = call.function.clone().unwrap_or_default();
                    eprintln!(
                        "[requires action] {} {}({})",
                        call.id,
                        function.name.unwrap_or_default(),
                        function.arguments.unwrap_or_default()
                    );
                }
                ExitCode::from(3)
            }
            status => {
                let error = run.last_error.clone().unwrap_or_default();
                let line = format!(
                    "streaming-assistants run: the run ended {status}: {}",
                    error.message.as_deref().unwrap_or("(no message)")
                );
                eprintln!("{}", paint(Style::Error, &line));
                ExitCode::FAILURE
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::choice::{Api, Transport};
    use std::cell::RefCell;
    use std::io::{self, Write};
    use std::rc::Rc;

    use serde_json::json;
    use streaming_assistants_sync::{Client, Config};
    use streaming_assistants_testserver::{BlockingTestServer, Delivery, RunScript, Script};

    use super::{print_run, run_async, Args, Printer};

    /// Counts the calls the reply's output receives.
    #[derive(Clone, Default)]
    struct Counting(Rc<RefCell<(Vec<u8>, usize, usize)>>);

    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut inner = self.0.borrow_mut();
            inner.0.extend_from_slice(buf);
            inner.1 += 1;
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.0.borrow_mut().2 += 1;
            Ok(())
        }
    }

    /// The same for the sync flow: it flushes when no event is left decoded.
    #[test]
    fn the_sync_flow_flushes_when_it_waits_for_the_network_not_per_delta() {
        const DELTAS: usize = 5_000;
        let script = Script::new().run(RunScript::text(vec!["w "; DELTAS]).delivered(Delivery {
            chunk_size: Some(64 * 1024),
            ..Delivery::default()
        }));
        let server = BlockingTestServer::start(script).unwrap();
        let client = Client::new(Config::new("k").base_url(server.base_url())).unwrap();
        let assistant = client
            .assistants()
            .create(json!({"model": "m"}))
            .unwrap()
            .id;
        let thread = client.threads().create().unwrap().id;
        let stream = client
            .threads()
            .runs()
            .create_stream(&thread, &assistant)
            .unwrap();
        let out = Counting::default();
        let printer = Printer::to(Box::new(out.clone()), false).flushed_by_caller();
        print_run(printer, stream).unwrap();
        let (bytes, writes, flushes) = out.0.take();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!("{}\n", "w ".repeat(DELTAS))
        );
        assert!(
            writes < DELTAS / 10 && flushes < DELTAS / 10,
            "{writes} writes and {flushes} flushes for {DELTAS} deltas"
        );
    }

    #[test]
    fn the_async_flow_flushes_when_it_waits_for_the_network_not_per_delta() {
        const DELTAS: usize = 5_000;
        // The server writes the body 64 KiB at a time, as a fast server's chunks arrive.
        let script = Script::new().run(RunScript::text(vec!["w "; DELTAS]).delivered(Delivery {
            chunk_size: Some(64 * 1024),
            ..Delivery::default()
        }));
        let server = BlockingTestServer::start(script).unwrap();
        let assistant = Client::new(Config::new("k").base_url(server.base_url()))
            .unwrap()
            .assistants()
            .create(json!({"model": "m"}))
            .unwrap()
            .id;
        let args = Args {
            transport: Transport::Async,
            base_url: Some(server.base_url()),
            api_key: Some("k".into()),
            api: Api::Assistants,
            assistant: Some(assistant),
            model: None,
            tools: None,
            tool_command: None,
            schema: None,
            websocket: false,
            snapshot: false,
            thread: None,
            verbose: false,
            message: "Hi".into(),
        };
        let out = Counting::default();
        let printer = Printer::to(Box::new(out.clone()), false).flushed_by_caller();
        let config = Config::new("k").base_url(server.base_url());
        run_async(config, &args, printer).unwrap();
        let (bytes, writes, flushes) = out.0.take();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!("{}\n", "w ".repeat(DELTAS))
        );
        // About 1 MB of body: some tens of network reads, each at most one flush and write.
        assert!(
            writes < DELTAS / 10 && flushes < DELTAS / 10,
            "{writes} writes and {flushes} flushes for {DELTAS} deltas"
        );
    }
}
