//! The `streaming-assistants` command.

// `sync_twin!` (the WebSocket flow, written once in async form) takes two expansion steps a token.
#![recursion_limit = "1024"]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod choice;
mod demo;
mod flush;
mod partial_json;
mod replay;
mod report;
mod run;
mod run_chat;
mod run_responses;
mod run_websocket;
mod serve;
mod structured;
mod terminal;
mod tool_command;

/// Streams OpenAI-style APIs (Assistants, Responses, Chat Completions): run, demo, replay
/// captured streams, serve a test server.
#[derive(Debug, Parser)]
#[command(
    name = "streaming-assistants",
    version,
    about,
    long_about = None,
    after_help = "Each command's --help shows examples and its exit codes.\n\
                  stdout carries only results (text, JSON); diagnostics go to stderr, colored\n\
                  only on a terminal.\n\n\
                  Try: streaming-assistants demo"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Replays a captured stream of any of the three APIs (a file, or `-` for stdin) through
    /// the decoders.
    #[command(after_help = replay::AFTER_HELP)]
    Replay(replay::Args),
    /// Streams a reply from any of the three APIs and prints it as it arrives.
    #[command(after_help = run::AFTER_HELP)]
    Run(run::Args),
    /// A tool loop (Assistants, Responses or Chat) against the built-in test server: no key,
    /// no network.
    #[command(after_help = demo::AFTER_HELP)]
    Demo(demo::Args),
    /// Serves the Assistants, Responses and Chat Completions APIs on loopback with a scripted
    /// model (the test server).
    #[command(after_help = serve::AFTER_HELP)]
    Serve(serve::Args),
    /// Feeds a JSON file to the partial parser a few bytes at a time, reading the value after
    /// every piece (what structured outputs cost as they stream); `--serde` for the baseline.
    #[command(after_help = partial_json::AFTER_HELP)]
    PartialJson(partial_json::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Replay(args) => replay::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::PartialJson(args) => partial_json::run(&args),
    }
}
