//! Typed stream events: an SSE event's name and JSON data → [`StreamEvent`].
//!
//! [`StreamEvent::decode`] maps one event; [`Decoder`] runs the whole pipeline (bytes → SSE →
//! typed events) and says how the stream ended. Both framings decode to the same events:
//! OpenAI's (`event: thread.run.created` + `data: {...}`) and Astra's (`data: {"event":
//! "thread.run.created", "data": {...}}`). Astra's legacy message stream has its own
//! [`legacy`](super::legacy) decoder.

mod decoder;
mod stream_event;
mod text_delta;

pub use crate::wire::protocol::{DecodeError, Error};
pub use decoder::{Decoder, Ending};
pub use stream_event::StreamEvent;
pub use text_delta::{Decoded, TextDelta};

/// How a stream frames its events, as [`Framing::detect`] tells from its first event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// OpenAI's v2 framing: the name on an `event:` line.
    V2,
    /// Astra's v2 framing: data-only frames `{"event": name, "data": object}`.
    Wrapped,
    /// Astra's legacy message stream: data-only frames `{"object": ..., "data": [messages]}`.
    Legacy,
}

impl Framing {
    /// Tells the framing from a stream's first SSE event.
    pub fn detect(first: &crate::sse::EventRef<'_>) -> Framing {
        if first.event() != "message" {
            return Framing::V2;
        }
        #[derive(serde::Deserialize)]
        struct Probe<'a> {
            #[serde(borrow, default)]
            event: Option<&'a serde_json::value::RawValue>,
            #[serde(borrow, default)]
            data: Option<&'a serde_json::value::RawValue>,
        }
        match serde_json::from_str::<Probe<'_>>(first.data()) {
            Ok(Probe { event: Some(_), .. }) => Framing::Wrapped,
            Ok(Probe { data: Some(d), .. }) if d.get().starts_with('[') => Framing::Legacy,
            _ if first.data().trim() == "[]" => Framing::Legacy,
            _ => Framing::V2,
        }
    }
}
