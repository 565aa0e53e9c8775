//! The replay modes: each drives a core decoder over the input and prints what it yields.

use std::io::{self, Write};

use serde::Serialize;
use streaming_assistants_core::assistants::accumulate::Accumulator;
use streaming_assistants_core::assistants::event::{
    Decoded, Decoder, Ending, Framing, StreamEvent,
};
use streaming_assistants_core::assistants::legacy::{LegacyDecoder, LegacyEvent};
use streaming_assistants_core::sse::{self, End, Limits};

use super::input::Input;
use super::{warn, Outcome};

/// `--sse`: one JSON line per dispatched SSE event.
pub(crate) fn sse(input: &mut Input, limits: Limits) -> io::Result<Outcome> {
    #[derive(Serialize)]
    struct Line<'a> {
        event: &'a str,
        data: &'a str,
        id: &'a str,
        retry: Option<u64>,
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut parser = sse::Parser::with_limits(limits);
    let mut bad = false;
    input.for_each(|piece| {
        parser.push(piece);
        while let Some(item) = parser.next_event() {
            match item {
                Ok(event) => {
                    let line = Line {
                        event: event.event(),
                        data: event.data(),
                        id: event.id(),
                        retry: event.retry(),
                    };
                    serde_json::to_writer(&mut out, &line)?;
                    out.write_all(b"\n")?;
                }
                Err(err) => {
                    bad = true;
                    out.flush()?;
                    warn(format_args!("warning: {err}"));
                }
            }
        }
        out.flush()
    })?;
    if let End::Truncated { at } = parser.finish() {
        warn(format_args!(
            "warning: input ended inside an unterminated event starting at byte {at}; it was discarded"
        ));
    }
    Ok(if bad { Outcome::Bad } else { Outcome::Clean })
}

/// Tracks what makes a v2 stream's replay fail, and says it on stderr.
#[derive(Default)]
struct Verdict {
    bad: bool,
}

impl Verdict {
    fn error(&mut self, message: impl std::fmt::Display) {
        self.bad = true;
        warn(message);
    }

    /// Reports the stream-level facts of an event: server errors and failed runs.
    fn observe(&mut self, event: &StreamEvent) {
        match event {
            StreamEvent::Error(err) => self.error(format_args!(
                "the server sent an error event: {}",
                err.message.as_deref().unwrap_or("(no message)")
            )),
            StreamEvent::RunFailed(run) => {
                let err = run.last_error.as_ref();
                self.error(format_args!(
                    "run {} failed: {}: {}",
                    run.id,
                    err.and_then(|e| e.code.as_deref()).unwrap_or("unknown"),
                    err.and_then(|e| e.message.as_deref())
                        .unwrap_or("(no message)")
                ));
            }
            _ => {}
        }
    }

    fn end(mut self, ending: Ending) -> Outcome {
        if let Ending::Truncated { at } = ending {
            let inside = at.map_or(String::new(), |at| {
                format!(" (it stopped inside an event starting at byte {at})")
            });
            self.error(format_args!(
                "the stream was cut short: no `done` and no terminal run event{inside}; \
                 everything received was printed"
            ));
        }
        if self.bad {
            Outcome::Bad
        } else {
            Outcome::Clean
        }
    }
}

/// Which of the decoder's loops a mode takes: owned events for printing them, or the
/// borrowed hot path (text deltas not copied) for text and snapshots.
#[derive(Clone, Copy)]
enum Path {
    Owned,
    Borrowed,
}

/// Runs the v2 decoder over the input, handing each decoded event to `each`.
fn decode_v2(
    input: &mut Input,
    limits: Limits,
    path: Path,
    mut each: impl FnMut(Decoded<'_>, &mut Verdict) -> io::Result<()>,
) -> io::Result<Outcome> {
    let mut decoder = Decoder::with_limits(limits);
    let mut verdict = Verdict::default();
    input.for_each(|piece| {
        decoder.push(piece);
        drain_v2(&mut decoder, path, &mut verdict, &mut each)
    })?;
    Ok(verdict.end(decoder.finish()))
}

fn drain_v2(
    decoder: &mut Decoder,
    path: Path,
    verdict: &mut Verdict,
    each: &mut impl FnMut(Decoded<'_>, &mut Verdict) -> io::Result<()>,
) -> io::Result<()> {
    loop {
        let item = match path {
            Path::Owned => decoder.next_event().map(|item| item.map(Decoded::Event)),
            Path::Borrowed => decoder.next_decoded(),
        };
        match item {
            None => return Ok(()),
            Some(Ok(decoded)) => {
                if let Decoded::Event(event) = &decoded {
                    verdict.observe(event);
                }
                each(decoded, verdict)?;
            }
            Some(Err(err)) => verdict.error(err),
        }
    }
}

/// `--events`: one JSON line per typed event.
pub(crate) fn events(input: &mut Input, limits: Limits) -> io::Result<Outcome> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let outcome = decode_v2(input, limits, Path::Owned, |event, _| {
        serde_json::to_writer(&mut out, &event.into_event())?;
        out.write_all(b"\n")?;
        out.flush()
    })?;
    out.flush()?;
    Ok(outcome)
}

/// `--snapshot`: the accumulated state, once, at the end.
pub(crate) fn snapshot(input: &mut Input, limits: Limits) -> io::Result<Outcome> {
    let mut acc = Accumulator::new();
    let outcome = decode_v2(input, limits, Path::Borrowed, |event, verdict| {
        if let Err(err) = acc.apply_decoded(&event) {
            verdict.error(err);
        }
        Ok(())
    })?;
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &acc.into_snapshot())?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(outcome)
}

