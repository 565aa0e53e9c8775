//! Astra's legacy message stream (`GET /threads/{id}/messages?limit=1&stream=true`).
//!
//! Data-only frames, each a list page of message fragments whose text parts carry
//! `delta.value`. The body just closes when the run stops generating; a server-side failure
//! writes `data: []` with no blank line (so it looks truncated); other frames are reported as
//! [`LegacyEvent::Other`], never fatal.

use serde_json::Value;

use crate::assistants::types::{Metadata, Text};
use crate::sse::{self, End, Limits};
use crate::wire::protocol::{Decode, DecodeError, Error, Finish};
use crate::wire::ErrorObject;

wire_object! {
    /// One frame of the legacy stream.
    pub struct LegacyChunk (append) {
        required {
            /// The message fragments (one, with `limit=1`).
            data: Vec<LegacyMessage>,
        }
        optional {
            /// `thread.message.delta` or `list`, depending on the server's age.
            object: String,
            /// First message id.
            first_id: String,
            /// Last message id.
            last_id: String,
        }
    }
}

impl LegacyChunk {
    /// The new text in this frame: every `content[].delta.value`, in order.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.push_text(&mut out);
        out
    }

    /// Appends [`LegacyChunk::text`] to `out`.
    pub fn push_text(&self, out: &mut String) {
        for message in &self.data {
            for part in &message.content {
                if let Some(value) = part.delta.as_ref().and_then(|d| d.value.as_deref()) {
                    out.push_str(value);
                }
            }
        }
    }
}

wire_object! {
    /// A message fragment of the legacy stream.
    pub struct LegacyMessage (append) {
        required {
            /// `msg_...`.
            id: String,
            /// Its content fragments.
            content: Vec<LegacyContent>,
        }
        optional {
            /// Varies across server versions.
            object: String,
            /// Unix time.
            created_at: i64,
            /// Its thread.
            thread_id: String,
            /// `assistant`.
            role: String,
            /// The assistant.
            assistant_id: String,
            /// The run.
            run_id: String,
            /// Attached files (v1 shape).
            file_ids: Vec<Value>,
            /// Key-value pairs.
            metadata: Metadata,
        }
    }
}

wire_object! {
    /// A content fragment: `{"type": "text", "delta": {"value": "..."}}`.
    pub struct LegacyContent (append) {
        required {}
        optional {
            /// `text`.
            kind as "type": String,
            /// The new text.
            delta: LegacyDelta,
            /// Full text, where a server sends it instead.
            text: Text,
        }
    }
}

wire_object! {
    /// New text of a fragment.
    pub struct LegacyDelta (append) {
        required {}
        optional {
            /// The text.
            value: String,
        }
    }
}

/// What the legacy decoder yields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LegacyEvent {
    /// A frame of message fragments.
    Chunk(LegacyChunk),
    /// A frame that is not a chunk (such as `[]`), as it came.
    Other(String),
}

/// Decodes the legacy stream: push bytes, take [`LegacyEvent`]s.
#[derive(Debug, Default)]
pub struct LegacyDecoder {
    sse: sse::Parser,
    position: u64,
    received: u64,
}

impl LegacyDecoder {
    /// A decoder with the default SSE limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder with the given SSE limits.
    pub fn with_limits(limits: Limits) -> Self {
        LegacyDecoder {
            sse: sse::Parser::with_limits(limits),
            position: 0,
            received: 0,
        }
    }

    /// Ends the input. The legacy stream has no end marker: `Clean` when the body closed
    /// between frames, `Truncated` when it stopped inside one (as after a failure's `data: []`).
    pub fn finish(&mut self) -> End {
        self.position = 0;
        self.received = 0;
        self.sse.finish()
    }
}

impl crate::wire::protocol::sealed::Sealed for LegacyDecoder {}

impl Decode for LegacyDecoder {
    type Event = LegacyEvent;
    type Item<'a> = LegacyEvent;

    /// Appends the next bytes of the body.
    fn push(&mut self, chunk: &[u8]) {
        self.received += chunk.len() as u64;
        self.sse.push(chunk);
    }

    /// The next frame, an error (after which decoding goes on), or `None` for more input.
    fn next_event(&mut self) -> Option<Result<LegacyEvent, Error>> {
        let event = match self.sse.next_event()? {
            Ok(event) => event,
            Err(err) => return Some(Err(Error::Sse(err))),
        };
        let position = self.position;
        self.position += 1;
        let data = event.data();
        if !data.trim_start().starts_with('{') {
            return Some(Ok(LegacyEvent::Other(data.to_owned())));
        }
        Some(
            serde_json::from_str(data)
                .map(LegacyEvent::Chunk)
                .map_err(|e| Error::Decode(DecodeError::new(event.event(), position, &e))),
        )
    }

    /// [`LegacyDecoder::finish`] as every protocol says it (see
    /// [`crate::wire::protocol::Protocol`]): complete when the body closed between frames.
    fn finish_at(&mut self) -> Finish {
        let received = self.received;
        match self.finish() {
            End::Clean => Finish {
                complete: true,
                at: received,
            },
            End::Truncated { at } => Finish {
                complete: false,
                at,
            },
        }
    }

    fn next_decoded(&mut self) -> Option<Result<LegacyEvent, Error>> {
        self.next_event()
    }

    /// The legacy stream has no end marker.
    fn is_over(&self) -> bool {
        false
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
}

impl crate::wire::protocol::sealed::Sealed for String {}

/// The legacy stream accumulates to its text.
impl crate::wire::protocol::Accumulate<LegacyDecoder> for String {
    type Snapshot = String;

    fn apply_item(&mut self, item: &LegacyEvent) -> Result<(), crate::wire::protocol::Rejected> {
        LegacyDecoder::push_text(item, self);
        Ok(())
    }

    fn apply_event(&mut self, event: &LegacyEvent) -> Result<(), crate::wire::protocol::Rejected> {
        LegacyDecoder::push_text(event, self);
        Ok(())
    }

    fn finish(self) -> String {
        self
    }
}
