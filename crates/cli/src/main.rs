//! The `streaming-assistants` command.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod replay;
mod serve;

/// Streams the Assistants API: replay captured streams, serve a scripted test server.
#[derive(Debug, Parser)]
#[command(name = "streaming-assistants", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Replays a captured stream (a file, or `-` for stdin) through the decoders.
    #[command(after_help = replay::AFTER_HELP)]
    Replay(replay::Args),
    /// Serves the Assistants API on loopback with a scripted model (the test server).
    #[command(after_help = serve::AFTER_HELP)]
    Serve(serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Replay(args) => replay::run(&args),
        Command::Serve(args) => serve::run(&args),
    }
}
