//! The pipeline: bytes → SSE events → typed events, and how the stream ended.

use super::{DecodeError, Decoded, Error, StreamEvent, TextDelta};
use crate::assistants::types::RunStatus;
use crate::sse::{self, Limits};
use crate::wire::protocol::{Decode, Finish};
use crate::wire::ErrorObject;

/// How a stream ended (`docs/protocol.md`, "When a stream is over").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// `done` arrived: a clean end.
    Done,
    /// No `done`, but the last run event was terminal (Astra sends no `done`): a clean end.
    RunEnded(RunStatus),
    /// Cut short: neither `done` nor a terminal run event. Everything received was yielded;
    /// retrieve the run to learn how it ended.
    Truncated {
        /// Where an unterminated SSE event began, when the body stopped inside one.
        at: Option<u64>,
    },
}

impl Ending {
    /// Whether the stream ended as the protocol says a complete stream ends.
    pub fn is_clean(&self) -> bool {
        !matches!(self, Ending::Truncated { .. })
    }
}

/// Decodes a v2 event stream in either framing: push bytes, take [`StreamEvent`]s.
///
/// ```
/// use streaming_assistants_core::assistants::event::{Decoder, Ending, StreamEvent};
/// use streaming_assistants_core::prelude::*;
///
/// let mut decoder = Decoder::new();
/// decoder.push(b"event: thread.message.delta\ndata: {\"id\":\"msg_1\",\"delta\":");
/// assert!(decoder.next_event().is_none()); // needs more input
/// decoder.push(b"{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"Hi\"}}]}}\n\n");
/// let event = decoder.next_event().unwrap().unwrap();
/// assert_eq!(event.text_deltas().collect::<String>(), "Hi");
/// decoder.push(b"event: done\ndata: [DONE]\n\n");
/// assert_eq!(decoder.next_event().unwrap().unwrap(), StreamEvent::Done);
/// assert_eq!(decoder.finish(), Ending::Done);
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    sse: sse::Parser,
    position: u64,
    received: u64,
    ending: Seen,
}

/// What the decoder has seen of the stream's end: `done`, and the last run status.
#[derive(Debug, Default)]
struct Seen {
    done: bool,
    last_run: Option<RunStatus>,
}

impl Seen {
    fn seen(&mut self, decoded: Result<StreamEvent, DecodeError>) -> Result<StreamEvent, Error> {
        if let Ok(event) = &decoded {
            if let Some(run) = event.run() {
                self.last_run = Some(run.status.clone());
            }
            self.done |= matches!(event, StreamEvent::Done);
        }
        decoded.map_err(Error::Decode)
    }
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

    /// How many SSE events have been decoded so far.
    pub fn events_seen(&self) -> u64 {
        self.position
    }

    /// Ends the input (call once `next_event` returns `None`) and says how the stream ended.
    pub fn finish(&mut self) -> Ending {
        let sse_end = self.sse.finish();
        let ending = if self.ending.done {
            Ending::Done
        } else {
            match self.ending.last_run.take() {
                Some(status) if status.is_terminal() => Ending::RunEnded(status),
                _ => Ending::Truncated {
                    at: match sse_end {
                        sse::End::Truncated { at } => Some(at),
                        sse::End::Clean => None,
                    },
                },
            }
        };
        *self = Decoder::with_limits(self.sse.limits());
        ending
    }
}

impl crate::wire::protocol::sealed::Sealed for Decoder {}

impl Decode for Decoder {
    type Event = StreamEvent;
    type Item<'a> = Decoded<'a>;

    /// Appends the next bytes of the body.
    fn push(&mut self, chunk: &[u8]) {
        self.received += chunk.len() as u64;
        self.sse.push(chunk);
    }

    /// The next event, an error (after which decoding goes on), or `None` for more input.
    fn next_event(&mut self) -> Option<Result<StreamEvent, Error>> {
        let event = match self.sse.next_event()? {
            Ok(event) => event,
            Err(err) => return Some(Err(Error::Sse(err))),
        };
        let position = self.position;
        self.position += 1;
        let decoded = StreamEvent::decode(event.event(), event.data(), position);
        Some(self.ending.seen(decoded))
    }

    /// Like [`Decoder::next_event`], without copying the hot path: a `thread.message.delta`
    /// with one plain text piece comes out borrowed from the decoder's buffer
    /// ([`Decoded::TextDelta`], no allocation); every other event comes out owned. Feed it to
    /// [`Accumulator::apply_decoded`](crate::assistants::accumulate::Accumulator::apply_decoded).
    ///
    /// ```
    /// use streaming_assistants_core::assistants::event::{Decoded, Decoder};
    /// use streaming_assistants_core::prelude::*;
    ///
    /// let mut decoder = Decoder::new();
    /// decoder.push(b"event: thread.message.delta\ndata: {\"id\":\"msg_1\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"Hi\"}}]}}\n\n");
    /// let Some(Ok(Decoded::TextDelta(delta))) = decoder.next_decoded() else { panic!() };
    /// assert_eq!((delta.message_id.as_ref(), delta.text.as_ref()), ("msg_1", "Hi"));
    /// ```
    fn next_decoded(&mut self) -> Option<Result<Decoded<'_>, Error>> {
        let event = match self.sse.next_event()? {
            Ok(event) => event,
            Err(err) => return Some(Err(Error::Sse(err))),
        };
        let position = self.position;
        self.position += 1;
        if event.event() == "thread.message.delta" {
            if let Some(delta) = TextDelta::parse(event.data()) {
                return Some(Ok(Decoded::TextDelta(delta)));
            }
        }
        let decoded = StreamEvent::decode(event.event(), event.data(), position);
        Some(self.ending.seen(decoded).map(Decoded::Event))
    }

    /// Whether the stream is over: `done` arrived, or the last run event was terminal.
    fn is_over(&self) -> bool {
        self.ending.done
            || self
                .ending
                .last_run
                .as_ref()
                .is_some_and(RunStatus::is_terminal)
    }

    /// [`Decoder::finish`] as every protocol says it (see [`crate::wire::protocol::Protocol`]).
    fn finish_at(&mut self) -> Finish {
        let received = self.received;
        match self.finish() {
            Ending::Truncated { at } => Finish {
                complete: false,
                at: at.unwrap_or(received),
            },
            _ => Finish {
                complete: true,
                at: received,
            },
        }
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
}
