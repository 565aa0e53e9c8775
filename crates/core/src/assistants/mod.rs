//! The Assistants API: wire types, events in both framings (OpenAI's and Astra's), Astra's
//! legacy message stream, and the accumulator — each a [`Protocol`].

pub mod accumulate;
pub mod event;
pub mod legacy;
mod legacy_flow;
mod request;
mod session;
pub mod types;

pub use legacy_flow::{LegacyFlow, LegacyStep};
pub use session::AssistantsTools;

use crate::wire::protocol::{Error, Finish, Protocol, Rejected};
use crate::wire::ErrorObject;
use accumulate::{Accumulator, Snapshot};
use event::{Decoded, Decoder, StreamEvent};
use legacy::{LegacyDecoder, LegacyEvent};

/// The Assistants v2 event stream, in either framing: [`StreamEvent`]s accumulated into a
/// [`Snapshot`]. Over at `done`, or (Astra) after a terminal run event.
#[derive(Debug, Clone, Copy, Default)]
pub struct Assistants;

impl crate::wire::protocol::sealed::Sealed for Assistants {}

impl Protocol for Assistants {
    type Decoder = Decoder;
    type Event = StreamEvent;
    type Item<'a> = Decoded<'a>;
    type Accumulator = Accumulator;
    type Snapshot = Snapshot;

    fn push(decoder: &mut Decoder, chunk: &[u8]) {
        decoder.push(chunk);
    }
    fn next_event(decoder: &mut Decoder) -> Option<Result<StreamEvent, Error>> {
        decoder.next_event()
    }
    fn next_item(decoder: &mut Decoder) -> Option<Result<Decoded<'_>, Error>> {
        decoder.next_decoded()
    }
    fn is_over(decoder: &Decoder) -> bool {
        decoder.is_over()
    }
    fn finish(decoder: &mut Decoder) -> Finish {
        decoder.finish_at()
    }
    fn event_error(event: &StreamEvent) -> Option<ErrorObject> {
        match event {
            StreamEvent::Error(err) => Some((**err).clone()),
            _ => None,
        }
    }
    fn item_error(item: &Decoded<'_>) -> Option<ErrorObject> {
        match item {
            Decoded::Event(event) => Self::event_error(event),
            Decoded::TextDelta(_) => None,
        }
    }
    fn push_text(item: &Decoded<'_>, out: &mut String) {
        out.extend(item.text_deltas());
    }
    fn apply(acc: &mut Accumulator, item: &Decoded<'_>) -> Result<(), Rejected> {
        acc.apply_decoded(item).map_err(Rejected::new)
    }
    fn apply_event(acc: &mut Accumulator, event: &StreamEvent) -> Result<(), Rejected> {
        acc.apply(event).map_err(Rejected::new)
    }
    fn snapshot(acc: Accumulator) -> Snapshot {
        acc.into_snapshot()
    }
}

/// Astra's legacy message stream: frames of message fragments, accumulated into the reply's
/// text. It has no end marker: complete when the body closes between frames.
#[derive(Debug, Clone, Copy, Default)]
pub struct Legacy;

impl crate::wire::protocol::sealed::Sealed for Legacy {}

impl Protocol for Legacy {
    type Decoder = LegacyDecoder;
    type Event = LegacyEvent;
    type Item<'a> = LegacyEvent;
    type Accumulator = String;
    type Snapshot = String;

    fn push(decoder: &mut LegacyDecoder, chunk: &[u8]) {
        decoder.push(chunk);
    }
    fn next_event(decoder: &mut LegacyDecoder) -> Option<Result<LegacyEvent, Error>> {
        decoder.next_event()
    }
    fn next_item(decoder: &mut LegacyDecoder) -> Option<Result<LegacyEvent, Error>> {
        decoder.next_event()
    }
    fn is_over(_: &LegacyDecoder) -> bool {
        false
    }
    fn finish(decoder: &mut LegacyDecoder) -> Finish {
        decoder.finish_at()
    }
    fn event_error(_: &LegacyEvent) -> Option<ErrorObject> {
        None
    }
    fn item_error(_: &LegacyEvent) -> Option<ErrorObject> {
        None
    }
    fn push_text(item: &LegacyEvent, out: &mut String) {
        if let LegacyEvent::Chunk(chunk) = item {
            chunk.push_text(out);
        }
    }
    fn apply(acc: &mut String, item: &LegacyEvent) -> Result<(), Rejected> {
        Self::push_text(item, acc);
        Ok(())
    }
    fn apply_event(acc: &mut String, event: &LegacyEvent) -> Result<(), Rejected> {
        Self::push_text(event, acc);
        Ok(())
    }
    fn snapshot(acc: String) -> String {
        acc
    }
}