/// `--legacy`: Astra's legacy message stream, its text.
pub(crate) fn legacy(input: &mut Input, limits: Limits) -> io::Result<Outcome> {
    let mut out = io::stdout().lock();
    let mut decoder = LegacyDecoder::with_limits(limits);
    let mut verdict = Verdict::default();
    let mut printed = Printed::default();
    input.for_each(|piece| {
        decoder.push(piece);
        drain_legacy(&mut decoder, &mut verdict, &mut out, &mut printed)
    })?;
    finish_legacy(decoder, verdict, &mut out, printed)
}

fn drain_legacy(
    decoder: &mut LegacyDecoder,
    verdict: &mut Verdict,
    out: &mut impl Write,
    printed: &mut Printed,
) -> io::Result<()> {
    while let Some(item) = decoder.next_event() {
        match item {
            Ok(LegacyEvent::Chunk(chunk)) => printed.write(out, &chunk.text())?,
            Ok(LegacyEvent::Other(data)) => {
                warn(format_args!(
                    "note: a frame that is not a message chunk: {data}"
                ));
            }
            Ok(_) => {}
            Err(err) => verdict.error(err),
        }
    }
    Ok(())
}

fn finish_legacy(
    mut decoder: LegacyDecoder,
    mut verdict: Verdict,
    out: &mut impl Write,
    printed: Printed,
) -> io::Result<Outcome> {
    printed.end(out)?;
    if let End::Truncated { at } = decoder.finish() {
        verdict.error(format_args!(
            "the legacy stream stopped inside a frame starting at byte {at} (a server-side \
             failure writes `data: []` this way); retrieve the run to learn how it ended"
        ));
    }
    Ok(if verdict.bad {
        Outcome::Bad
    } else {
        Outcome::Clean
    })
}

/// Text written so far, to end it with a newline.
#[derive(Default)]
struct Printed {
    last: Option<char>,
}

impl Printed {
    /// Writes and flushes at once: the text appears as it arrives.
    fn write(&mut self, out: &mut impl Write, text: &str) -> io::Result<()> {
        if let Some(c) = text.chars().next_back() {
            self.last = Some(c);
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Ok(())
    }

    /// Ends non-empty text that lacks one with a newline.
    fn end(self, out: &mut impl Write) -> io::Result<()> {
        if self.last.is_some_and(|c| c != '\n') {
            out.write_all(b"\n")?;
        }
        out.flush()
    }
}

/// Where the default mode is: telling the framing, or decoding.
enum TextState {
    /// Bytes are held only until the first event is complete, to tell the framing from it.
    Detecting {
        probe: sse::Parser,
        held: Vec<u8>,
    },
    V2(Decoder),
    Legacy(LegacyDecoder),
}

impl TextState {
    fn start(framing: Framing, held: &[u8], limits: Limits) -> TextState {
        match framing {
            Framing::Legacy => {
                let mut decoder = LegacyDecoder::with_limits(limits);
                decoder.push(held);
                TextState::Legacy(decoder)
            }
            Framing::V2 | Framing::Wrapped => {
                let mut decoder = Decoder::with_limits(limits);
                decoder.push(held);
                TextState::V2(decoder)
            }
        }
    }

    fn push(&mut self, piece: &[u8], limits: Limits) {
        match self {
            TextState::Detecting { probe, held } => {
                probe.push(piece);
                held.extend_from_slice(piece);
                let framing = match probe.next_event() {
                    None => return,
                    Some(Ok(first)) => Framing::detect(&first),
                    Some(Err(_)) => Framing::V2,
                };
                *self = TextState::start(framing, held, limits);
            }
            TextState::V2(decoder) => decoder.push(piece),
            TextState::Legacy(decoder) => decoder.push(piece),
        }
    }

    fn drain(
        &mut self,
        verdict: &mut Verdict,
        out: &mut impl Write,
        printed: &mut Printed,
    ) -> io::Result<()> {
        match self {
            TextState::Detecting { .. } => Ok(()),
            TextState::Legacy(decoder) => drain_legacy(decoder, verdict, out, printed),
            TextState::V2(decoder) => {
                drain_v2(decoder, Path::Borrowed, verdict, &mut |event, _| {
                    event
                        .text_deltas()
                        .try_for_each(|piece| printed.write(out, piece))
                })
            }
        }
    }
}

/// Default mode: the text, the framing detected from the first event.
pub(crate) fn text(input: &mut Input, limits: Limits) -> io::Result<Outcome> {
    let mut out = io::stdout().lock();
    let mut printed = Printed::default();
    let mut verdict = Verdict::default();
    let mut state = TextState::Detecting {
        probe: sse::Parser::with_limits(limits),
        held: Vec::new(),
    };
    input.for_each(|piece| {
        state.push(piece, limits);
        state.drain(&mut verdict, &mut out, &mut printed)
    })?;
    if let TextState::Detecting { held, .. } = &mut state {
        let held = std::mem::take(held);
        state = TextState::start(Framing::V2, &held, limits);
        state.drain(&mut verdict, &mut out, &mut printed)?;
    }
    match state {
        TextState::Legacy(decoder) => finish_legacy(decoder, verdict, &mut out, printed),
        TextState::V2(mut decoder) => {
            printed.end(&mut out)?;
            Ok(verdict.end(decoder.finish()))
        }
        TextState::Detecting { .. } => Ok(Outcome::Clean),
    }
}
