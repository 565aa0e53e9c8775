//! The replay modes for a Chat Completions stream: text (choice 0's content), `--events`,
//! `--snapshot` (the final `ChatCompletion`), by the lenient rule or `--strict`.

use std::io::{self, Write};

use serde_json::value::RawValue;
use streaming_assistants_core::chat::{Accumulator, Chat, Decoded, Decoder, Rule};
use streaming_assistants_core::drive::{Reader, StreamError};
use streaming_assistants_core::sse::{self, Limits};

use super::input::Input;
use super::{warn, Outcome};

/// Runs the reader over the input, handing each item to `each`; says what went wrong on
/// stderr after the output of each piece of input.
fn read(
    input: &mut Input,
    limits: Limits,
    mut each: impl FnMut(&Decoded) -> io::Result<()>,
    mut flush: impl FnMut() -> io::Result<()>,
) -> io::Result<Outcome> {
    let mut reader = Reader::<Chat>::with_decoder(Decoder::with_limits(limits));
    let mut held: Vec<String> = Vec::new();
    let mut bad = false;
    let mut say = |err: StreamError, held: &mut Vec<String>| {
        bad = true;
        held.push(match err {
            StreamError::ErrorEvent(e) => format!(
                "the server sent an error: {}",
                e.message.as_deref().unwrap_or("(no message)")
            ),
            StreamError::Truncated { at } => format!(
                "the stream was cut short at byte {at}: no `data: [DONE]`; everything received \
                 was printed"
            ),
            other => other.to_string(),
        });
    };
    input.for_each(|piece| {
        reader.push(piece);
        while let Some(item) = reader.next_item() {
            match item {
                Ok(item) => each(&item)?,
                Err(err) => say(err, &mut held),
            }
        }
        flush()?;
        held.drain(..).for_each(warn);
        Ok(())
    })?;
    if let Some(err) = reader.end() {
        say(err, &mut held);
    }
    held.drain(..).for_each(warn);
    Ok(if bad { Outcome::Bad } else { Outcome::Clean })
}

/// Default mode: choice 0's content as it arrives, flushed once per piece of input.
pub(crate) fn text(input: &mut Input, limits: Limits, out: impl Write) -> io::Result<Outcome> {
    let out = std::cell::RefCell::new(io::BufWriter::with_capacity(64 * 1024, out));
    let mut ends_with_newline = true;
    let outcome = read(
        input,
        limits,
        |item| {
            if let Some(text) = item.content().filter(|t| !t.is_empty()) {
                ends_with_newline = text.ends_with('\n');
                out.borrow_mut().write_all(text.as_bytes())?;
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

/// `--snapshot`: the final `ChatCompletion` (`null` if no chunk came).
pub(crate) fn snapshot(input: &mut Input, limits: Limits, rule: Rule) -> io::Result<Outcome> {
    let mut acc = Accumulator::new(rule);
    let mut misplaced = Vec::new();
    let outcome = read(
        input,
        limits,
        |item| {
            let applied = match item {
                Decoded::Content(delta) => acc.apply_content(delta),
                Decoded::Chunk(chunk) => acc.apply_json(chunk),
                _ => Ok(()),
            };
            if let Err(err) = applied {
                misplaced.push(err);
            }
            Ok(())
        },
        || Ok(()),
    )?;
    let mut out = io::stdout().lock();
    // The typed `ChatCompletion`'s serialization (the same JSON), `null` before any chunk.
    let completion = match acc.snapshot() {
        Some(_) => acc.into_completion().to_value(),
        None => serde_json::Value::Null,
    };
    serde_json::to_writer(&mut out, &completion)?;
    out.write_all(b"\n")?;
    out.flush()?;
    for err in &misplaced {
        warn(format_args!("a chunk was not applied: {err}"));
    }
    Ok(if misplaced.is_empty() {
        outcome
    } else {
        Outcome::Bad
    })
}

/// `--events`: one JSON line per chunk, `{"event":"chunk","data":<JSON as received>}`
/// (`"error"` for an error payload; `[DONE]` ends it and is not printed).
pub(crate) fn events(input: &mut Input, limits: Limits) -> io::Result<Outcome> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        event: &'a str,
        data: &'a RawValue,
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut parser = sse::Parser::with_limits(limits);
    let mut bad = false;
    let mut done = false;
    input.for_each(|piece| {
        parser.push(piece);
        let mut held = Vec::new();
        while let Some(item) = parser.next_event() {
            let event = match item {
                Ok(event) => event,
                Err(err) => {
                    bad = true;
                    held.push(err.to_string());
                    continue;
                }
            };
            if event.data().trim() == "[DONE]" {
                done = true;
                continue;
            }
            match serde_json::from_str::<&RawValue>(event.data()) {
                Ok(raw) => {
                    let error = raw.get().starts_with("{\"error\"");
                    if error {
                        bad = true;
                        held.push("the server sent an error payload".to_owned());
                    }
                    let name = if error { "error" } else { "chunk" };
                    serde_json::to_writer(
                        &mut out,
                        &Line {
                            event: name,
                            data: raw,
                        },
                    )?;
                    out.write_all(b"\n")?;
                }
                Err(err) => {
                    bad = true;
                    held.push(format!("a chunk is not JSON: {err}"));
                }
            }
        }
        out.flush()?;
        held.into_iter().for_each(warn);
        Ok(())
    })?;
    parser.finish();
    if !done {
        bad = true;
        warn("the stream was cut short: no `data: [DONE]`; everything received was printed");
    }
    Ok(if bad { Outcome::Bad } else { Outcome::Clean })
}

/// `--parsed`: openai-python's structured-output events, one JSON line each (`chunk` events
/// left out), with `"choice"`.
pub(crate) fn parsed(
    input: &mut Input,
    limits: Limits,
    mode: streaming_assistants_core::json::PartialMode,
) -> io::Result<Outcome> {
    use streaming_assistants_core::chat::{ChatEvent, StructuredState};
    let reader = Reader::<Chat>::with_decoder(Decoder::with_limits(limits));
    let mut state = StructuredState::with_mode(mode);
    super::parsed::lines(input, reader, |event, lines| {
        // A typed chunk always serializes (its fields are JSON values and strings).
        let ChatEvent::Chunk(chunk) = event else {
            return Ok(());
        };
        let Ok(json) = serde_json::to_value(&chunk) else {
            return Ok(());
        };
        let fired = state.handle_chunk(&json)?;
        lines.extend(fired.iter().map(|event| event.to_json(&state)));
        Ok(())
    })
}
