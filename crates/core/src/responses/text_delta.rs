//! The hot path without copies: a `response.output_text.delta` with no log probabilities,
//! decoded with its strings borrowed from the decoder's buffer.

use std::borrow::Cow;

use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::ResponseEvent;

/// A `response.output_text.delta` without log probabilities, its strings borrowed where the
/// JSON had no escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTextDelta<'a> {
    /// The event's sequence number.
    pub sequence_number: u64,
    /// The message's index in the output.
    pub output_index: u64,
    /// The text part's index in the message.
    pub content_index: u64,
    /// The message's id.
    pub item_id: Cow<'a, str>,
    /// The new text.
    pub delta: Cow<'a, str>,
    /// The event's data, to make the owned event exactly as the owned path would.
    data: &'a str,
}

impl<'a> OutputTextDelta<'a> {
    /// Decodes `data` if it is an output text delta with no log probabilities; `None` for any
    /// other event or shape.
    pub(crate) fn parse(data: &'a str) -> Option<OutputTextDelta<'a>> {
        let wire: Wire<'a> = serde_json::from_str(data).ok()?;
        (wire.kind == "response.output_text.delta").then_some(OutputTextDelta {
            sequence_number: wire.sequence_number,
            output_index: wire.output_index,
            content_index: wire.content_index,
            item_id: wire.item_id,
            delta: wire.delta,
            data,
        })
    }

    /// The owned event, as [`ResponseEvent::decode`] makes it.
    pub fn to_event(&self) -> ResponseEvent {
        // The data decoded before, so it decodes again; the fallback is never taken.
        ResponseEvent::decode("response.output_text.delta", self.data, 0).unwrap_or_default()
    }
}

/// The shape taken borrowed. Any other field (log probabilities that are not empty, a field
/// this version does not know) fails it, and the event goes the owned way.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    sequence_number: u64,
    output_index: u64,
    content_index: u64,
    #[serde(borrow)]
    item_id: Cow<'a, str>,
    #[serde(borrow)]
    delta: Cow<'a, str>,
    #[serde(default)]
    #[allow(dead_code)]
    logprobs: Empty,
    // A string (or null), as the owned event takes it: anything else must fail here too, and
    // the event go the owned way to its error (the fuzzer found a map taken as padding).
    #[serde(default)]
    #[allow(dead_code)]
    obfuscation: Padding,
}

/// A string or null, read and dropped without allocating: nothing else.
#[derive(Default)]
struct Padding;

impl<'de> Deserialize<'de> for Padding {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PaddingVisitor;
        impl Visitor<'_> for PaddingVisitor {
            type Value = Padding;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Padding, E> {
                Ok(Padding)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Padding, E> {
                Ok(Padding)
            }
        }
        deserializer.deserialize_any(PaddingVisitor)
    }
}

/// An empty list (or null), nothing else.
#[derive(Default)]
struct Empty;

impl<'de> Deserialize<'de> for Empty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EmptyVisitor;
        impl<'de> Visitor<'de> for EmptyVisitor {
            type Value = Empty;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an empty list")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Empty, E> {
                Ok(Empty)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Empty, A::Error> {
                match seq.next_element::<IgnoredAny>()? {
                    None => Ok(Empty),
                    Some(_) => Err(de::Error::custom("log probabilities")),
                }
            }
        }
        deserializer.deserialize_any(EmptyVisitor)
    }
}

/// What [`Decoder::next_decoded`](crate::wire::protocol::Decode::next_decoded) yields: the borrowed hot path,
/// or any other event owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded<'a> {
    /// An output text delta, borrowed.
    OutputTextDelta(OutputTextDelta<'a>),
    /// Any other event (boxed: an event has a field for every type's payload).
    Event(Box<ResponseEvent>),
}

impl Decoded<'_> {
    /// The reply's new text, if any.
    pub fn output_text_delta(&self) -> Option<&str> {
        match self {
            Decoded::OutputTextDelta(delta) => Some(&delta.delta),
            Decoded::Event(event) => event.output_text_delta(),
        }
    }

    /// The owned event.
    pub fn into_event(self) -> ResponseEvent {
        match self {
            Decoded::OutputTextDelta(delta) => delta.to_event(),
            Decoded::Event(event) => *event,
        }
    }
}
