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

use crate::wire::protocol::Protocol;
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
    type Accumulator = Accumulator;
    type Snapshot = Snapshot;
}

/// Astra's legacy message stream: frames of message fragments, accumulated into the reply's
/// text. It has no end marker: complete when the body closes between frames.
#[derive(Debug, Clone, Copy, Default)]
pub struct Legacy;

impl crate::wire::protocol::sealed::Sealed for Legacy {}

impl Protocol for Legacy {
    type Decoder = LegacyDecoder;
    type Event = LegacyEvent;
    type Accumulator = String;
    type Snapshot = String;
}
