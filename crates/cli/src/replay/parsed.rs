//! `--parsed`, for Chat and Responses alike: each event of the protocol's reader through its
//! structured state, one JSON line per structured event; where the SDK raises,
//! `{"error": ...}` ends the output (exit 1).

use std::io::{self, Write};

use serde_json::Value;
use streaming_assistants_core::chat::StructuredError;
use streaming_assistants_core::drive::Reader;
use streaming_assistants_core::wire::protocol::Protocol;

use super::input::Input;
use super::{warn, Outcome};

/// Reads the input with `reader`; `handle` turns each event into the lines it prints.
pub(crate) fn lines<P: Protocol>(
    input: &mut Input,
    mut reader: Reader<P>,
    mut handle: impl FnMut(P::Event, &mut Vec<Value>) -> Result<(), StructuredError>,
) -> io::Result<Outcome> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut lines = Vec::new();
    let mut failed = None;
    let mut bad = false;
    input.for_each(|piece| {
        reader.push(piece);
        while let Some(event) = reader.next_event() {
            match event {
                Ok(_) if failed.is_some() => {}
                Ok(event) => {
                    if let Err(err) = handle(event, &mut lines) {
                        failed = Some(err);
                    }
                    for line in lines.drain(..) {
                        writeln!(out, "{line}")?;
                    }
                }
                Err(err) => {
                    bad = true;
                    warn(err);
                }
            }
        }
        out.flush()
    })?;
    if let Some(err) = failed {
        writeln!(out, "{}", serde_json::json!({ "error": err.name() }))?;
        out.flush()?;
        warn(err);
        return Ok(Outcome::Bad);
    }
    if let Some(err) = reader.end() {
        bad = true;
        warn(err);
    }
    Ok(if bad { Outcome::Bad } else { Outcome::Clean })
}
