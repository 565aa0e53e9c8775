//! The pipeline: bytes → SSE events → [`ResponseEvent`]s, and whether the stream is over.

use super::{Decoded, OutputTextDelta, ResponseEvent};
use crate::sse::{self, Limits};
use crate::wire::protocol::{Decode, Error, Finish};
use crate::wire::ErrorObject;

/// Decodes a Responses stream: push bytes, take [`ResponseEvent`]s. Dispatches on the JSON
/// `type`, so data-only frames (no `event:` line) decode the same. The stream is over after
/// `response.completed`, `.failed`, `.incomplete` or `error` (there is no `[DONE]`; one sent by
/// a compatible server ends it too, and comes out as an event of type `Unknown("[DONE]")`).
///
/// ```
/// use streaming_assistants_core::responses::{Decoder, EventType};
/// use streaming_assistants_core::prelude::*;
///
/// let mut decoder = Decoder::new();
/// decoder.push(b"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",");
/// decoder.push(b"\"sequence_number\":4,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}\n\n");
/// let event = decoder.next_event().unwrap().unwrap();
/// assert_eq!((&event.kind, event.output_text_delta()), (&EventType::OutputTextDelta, Some("Hi")));
/// assert!(!decoder.is_over());
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    sse: sse::Parser,
    position: u64,
    received: u64,
    over: bool,
}

impl Decoder {
    /// A decoder with the default SSE limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder with the given SSE limits.
    pub fn with_limits(limits: Limits) -> Self {
        Decoder {
            sse: sse::Parser::with_limits(limits),
            ..Self::default()
        }
    }
}

/// A `data: [DONE]` frame, as an event of a type this protocol does not have.
fn done() -> ResponseEvent {
    let mut event = ResponseEvent::default();
    event.kind = super::EventType::Unknown("[DONE]".into());
    event
}

impl crate::wire::protocol::sealed::Sealed for Decoder {}

impl Decode for Decoder {
    type Event = ResponseEvent;
    type Item<'a> = Decoded<'a>;

    /// Appends the next bytes of the body.
    fn push(&mut self, chunk: &[u8]) {
        self.received += chunk.len() as u64;
        self.sse.push(chunk);
    }

    /// The next event, an error (after which decoding goes on), or `None` for more input.
    fn next_event(&mut self) -> Option<Result<ResponseEvent, Error>> {
        let event = match self.sse.next_event()? {
            Ok(event) => event,
            Err(err) => return Some(Err(Error::Sse(err))),
        };
        let position = self.position;
        self.position += 1;
        if event.data() == "[DONE]" {
            self.over = true;
            return Some(Ok(done()));
        }
        let decoded = ResponseEvent::decode(event.event(), event.data(), position);
        if let Ok(event) = &decoded {
            self.over |= event.kind.is_terminal();
        }
        Some(decoded.map_err(Error::Decode))
    }

    /// Like [`Decoder::next_event`], without copying the hot path: an output text delta comes
    /// out borrowed from the decoder's buffer ([`Decoded::OutputTextDelta`], no allocation);
    /// every other event comes out owned.
    fn next_decoded(&mut self) -> Option<Result<Decoded<'_>, Error>> {
        let event = match self.sse.next_event()? {
            Ok(event) => event,
            Err(err) => return Some(Err(Error::Sse(err))),
        };
        let position = self.position;
        self.position += 1;
        if event.data() == "[DONE]" {
            self.over = true;
            return Some(Ok(Decoded::Event(Box::new(done()))));
        }
        if matches!(event.event(), "response.output_text.delta" | "message") {
            if let Some(delta) = OutputTextDelta::parse(event.data()) {
                return Some(Ok(Decoded::OutputTextDelta(delta)));
            }
        }
        let decoded = ResponseEvent::decode(event.event(), event.data(), position);
        if let Ok(event) = &decoded {
            self.over |= event.kind.is_terminal();
        }
        Some(
            decoded
                .map(|e| Decoded::Event(Box::new(e)))
                .map_err(Error::Decode),
        )
    }

    /// Whether the stream is over: a terminal event arrived.
    fn is_over(&self) -> bool {
        self.over
    }

    /// Ends the input (call once `next_event` returns `None`): complete when a terminal event
    /// arrived. Readies the decoder for another stream.
    fn finish_at(&mut self) -> Finish {
        let received = self.received;
        let over = self.over;
        let end = self.sse.finish();
        *self = Decoder::with_limits(self.sse.limits());
        match end {
            _ if over => Finish {
                complete: true,
                at: received,
            },
            sse::End::Clean => Finish {
                complete: false,
                at: received,
            },
            sse::End::Truncated { at } => Finish {
                complete: false,
                at,
            },
        }
    }

    fn event_error(event: &ResponseEvent) -> Option<ErrorObject> {
        event.error_object()
    }

    fn item_error(item: &Decoded<'_>) -> Option<ErrorObject> {
        match item {
            Decoded::Event(event) => event.error_object(),
            Decoded::OutputTextDelta(_) => None,
        }
    }

    fn push_text(item: &Decoded<'_>, out: &mut String) {
        if let Some(text) = item.output_text_delta() {
            out.push_str(text);
        }
    }
}
