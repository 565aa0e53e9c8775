//! `partial-json`: feeds a JSON file to the core's partial parser a few bytes at a time,
//! reading the value after every piece, as a stream of deltas would; or, with `--serde`, parses
//! it once with `serde_json` (the baseline).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{json, Value};
use streaming_assistants_core::json::PartialJson;

use crate::choice::PartialArg;

pub(crate) const AFTER_HELP: &str = "\
Prints one JSON line at the end: {\"pieces\": P, \"top_sum\": S, \"value\": V}, where S is the
sum over pieces of the value's top-level length (members or elements; 0 while there is nothing
yet or the value is a scalar) read after each piece. With --every, also one line after each
piece: {\"n\": bytes so far, \"value\": V}, or {\"n\": ..., \"nothing\": true}.

Examples:
  streaming-assistants partial-json answer.json
  streaming-assistants partial-json --partial trailing-strings --piece-bytes 1 --every answer.json
  streaming-assistants partial-json --serde answer.json

Exit codes: 0 the file is one JSON value; 1 it is not (the error, with its byte, line and
column, on stderr) or it could not be read; 2 usage error.";

/// `partial-json`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// What to do with an unfinished string: leave it out (`on`) or keep it as it stands.
    #[arg(long, value_enum, default_value = "on")]
    partial: PartialArg,
    /// How many bytes each piece has.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..))]
    piece_bytes: u64,
    /// Also print the value after each piece.
    #[arg(long)]
    every: bool,
    /// Parse the whole file once with serde_json instead (the baseline).
    #[arg(long, conflicts_with_all = ["every", "piece_bytes", "partial"])]
    serde: bool,
    /// The JSON file.
    file: PathBuf,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", args.file.display());
            return ExitCode::FAILURE;
        }
    };
    let out = std::io::stdout().lock();
    let result = if args.serde {
        whole(&bytes, out)
    } else {
        pieces(args, &bytes, out)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The top-level length of a value: members or elements; 0 for a scalar.
fn top_len(value: Option<&Value>) -> u64 {
    match value {
        Some(Value::Object(members)) => members.len() as u64,
        Some(Value::Array(items)) => items.len() as u64,
        _ => 0,
    }
}

fn pieces(args: &Args, bytes: &[u8], mut out: impl Write) -> Result<(), String> {
    let mut parser = PartialJson::new(args.partial.into());
    let (mut pieces, mut top_sum) = (0u64, 0u64);
    let size = usize::try_from(args.piece_bytes).unwrap_or(usize::MAX);
    for piece in bytes.chunks(size) {
        parser.push(piece).map_err(|err| err.to_string())?;
        pieces += 1;
        top_sum += top_len(parser.value());
        if args.every {
            let line = match parser.value() {
                Some(value) => json!({"n": parser.bytes(), "value": value}),
                None => json!({"n": parser.bytes(), "nothing": true}),
            };
            writeln!(out, "{line}").map_err(|err| err.to_string())?;
        }
    }
    let value = parser.finish().map_err(|err| err.to_string())?;
    let line = json!({"pieces": pieces, "top_sum": top_sum, "value": value});
    writeln!(out, "{line}").map_err(|err| err.to_string())
}

fn whole(bytes: &[u8], mut out: impl Write) -> Result<(), String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
    let line = json!({"pieces": 1, "top_sum": top_len(Some(&value)), "value": value});
    writeln!(out, "{line}").map_err(|err| err.to_string())
}
