//! The `streaming-assistants` command.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod replay;

/// Streams the Assistants API: replay captured streams (more commands arrive with the clients).
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Replay(args) => replay::run(&args),
    }
}
