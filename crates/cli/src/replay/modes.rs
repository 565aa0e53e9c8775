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
use streaming_assistants_core::wire::protocol::Decode;

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
    /// Warnings not said yet, in the modes that buffer stdout: said after the text decoded
    /// before them is flushed, so that on a terminal a warning never shows ahead of that text.
    held: Option<Vec<String>>,
}

impl Verdict {
    /// A verdict that holds its warnings until [`release`](Verdict::release).
    fn holding() -> Self {
        Verdict {
            bad: false,
            held: Some(Vec::new()),
        }
    }

    fn error(&mut self, message: impl std::fmt::Display) {
        self.bad = true;
        match &mut self.held {
            Some(held) => held.push(message.to_string()),
            None => warn(message),
        }
    }

    /// Says the held warnings; call it once stdout is flushed.
    fn release(&mut self) {
        for message in self.held.iter_mut().flat_map(|held| held.drain(..)) {
            warn(message);
        }
    }

    /// Says the held warnings and holds no more: stdout is complete.
    fn stop_holding(&mut self) {
        self.release();
        self.held = None;
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
        self.stop_holding();
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

/// `--legacy`: Astra's legacy message stream, its text, flushed once per piece of input (see
/// [`text`]).
pub(crate) fn legacy(input: &mut Input, limits: Limits, out: impl Write) -> io::Result<Outcome> {
    let mut out = io::BufWriter::with_capacity(OUT_CAPACITY, out);
    let mut decoder = LegacyDecoder::with_limits(limits);
    let mut verdict = Verdict::holding();
    let mut printed = Printed::default();
    let read = input.for_each(|piece| {
        decoder.push(piece);
        drain_legacy(&mut decoder, &mut verdict, &mut out, &mut printed)?;
        out.flush()?;
        verdict.release();
        Ok(())
    });
    verdict.release();
    read?;
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
    verdict.stop_holding();
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
    /// Writes without flushing: the caller flushes once per piece of input, not per delta.
    fn write(&mut self, out: &mut impl Write, text: &str) -> io::Result<()> {
        if let Some(c) = text.chars().next_back() {
            self.last = Some(c);
            out.write_all(text.as_bytes())?;
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

/// The text modes' output buffer: as large as one read of the input, so that a read's text
/// usually goes out in one write.
const OUT_CAPACITY: usize = 64 * 1024;

/// Default mode: the text, the framing detected from the first event.
///
/// The text is buffered and flushed once per piece of input (one read, or one `--chunk-size`
/// piece), after the piece's events are printed: text still appears as soon as its bytes
/// arrive on a pipe, but a read holding thousands of deltas costs one `write`, not thousands.
pub(crate) fn text(input: &mut Input, limits: Limits, out: impl Write) -> io::Result<Outcome> {
    let mut out = io::BufWriter::with_capacity(OUT_CAPACITY, out);
    let mut printed = Printed::default();
    let mut verdict = Verdict::holding();
    let mut state = TextState::Detecting {
        probe: sse::Parser::with_limits(limits),
        held: Vec::new(),
    };
    let read = input.for_each(|piece| {
        state.push(piece, limits);
        state.drain(&mut verdict, &mut out, &mut printed)?;
        out.flush()?;
        verdict.release();
        Ok(())
    });
    verdict.release();
    read?;
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

#[cfg(test)]
mod tests {
    use std::io::{self, Cursor, Write};

    use super::{legacy, text, Input, Limits, Outcome};

    /// Counts the calls an output receives.
    #[derive(Default)]
    struct Counting {
        bytes: Vec<u8>,
        writes: usize,
        flushes: usize,
    }

    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.flushes += 1;
            Ok(())
        }
    }

    const DELTAS: usize = 20_000;

    /// Replays `capture` in `mode` into a counting output; also returns how many reads the
    /// input took (64 KiB each, as the command reads).
    fn replay(
        capture: Vec<u8>,
        mode: fn(&mut Input, Limits, &mut Counting) -> io::Result<Outcome>,
    ) -> (Counting, usize) {
        let reads = capture.len().div_ceil(64 * 1024);
        let mut input = Input::from_reader(Box::new(Cursor::new(capture)), None);
        let mut out = Counting::default();
        let outcome = mode(&mut input, Limits::default(), &mut out).unwrap();
        assert!(matches!(outcome, Outcome::Clean));
        (out, reads)
    }

    fn assert_per_read(out: &Counting, reads: usize) {
        let expected = format!("{}\n", "w ".repeat(DELTAS).trim_end());
        assert_eq!(String::from_utf8_lossy(&out.bytes), expected);
        // One write and one flush per read, plus the final newline's.
        assert!(
            out.writes <= reads + 2 && out.flushes <= reads + 2,
            "{} writes and {} flushes for {reads} reads of {DELTAS} deltas",
            out.writes,
            out.flushes
        );
    }

    #[test]
    fn text_writes_and_flushes_once_per_read_not_per_delta() {
        let mut capture = Vec::new();
        for i in 0..DELTAS {
            let value = if i + 1 == DELTAS { "w" } else { "w " };
            write!(
                capture,
                "event: thread.message.delta\ndata: {{\"id\":\"msg_1\",\"object\":\"thread.message.delta\",\
                 \"delta\":{{\"content\":[{{\"index\":0,\"type\":\"text\",\"text\":{{\"value\":\"{value}\"}}}}]}}}}\n\n"
            )
            .unwrap();
        }
        capture.extend_from_slice(b"event: done\ndata: [DONE]\n\n");
        let (out, reads) = replay(capture, |i, l, o| text(i, l, o));
        assert!(
            reads < DELTAS / 100,
            "the capture is read in few reads: {reads}"
        );
        assert_per_read(&out, reads);
    }

    #[test]
    fn legacy_writes_and_flushes_once_per_read_not_per_chunk() {
        let mut capture = Vec::new();
        for i in 0..DELTAS {
            let value = if i + 1 == DELTAS { "w" } else { "w " };
            write!(
                capture,
                "data: {{\"object\":\"thread.message.delta\",\"data\":[{{\"id\":\"msg_1\",\
                 \"object\":\"thread.message\",\"created_at\":1,\"thread_id\":\"thread_1\",\
                 \"role\":\"assistant\",\"content\":[{{\"type\":\"text\",\"delta\":{{\"value\":\
                 \"{value}\"}}}}]}}],\"first_id\":\"msg_1\",\"last_id\":\"msg_1\"}}\n\n"
            )
            .unwrap();
        }
        let (out, reads) = replay(capture, |i, l, o| legacy(i, l, o));
        assert!(
            reads < DELTAS / 100,
            "the capture is read in few reads: {reads}"
        );
        assert_per_read(&out, reads);
    }
}
