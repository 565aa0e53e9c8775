//! `streaming-assistants replay`: feed a captured body through the core, print what comes out.

mod chat;
mod input;
mod modes;
mod parsed;
mod responses;

use crate::choice::Api;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::terminal::{paint, Style};

use streaming_assistants_core::sse::Limits;

pub(crate) const AFTER_HELP: &str = "\
The API is detected from the first event (or given with --api): the Assistants API (v2
`event:` lines, Astra's wrapped JSON, or Astra's legacy message stream), the Responses API, or
Chat Completions (data-only chunks; --strict for openai-node's exact rule).

Modes (default: the reply's text, as it would appear live):
  (none)      text deltas only (Responses: `response.output_text.delta`)
  --sse       one JSON line per SSE event:
              {\"event\":\"<type>\",\"data\":\"<data>\",\"id\":\"<last id or empty>\",\"retry\":<ms or null>}
  --events    one JSON line per typed event: {\"event\":\"<name>\",\"data\":<data>}
              (Responses: the JSON `type` as the name, the data exactly as received)
  --snapshot  one JSON document at the end: {\"run\":...,\"run_steps\":[...],\"messages\":[...]}
              (Responses: the final `Response` object; Chat: the final `ChatCompletion`)
  --legacy    Astra's legacy message stream, forced: its text

Examples:
  streaming-assistants replay examples/captures/hello.sse
  streaming-assistants replay --events --chunk-size 1 examples/captures/hello.sse
  curl -sN ... | streaming-assistants replay --snapshot -

Input is read incrementally: memory is bounded by the largest event, not the file.
Everything decoded before bad or truncated input is printed first; then a message on stderr.

Exit codes:
  0  the stream was read to a clean end (Responses: `completed` or `incomplete`; Chat:
     `data: [DONE]`, whatever the finish reason)
  1  bad or truncated input, an `error` event (Chat: an error payload), or a failed run or
     response (details on stderr); with --sse a truncated end is only a warning (exit 0)
  2  bad flags, or the input could not be read";

/// Arguments of `replay`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print the SSE framing layer: one JSON object per dispatched event.
    #[arg(long, group = "mode")]
    sse: bool,
    /// Print one JSON object per typed event.
    #[arg(long, group = "mode")]
    events: bool,
    /// Print the accumulated run, run steps and messages at the end.
    #[arg(long, group = "mode")]
    snapshot: bool,
    /// Decode as Astra's legacy message stream and print its text.
    #[arg(long, group = "mode")]
    legacy: bool,
    /// Print the structured-output events, one JSON line each, the answer taken as structured
    /// output and every function tool as strict: for Chat, openai-python's (`content.delta` with
    /// `parsed`, `tool_calls.function.arguments.*` with `parsed_arguments`, ...); for Responses,
    /// the text and arguments events with their `snapshot` and the value so far (`parsed`,
    /// `parsed_arguments`), `response.output_text.done` with `parsed`, `response.completed`
    /// with `output_parsed`.
    #[arg(long, group = "mode")]
    parsed: bool,
    /// With --parsed: leave an unfinished string out of `parsed` (`on`, the SDK's) or keep it
    /// as it stands.
    #[arg(long, value_enum, default_value = "on", requires = "parsed")]
    partial: crate::choice::PartialArg,
    /// Feed the decoder N bytes at a time (default: whole reads), to reproduce any split.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    chunk_size: Option<u64>,
    /// Longest SSE line accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX)]
    max_line: usize,
    /// Largest SSE event accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX)]
    max_event: usize,
    /// The API the stream is from (default: detected from its first event).
    #[arg(long, value_enum)]
    api: Option<Api>,
    /// Chat Completions: accumulate by the strict rule (exactly openai-node's) instead of the
    /// lenient one.
    #[arg(long)]
    strict: bool,
    /// The captured body: a file, or `-` for stdin.
    file: PathBuf,
}

/// Whether the stream is a Chat Completions stream, from its first event: a data-only chunk
/// (its `object` a `chat.completion(s).chunk`, or a `choices` list), or `[DONE]`.
fn is_chat(event: &str, data: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe<'a> {
        #[serde(borrow)]
        object: Option<std::borrow::Cow<'a, str>>,
        choices: Option<serde::de::IgnoredAny>,
    }
    if event != "message" {
        return false;
    }
    data.trim() == "[DONE]"
        || serde_json::from_str::<Probe<'_>>(data).is_ok_and(|p| {
            p.choices.is_some() || p.object.is_some_and(|o| o.starts_with("chat.completion"))
        })
}

/// Whether the stream is a Responses stream, from its first event: its SSE type or its JSON
/// `type` names a `response.*` event.
fn is_responses(event: &str, data: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe<'a> {
        #[serde(rename = "type", borrow)]
        kind: Option<std::borrow::Cow<'a, str>>,
    }
    event.starts_with("response.")
        || serde_json::from_str::<Probe<'_>>(data)
            .ok()
            .and_then(|p| p.kind)
            .is_some_and(|kind| kind.starts_with("response."))
}

