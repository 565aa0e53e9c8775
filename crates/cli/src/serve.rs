//! `streaming-assistants serve`: the test server, standalone.

use crate::choice::DialectArg;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use streaming_assistants_testserver::{Dialect, Script, TestServer};

pub(crate) const AFTER_HELP: &str = "\
The server speaks the Assistants API, the Responses API and Chat Completions. The first line on
stdout is the base URL, e.g. http://127.0.0.1:41234/v1; point any client at it with any API key. The second line names an assistant ready to run, e.g.
`assistant: asst_000000000000000000000001`; it has no tools, so its runs just reply (create your
own with a function tool to see the tool loop). Ctrl-C stops the server.

Examples:
  streaming-assistants serve
  streaming-assistants serve --port 8080 --script script.json
  streaming-assistants run --base-url http://127.0.0.1:41234/v1 --api-key any \\
      --assistant asst_000000000000000000000001 \"Hi\"
  streaming-assistants run --base-url http://127.0.0.1:41234/v1 --api-key any \\
      --api responses --model scripted \"Hi\"
  streaming-assistants serve --dialect ollama   # Chat Completions as Ollama streams it

A script is JSON: {\"runs\": [{\"text\": [\"Hel\", \"lo\"]}, {\"tool_call\": {\"name\": \"f\",
\"arguments\": [\"{}\"]}, \"text\": [\"done\"], \"cite_file\": \"file_1\"}]}; runs past its end
(or with no script) use the default: call the assistant's first function tool, if any, then
reply with a text citing one file.

Exit codes: 0 stopped by Ctrl-C; 2 bad flags, unreadable script, or the port is taken.";

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The model's script, as JSON.
    #[arg(long, value_name = "FILE.json")]
    script: Option<PathBuf>,
    /// The server's dialect: how it bends the wire, as that server does (Astra for the
    /// Assistants API; Azure, Gemini, Ollama, vLLM, llama.cpp for Chat Completions).
    #[arg(long, value_enum, default_value_t = DialectArg::Openai)]
    dialect: DialectArg,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let dialect = Dialect::from(args.dialect);
    let script = match &args.script {
        None => Script::new(),
        Some(path) => match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| serde_json::from_slice::<Script>(&bytes).map_err(|e| e.to_string()))
        {
            Ok(script) => script,
            Err(err) => {
                eprintln!(
                    "streaming-assistants serve: cannot use script {}: {err}",
                    path.display()
                );
                return ExitCode::from(2);
            }
        },
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("streaming-assistants serve: cannot start the runtime: {err}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let server = match TestServer::start_with(script, dialect, args.port).await {
            Ok(server) => server,
            Err(err) => {
                eprintln!(
                    "streaming-assistants serve: cannot listen on port {}: {err}",
                    args.port
                );
                return ExitCode::from(2);
            }
        };
        // The handler is installed before the URL is printed, so that a Ctrl-C sent as soon as
        // the URL appears stops the server cleanly instead of killing the process.
        #[cfg(unix)]
        let mut interrupt =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
                Ok(signal) => signal,
                Err(err) => {
                    eprintln!("streaming-assistants serve: cannot handle Ctrl-C: {err}");
                    return ExitCode::from(2);
                }
            };
        // An assistant to run at once: `serve` then `run` works as typed, with no hand-made
        // `POST /assistants` (and its beta header) in between. No tools: `run` answers none.
        let assistant = match server.create_assistant(serde_json::json!({
            "model": "scripted",
            "name": "serve",
        })) {
            Ok(assistant) => assistant,
            Err(err) => {
                eprintln!("streaming-assistants serve: cannot create its assistant: {err}");
                return ExitCode::from(2);
            }
        };
        let mut stdout = std::io::stdout().lock();
        // The base URL stays the first line: scripts read it.
        let _ = writeln!(stdout, "{}", server.base_url());
        let _ = writeln!(stdout, "assistant: {}", assistant.id);
        let _ = stdout.flush();
        drop(stdout);
        #[cfg(unix)]
        interrupt.recv().await;
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        drop(server);
        ExitCode::SUCCESS
    })
}
