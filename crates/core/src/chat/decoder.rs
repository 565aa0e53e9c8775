//! The pipeline: bytes → SSE events → chunks, and whether `[DONE]` arrived.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use super::template::Template;
use super::ChatEvent;
use crate::sse::{self, Limits};
use crate::wire::protocol::{Decode, DecodeError, Error, Finish};
use crate::wire::ErrorObject;

/// A chunk that only adds text to one choice — almost every chunk of a stream — with its
/// strings borrowed from the decoder's buffer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentDelta<'a> {
    /// The completion's id.
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// `chat.completion.chunk`.
    #[serde(borrow)]
    pub object: Cow<'a, str>,
    /// Unix time.
    pub created: i64,
    /// The model.
    #[serde(borrow)]
    pub model: Cow<'a, str>,
    /// The backend's fingerprint (`&str`: serde copies an `Option<Cow>` always; one with an
    /// escape goes the owned way, and so does a `null`, which the rules treat apart from an
    /// absent field).
    #[serde(borrow, default, deserialize_with = "string")]
    pub system_fingerprint: Option<&'a str>,
    /// The tier that served it (a `null` goes the owned way).
    #[serde(borrow, default, deserialize_with = "string")]
    pub service_tier: Option<&'a str>,
    /// The padding (borrowed: its place is a hole of the [`Template`]).
    #[serde(borrow, default)]
    pub(super) obfuscation: Option<&'a str>,
    /// `"usage": null`, as streams with `include_usage` carry on every chunk but the last
    /// (`Some` when the field is there: a plain `Option` would read its `null` as absent).
    #[serde(default, deserialize_with = "present")]
    pub(crate) usage: Option<Null>,
    /// The one choice and its text.
    #[serde(borrow, deserialize_with = "one_choice")]
    pub choices: (u64, Cow<'a, str>),
}

/// `[{"index": N, "delta": {"content": "..."}, "logprobs": null, "finish_reason": null}]`
/// and nothing else.
fn one_choice<'de, D: serde::Deserializer<'de>>(d: D) -> Result<(u64, Cow<'de, str>), D::Error> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Text<'a> {
        #[serde(borrow)]
        content: Cow<'a, str>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Choice<'a> {
        index: u64,
        #[serde(borrow)]
        delta: Text<'a>,
        #[serde(default)]
        logprobs: Option<Never>,
        #[serde(default)]
        finish_reason: Option<Never>,
    }
    let [choice]: [Choice<'de>; 1] = Deserialize::deserialize(d)?;
    let _ = (choice.logprobs, choice.finish_reason);
    Ok((choice.index, choice.delta.content))
}

/// A field that was there, `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Null;

impl<'de> Deserialize<'de> for Null {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<Never>::deserialize(d).map(|_| Null)
    }
}

/// A field that is there (whatever `Null` accepts) as `Some`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Null>, D::Error> {
    Null::deserialize(d).map(Some)
}

/// A field that is there as a string (a plain `Option` would read a `null` as absent).
fn string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de str>, D::Error> {
    <&str>::deserialize(d).map(Some)
}

/// Only `null` (through `Option`) decodes: any value makes the chunk go the owned way.
enum Never {}

impl<'de> Deserialize<'de> for Never {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom("not null"))
    }
}

/// What [`Decoder::next_decoded`] yields: the hot path borrowed, any other chunk as its JSON
/// (what the accumulator takes, so that nothing the server sent is lost), an error payload,
/// or the end.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Decoded<'a> {
    /// A chunk that only adds text to one choice, borrowed.
    Content(ContentDelta<'a>),
    /// A chunk's JSON, as sent.
    Chunk(Value),
    /// `data: {"error": {...}}`.
    Error(Box<ErrorObject>),
    /// `data: [DONE]`.
    Done,
}

impl Decoded<'_> {
    /// Choice 0's new text, if any.
    pub fn content(&self) -> Option<&str> {
        let chunk = match self {
            Decoded::Content(delta) => return (delta.choices.0 == 0).then_some(&*delta.choices.1),
            Decoded::Chunk(chunk) => chunk,
            _ => return None,
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
/// use streaming_assistants_core::prelude::*;
///
/// let mut decoder = Decoder::new();
/// decoder.push(b"data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
/// assert_eq!(decoder.next_event().unwrap().unwrap().content(), Some("Hi"));
/// decoder.push(b"data: [DONE]\n\n");
/// assert_eq!(decoder.next_event().unwrap().unwrap(), ChatEvent::Done);
/// assert!(decoder.finish_at().complete);
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    sse: sse::Parser,
    position: u64,
    received: u64,
    done: bool,
    /// The last borrowed chunk's shape, to recognize the next one without parsing it all.
    template: Template,
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

impl crate::wire::protocol::sealed::Sealed for Decoder {}

impl Decode for Decoder {
    type Event = ChatEvent;
    type Item<'a> = Decoded<'a>;

    /// Appends the next bytes of the body.
    fn push(&mut self, chunk: &[u8]) {
        self.received += chunk.len() as u64;
        self.sse.push(chunk);
    }

    /// The next event, an error (after which decoding goes on), or `None` for more input.
    fn next_event(&mut self) -> Option<Result<ChatEvent, Error>> {
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

    /// The next chunk as its JSON (what the accumulator takes) — or, for a chunk that only
    /// adds text, borrowed from the decoder's buffer with no allocation — an error payload, or
    /// the end.
    fn next_decoded(&mut self) -> Option<Result<Decoded<'_>, Error>> {
        let event = match self.sse.next_event()? {
            Ok(event) => event,
            Err(err) => return Some(Err(Error::Sse(err))),
        };
        let position = self.position;
        self.position += 1;
        let data = event.data();
        if data.trim() == "[DONE]" {
            self.done = true;
            return Some(Ok(Decoded::Done));
        }
        if let Some(delta) = self.template.read(data) {
            return Some(Ok(Decoded::Content(delta)));
        }
        if let Ok(delta) = serde_json::from_str::<ContentDelta<'_>>(data) {
            self.template.learn(data, &delta);
            return Some(Ok(Decoded::Content(delta)));
        }
        let value: Value = match serde_json::from_str(data) {
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
    fn is_over(&self) -> bool {
        self.done
    }

    /// Ends the input: complete when `[DONE]` arrived. Readies the decoder for another stream.
    fn finish_at(&mut self) -> Finish {
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

    fn event_error(event: &ChatEvent) -> Option<ErrorObject> {
        match event {
            ChatEvent::Error(err) => Some((**err).clone()),
            _ => None,
        }
    }

    fn item_error(item: &Decoded<'_>) -> Option<ErrorObject> {
        match item {
            Decoded::Error(err) => Some((**err).clone()),
            _ => None,
        }
    }

    fn push_text(item: &Decoded<'_>, out: &mut String) {
        if let Some(text) = item.content() {
            out.push_str(text);
        }
    }
}
