//! `streaming-assistants replay`: feed a captured body through the core, print what comes out.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use streaming_assistants_core::sse::{End, EventRef, Limits, Parser};

pub(crate) const EXAMPLES: &str = "\
Examples:
  streaming-assistants replay --sse examples/captures/hello.sse
  streaming-assistants replay --sse --chunk-size 1 - < capture.sse

Each dispatched event is printed as one line:
  {\"event\":\"...\",\"data\":\"...\",\"id\":\"...\",\"retry\":null}

Exit codes: 0 replayed (a truncated end is a warning on stderr); 1 events were skipped past a
limit; 2 bad flags or unreadable input.";

/// Arguments of `replay`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print the SSE framing layer: one JSON object per dispatched event.
    #[arg(long)]
    sse: bool,
    /// Feed the parser N bytes at a time (default: whole reads), to reproduce any split.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    chunk_size: Option<u64>,
    /// Longest SSE line accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX)]
    max_line: usize,
    /// Largest SSE event accepted, in bytes of data.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX)]
    max_event: usize,
    /// The captured body: a file, or `-` for stdin.
    file: PathBuf,
}

/// One output line of `replay --sse`; field order is the contract.
#[derive(Serialize)]
struct SseLine<'a> {
    event: &'a str,
    data: &'a str,
    id: &'a str,
    retry: Option<u64>,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    if !args.sse {
        eprintln!(
            "streaming-assistants replay: only --sse is available so far (it prints the SSE \
             framing); typed events come with the event decoder"
        );
        return ExitCode::from(2);
    }
    let input: Box<dyn Read> = if args.file.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(&args.file) {
            Ok(file) => Box::new(file),
            Err(err) => {
                eprintln!(
                    "streaming-assistants replay: cannot open {}: {err}",
                    args.file.display()
                );
                return ExitCode::from(2);
            }
        }
    };
    let limits = Limits::default()
        .max_line_len(args.max_line)
        .max_event_len(args.max_event);
    let chunk = args
        .chunk_size
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    match replay_sse(input, chunk, limits) {
        Ok(status) => status,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("streaming-assistants replay: {err}");
            ExitCode::from(2)
        }
    }
}

fn replay_sse(mut input: impl Read, chunk: usize, limits: Limits) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut parser = Parser::with_limits(limits);
    let mut buf = vec![0u8; 64 * 1024];
    let mut skipped = false;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(io::Error::new(err.kind(), format!("reading input: {err}"))),
        };
        for piece in buf[..n].chunks(chunk.min(n)) {
            parser.push(piece);
            while let Some(item) = parser.next_event() {
                match item {
                    Ok(event) => write_sse_line(&mut out, &event)?,
                    Err(err) => {
                        skipped = true;
                        out.flush()?;
                        eprintln!("streaming-assistants replay: warning: {err}");
                    }
                }
            }
        }
        // Lines go out as their events arrive, so a pipe shows a live stream.
        out.flush()?;
    }
    if let End::Truncated { at } = parser.finish() {
        eprintln!(
            "streaming-assistants replay: warning: input ended inside an unterminated event \
             starting at byte {at}; it was discarded"
        );
    }
    out.flush()?;
    Ok(if skipped {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn write_sse_line(out: &mut impl Write, event: &EventRef<'_>) -> io::Result<()> {
    let line = SseLine {
        event: event.event(),
        data: event.data(),
        id: event.id(),
        retry: event.retry(),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}