/// What a mode reports at the end.
pub(crate) enum Outcome {
    /// A clean end.
    Clean,
    /// Something was wrong with the input; it has been said on stderr.
    Bad,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let mut input = match input::Input::open(&args.file, args.chunk_size) {
        Ok(input) => input,
        Err(err) => {
            eprintln!(
                "{}",
                paint(Style::Error, &format!("streaming-assistants replay: {err}"))
            );
            return ExitCode::from(2);
        }
    };
    let limits = Limits::default()
        .max_line_len(args.max_line)
        .max_event_len(args.max_event);
    let api = match args.api {
        Some(api) => api,
        None if args.sse || args.legacy => Api::Assistants,
        None => match input.first_event(limits) {
            Ok(Some((event, data))) if is_responses(&event, &data) => Api::Responses,
            Ok(Some((event, data))) if is_chat(&event, &data) => Api::Chat,
            Ok(_) => Api::Assistants,
            Err(err) => {
                warn(err);
                return ExitCode::from(2);
            }
        },
    };
    let rule = if args.strict {
        streaming_assistants_core::chat::Rule::Strict
    } else {
        streaming_assistants_core::chat::Rule::Lenient
    };
    let result = if args.parsed {
        match api {
            Api::Chat => chat::parsed(&mut input, limits, args.partial.into()),
            Api::Responses => responses::parsed(&mut input, limits, args.partial.into()),
            Api::Assistants => {
                warn("--parsed reads Chat Completions and Responses streams");
                return ExitCode::from(2);
            }
        }
    } else if api == Api::Chat && !args.sse && !args.legacy {
        if args.events {
            chat::events(&mut input, limits)
        } else if args.snapshot {
            chat::snapshot(&mut input, limits, rule)
        } else {
            chat::text(&mut input, limits, io::stdout().lock())
        }
    } else if api == Api::Responses && !args.sse && !args.legacy {
        if args.events {
            responses::events(&mut input, limits)
        } else if args.snapshot {
            responses::snapshot(&mut input, limits)
        } else {
            responses::text(&mut input, limits, io::stdout().lock())
        }
    } else if args.sse {
        modes::sse(&mut input, limits)
    } else if args.events {
        modes::events(&mut input, limits)
    } else if args.snapshot {
        modes::snapshot(&mut input, limits)
    } else if args.legacy {
        modes::legacy(&mut input, limits, io::stdout().lock())
    } else {
        modes::text(&mut input, limits, io::stdout().lock())
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Bad) => ExitCode::FAILURE,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "{}",
                paint(Style::Error, &format!("streaming-assistants replay: {err}"))
            );
            ExitCode::from(2)
        }
    }
}

/// Prints a diagnostic on stderr, prefixed with the command's name.
pub(crate) fn warn(message: impl std::fmt::Display) {
    eprintln!(
        "{}",
        paint(
            Style::Error,
            &format!("streaming-assistants replay: {message}")
        )
    );
}
