//! The hot path without copies. Almost every event of a stream is a `thread.message.delta`
//! carrying one plain piece of text; [`TextDelta`] decodes exactly that shape with its strings
//! borrowed from the decoder's buffer — no allocation — and anything else about the event (a
//! second part, annotations, a field this shape does not know) falls back to the owned
//! [`StreamEvent`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::StreamEvent;

/// A `thread.message.delta` with a single text piece, its strings borrowed where the JSON had
/// no escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDelta<'a> {
    /// The message's id.
    pub message_id: Cow<'a, str>,
    /// The content part's index.
    pub index: i64,
    /// The piece of text.
    pub text: Cow<'a, str>,
    /// Whether the delta carried an (empty) `annotations` list.
    pub(crate) annotations: bool,
    /// The event's data, to make the owned event exactly as the owned path would.
    data: &'a str,
}

impl<'a> TextDelta<'a> {
    /// Decodes `data` if it is a plain one-piece text delta; `None` for any other shape.
    pub(crate) fn parse(data: &'a str) -> Option<TextDelta<'a>> {
        let wire: Wire<'a> = serde_json::from_str(data).ok()?;
        let One(part) = wire.delta.content;
        let plain = part.kind == "text" && wire.object.is_none_or(|o| o == "thread.message.delta");
        plain.then(|| TextDelta {
            message_id: wire.id,
            index: part.index,
            text: part.text.value,
            annotations: part.text.annotations.is_some(),
            data,
        })
    }

    /// The owned event, as [`StreamEvent::decode`] makes it.
    pub fn to_event(&self) -> StreamEvent {
        // The data decoded before, so it decodes again; the fallback is never taken.
        StreamEvent::decode("thread.message.delta", self.data, 0).unwrap_or(StreamEvent::Unknown {
            event: "thread.message.delta".into(),
            data: self.data.into(),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    /// `Option<Cow>` would always copy (serde borrows only a bare `Cow`); `object` never has
    /// escapes, and if it had, the owned path would take the event.
    #[serde(default, borrow)]
    object: Option<&'a str>,
    #[serde(borrow)]
    delta: Body<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body<'a> {
    #[serde(borrow)]
    content: One<Part<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Part<'a> {
    index: i64,
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    text: TextWire<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextWire<'a> {
    #[serde(borrow)]
    value: Cow<'a, str>,
    #[serde(default)]
    annotations: Option<Empty>,
}

/// A list of exactly one element (no allocation).
struct One<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for One<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OneVisitor<T> {
            type Value = One<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of one element")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<One<T>, A::Error> {
                let first = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(2, &self));
                }
                Ok(One(first))
            }
        }
        deserializer.deserialize_seq(OneVisitor(std::marker::PhantomData))
    }
}

/// An empty list.
struct Empty;

impl<'de> Deserialize<'de> for Empty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EmptyVisitor;
        impl<'de> Visitor<'de> for EmptyVisitor {
            type Value = Empty;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an empty list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Empty, A::Error> {
                match seq.next_element::<IgnoredAny>()? {
                    None => Ok(Empty),
                    Some(_) => Err(de::Error::invalid_length(1, &self)),
                }
            }
        }
        deserializer.deserialize_seq(EmptyVisitor)
    }
}

/// An event as [`Decoder::next_decoded`](crate::wire::protocol::Decode::next_decoded) yields it: a plain text delta borrowed from the
/// decoder's buffer, or any other event, owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded<'a> {
    /// A one-piece text delta, borrowed.
    TextDelta(TextDelta<'a>),
    /// Any other event.
    Event(StreamEvent),
}

impl Decoded<'_> {
    /// The text pieces it carries, in order (as [`StreamEvent::text_deltas`]).
    pub fn text_deltas(&self) -> impl Iterator<Item = &str> {
        let (borrowed, owned) = match self {
            Decoded::TextDelta(delta) => (Some(delta.text.as_ref()), None),
            Decoded::Event(event) => (None, Some(event.text_deltas())),
        };
        borrowed.into_iter().chain(owned.into_iter().flatten())
    }

    /// The owned event.
    pub fn into_event(self) -> StreamEvent {
        match self {
            Decoded::TextDelta(delta) => delta.to_event(),
            Decoded::Event(event) => event,
        }
    }
}
