//! The replay modes for a Responses stream: text, `--events`, `--snapshot`, on the core's
//! `drive::Reader` (one ending rule: over after `response.completed`, `.failed`, `.incomplete`
//! or `error`).

use std::io::{self, Write};

use serde_json::value::RawValue;
use streaming_assistants_core::drive::{Reader, StreamError};
use streaming_assistants_core::responses::{
    Accumulator, Decoded, Decoder, EventType, ResponseEvent, Responses,
};
use streaming_assistants_core::sse::{self, Limits};

use super::input::Input;
use super::{warn, Outcome};

/// What makes a Responses replay fail: said on stderr after the output it concerns.
#[derive(Default)]
struct Failures {
    held: Vec<String>,
    bad: bool,
}

impl Failures {
    fn add(&mut self, message: impl std::fmt::Display) {
        self.bad = true;
        self.held.push(message.to_string());
    }

    /// An event's own failure: `error`, or a failed response.
    fn observe(&mut self, event: &ResponseEvent) {
        if let Some(err) = event.error_object() {
            self.add(format_args!(
                "the server sent an error event: {}",
                err.message.as_deref().unwrap_or("(no message)")
            ));
        } else if event.kind == EventType::Failed {
            let error = event.response.as_ref().and_then(|r| r.get("error"));
            let field = |key: &str| {
                error
                    .and_then(|e| e.get(key))
                    .and_then(|v| v.as_str())
                    .unwrap_or("unknown")
                    .to_owned()
            };
            self.add(format_args!(
                "the response failed: {}: {}",
                field("code"),
                field("message")
            ));
        }
    }

    fn stream_error(&mut self, err: StreamError) {
        match err {
            // Said by `observe` from the event itself.
            StreamError::ErrorEvent(_) => {}
            StreamError::Truncated { at } => self.add(format_args!(
                "the stream was cut short at byte {at}: no `response.completed`, `.failed`, \
                 `.incomplete` or `error`; everything received was printed"
            )),
            other => self.add(other),
        }
    }

    fn release(&mut self) {
        for message in self.held.drain(..) {
            warn(message);
        }
    }

    fn outcome(mut self) -> Outcome {
        self.release();
        if self.bad {
            Outcome::Bad
        } else {
            Outcome::Clean
        }
    }
}

