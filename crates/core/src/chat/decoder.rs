//! The pipeline: bytes → SSE events → chunks, and whether `[DONE]` arrived.

use serde_json::Value;

use super::ChatEvent;
use crate::protocol::{DecodeError, Error, Finish};
use crate::sse::{self, Limits};
use crate::wire::ErrorObject;

/// What [`Decoder::next_decoded`] yields: a chunk as its JSON (what the accumulator takes, so
/// that nothing the server sent is lost), an error payload, or the end.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Decoded {
    /// A chunk's JSON, as sent.
    Chunk(Value),
    /// `data: {"error": {...}}`.
    Error(Box<ErrorObject>),
    /// `data: [DONE]`.
    Done,
}

impl Decoded {
    /// Choice 0's new text, if any.
    pub fn content(&self) -> Option<&str> {
        let Decoded::Chunk(chunk) = self else {
            return None;
        };
        chunk
            .get("choices")?
            .as_array()?
            .iter()
            .find(|c| c.get("index").and_then(Value::as_u64).unwrap_or(0) == 0)?
            .get("delta")?
            .get("content")?
            .as_str()
    }
}

/// Decodes a Chat Completions stream: push bytes, take [`ChatEvent`]s (or, for the
/// accumulator, [`Decoded`] JSON). Over at `data: [DONE]`; `event:` lines and comments some
/// servers add are ignored.
///
/// ```
/// use streaming_assistants_core::chat::{ChatEvent, Decoder};
///
/// let mut decoder = Decoder::new();
/// decoder.push(b"data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
/// assert_eq!(decoder.next_event().unwrap().unwrap().content(), Some("Hi"));
/// decoder.push(b"data: [DONE]\n\n");
/// assert_eq!(decoder.next_event().unwrap().unwrap(), ChatEvent::Done);
/// assert!(decoder.finish().complete);
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    sse: sse::Parser,
    position: u64,
    received: u64,
    done: bool,
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

    /// Appends the next bytes of the body.
    pub fn push(&mut self, chunk: &[u8]) {
        self.received += chunk.len() as u64;
        self.sse.push(chunk);
    }

    /// The next event, an error (after which decoding goes on), or `None` for more input.
    pub fn next_event(&mut self) -> Option<Result<ChatEvent, Error>> {
        let event = match self.sse.next_event()? {
            Ok(event) => event,
            Err(err) => return Some(Err(Error::Sse(err))),
        };
        let position = self.position;
        self.position += 1;
        let decoded = ChatEvent::decode(event.event(), event.data(), position);
        self.done |= matches!(decoded, Ok(ChatEvent::Done));
        Some(decoded.map_err(Error::Decode))
    }

    /// The next chunk as its JSON (what the accumulator takes), an error payload, or the end.
    pub fn next_decoded(&mut self) -> Option<Result<Decoded, Error>> {
        let event = match self.sse.next_event()? {
            Ok(event) => event,
            Err(err) => return Some(Err(Error::Sse(err))),
        };
        let position = self.position;
        self.position += 1;
        if event.data().trim() == "[DONE]" {
            self.done = true;
            return Some(Ok(Decoded::Done));
        }
        let value: Value = match serde_json::from_str(event.data()) {
            Ok(value) => value,
            Err(err) => {
                return Some(Err(Error::Decode(DecodeError::new(
                    event.event(),
                    position,
                    &err,
                ))))
            }
        };
        if value.get("choices").is_none() {
            if let Some(error) = value.get("error").and_then(error_object) {
                return Some(Ok(Decoded::Error(Box::new(error))));
            }
        }
        Some(Ok(Decoded::Chunk(value)))
    }

    /// Whether `[DONE]` arrived.
    pub fn is_over(&self) -> bool {
        self.done
    }

    /// Ends the input: complete when `[DONE]` arrived. Readies the decoder for another stream.
    pub fn finish(&mut self) -> Finish {
        let (received, done) = (self.received, self.done);
        let end = self.sse.finish();
        *self = Decoder::with_limits(self.sse.limits());
        match end {
            _ if done => Finish {
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
}

/// An `{"error": {...}}` payload's error, read leniently: servers send `code` as a number
/// (vLLM: `503`), which is kept as its text.
pub(crate) fn error_object(error: &Value) -> Option<ErrorObject> {
    let fields = error.as_object()?;
    let text = |key: &str| match fields.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    let mut out = ErrorObject::default();
    out.message = text("message");
    out.kind = text("type");
    out.param = text("param");
    out.code = text("code");
    for (key, value) in fields {
        if !matches!(key.as_str(), "message" | "type" | "param" | "code") {
            out.extra.insert(key.clone(), value.clone());
        }
    }
    Some(out)
}