/// Runs the reader over the input through the borrowed hot path, handing each item to `each`;
/// `flush` runs after each piece of input, before held warnings are said.
fn read(
    input: &mut Input,
    limits: Limits,
    mut each: impl FnMut(&Decoded<'_>) -> io::Result<()>,
    mut flush: impl FnMut() -> io::Result<()>,
) -> io::Result<Outcome> {
    let mut reader = Reader::<Responses>::with_decoder(Decoder::with_limits(limits));
    let mut failures = Failures::default();
    let mut drain = |reader: &mut Reader<Responses>, failures: &mut Failures| {
        while let Some(item) = reader.next_item() {
            match item {
                Ok(item) => {
                    if let Decoded::Event(event) = &item {
                        failures.observe(event);
                    }
                    each(&item)?;
                }
                Err(err) => {
                    if let StreamError::ErrorEvent(_) = err {
                        // The event was not handed over: say it from the error itself.
                        failures.add(format_args!("the server sent an error event: {err}"));
                    } else {
                        failures.stream_error(err);
                    }
                }
            }
        }
        io::Result::Ok(())
    };
    input.for_each(|piece| {
        reader.push(piece);
        drain(&mut reader, &mut failures)?;
        flush()?;
        failures.release();
        Ok(())
    })?;
    if let Some(err) = reader.end() {
        failures.stream_error(err);
    }
    Ok(failures.outcome())
}

/// Default mode: the output text as it arrives, flushed once per piece of input.
pub(crate) fn text(input: &mut Input, limits: Limits, out: impl Write) -> io::Result<Outcome> {
    let out = std::cell::RefCell::new(io::BufWriter::with_capacity(64 * 1024, out));
    let mut ends_with_newline = true;
    let outcome = read(
        input,
        limits,
        |item| {
            if let Some(text) = item.output_text_delta() {
                if !text.is_empty() {
                    ends_with_newline = text.ends_with('\n');
                    out.borrow_mut().write_all(text.as_bytes())?;
                }
            }
            Ok(())
        },
        || out.borrow_mut().flush(),
    )?;
    let mut out = out.into_inner();
    if !ends_with_newline {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(outcome)
}

/// `--snapshot`: the accumulated `Response`, once, at the end (`null` if none began).
pub(crate) fn snapshot(input: &mut Input, limits: Limits) -> io::Result<Outcome> {
    let mut acc = Accumulator::new();
    let mut misplaced = Vec::new();
    let outcome = read(
        input,
        limits,
        |item| {
            if let Err(err) = acc.apply_decoded(item) {
                misplaced.push(err);
            }
            Ok(())
        },
        || Ok(()),
    )?;
    let mut out = io::stdout().lock();
    // The typed `Response`'s serialization (the same JSON), `null` before `response.created`.
    let snapshot = acc.into_snapshot();
    let response = match snapshot.response() {
        Some(_) => snapshot.into_response().to_value(),
        None => serde_json::Value::Null,
    };
    serde_json::to_writer(&mut out, &response)?;
    out.write_all(b"\n")?;
    out.flush()?;
    for err in &misplaced {
        warn(format_args!("an event was not applied: {err}"));
    }
    Ok(if misplaced.is_empty() {
        outcome
    } else {
        Outcome::Bad
    })
}

/// `--events`: one JSON line per event, `{"event":"<type>","data":<JSON as received>}`.
pub(crate) fn events(input: &mut Input, limits: Limits) -> io::Result<Outcome> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        event: &'a str,
        data: &'a RawValue,
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut parser = sse::Parser::with_limits(limits);
    let mut failures = Failures::default();
    let mut over = false;
    let mut position = 0;
    input.for_each(|piece| {
        parser.push(piece);
        while let Some(item) = parser.next_event() {
            let event = match item {
                Ok(event) => event,
                Err(err) => {
                    failures.add(err);
                    continue;
                }
            };
            position += 1;
            if event.data() == "[DONE]" {
                over = true;
                continue;
            }
            let decoded = ResponseEvent::decode(event.event(), event.data(), position - 1);
            let raw = serde_json::from_str::<&RawValue>(event.data());
            match (decoded, raw) {
                (Ok(decoded), Ok(raw)) => {
                    failures.observe(&decoded);
                    over |= decoded.kind.is_terminal();
                    let line = Line {
                        event: decoded.kind.as_str(),
                        data: raw,
                    };
                    serde_json::to_writer(&mut out, &line)?;
                    out.write_all(b"\n")?;
                }
                (Err(err), _) => failures.add(err),
                (_, Err(err)) => failures.add(err),
            }
        }
        out.flush()?;
        failures.release();
        Ok(())
    })?;
    let end = parser.finish();
    if !over {
        let at = match end {
            sse::End::Truncated { at } => format!(" at byte {at}"),
            sse::End::Clean => String::new(),
        };
        failures.add(format_args!(
            "the stream was cut short{at}: no `response.completed`, `.failed`, `.incomplete` \
             or `error`; everything received was printed"
        ));
    }
    Ok(failures.outcome())
}

/// `--parsed`: the structured-output events, one JSON line each.
pub(crate) fn parsed(
    input: &mut Input,
    limits: Limits,
    mode: streaming_assistants_core::json::PartialMode,
) -> io::Result<Outcome> {
    use streaming_assistants_core::responses::StructuredState;
    let reader = Reader::<Responses>::with_decoder(Decoder::with_limits(limits));
    let mut state = StructuredState::with_mode(mode);
    super::parsed::lines(input, reader, |event, lines| {
        let Ok(json) = serde_json::to_value(&event) else {
            return Ok(());
        };
        if let Some(fired) = state.handle_event(&json)? {
            lines.push(fired.to_json(&json, &state));
        }
        Ok(())
    })
}
