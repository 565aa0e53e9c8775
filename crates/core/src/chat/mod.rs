//! Chat Completions streaming, for every server that claims to speak it: [`ChatChunk`]s
//! (unknown fields kept), `[DONE]` as the clean end, an `{"error": ...}` payload as a typed
//! error, and the [`Accumulator`] with its two rules (`docs/chat.md`).

mod accumulate;
mod chunk;
mod completion;
mod decoder;
mod hot;
mod request;
mod session;
mod template;

pub use accumulate::{AccumulateError, Accumulator, Rule, MAX_INDEX};
pub use chunk::{
    ChatChunk, ChatEvent, ChunkChoice, Delta, FinishReason, FunctionDelta, ToolCallDelta,
};
pub use completion::{
    Audio, ChatCompletion, Choice, CompletionUsage, FunctionCall, Logprobs, Message, TokenLogprob,
    ToolCall,
};
pub use decoder::{ContentDelta, Decoded, Decoder};
pub use request::ChatRequest;
pub use session::{ChatSession, ChatToolCall};

use crate::wire::protocol::{Error, Finish, Protocol, Rejected};
use crate::wire::ErrorObject;

/// Chat Completions as a [`Protocol`], accumulated by the lenient rule. Over at `[DONE]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Chat;

impl crate::wire::protocol::sealed::Sealed for Chat {}

impl Protocol for Chat {
    type Decoder = Decoder;
    type Event = ChatEvent;
    type Item<'a> = Decoded<'a>;
    type Accumulator = Accumulator;
    /// The `ChatCompletion` (`null` if no chunk came).
    type Snapshot = ChatCompletion;

    fn push(decoder: &mut Decoder, chunk: &[u8]) {
        decoder.push(chunk);
    }
    fn next_event(decoder: &mut Decoder) -> Option<Result<ChatEvent, Error>> {
        decoder.next_event()
    }
    fn next_item(decoder: &mut Decoder) -> Option<Result<Decoded<'_>, Error>> {
        decoder.next_decoded()
    }
    fn is_over(decoder: &Decoder) -> bool {
        decoder.is_over()
    }
    fn finish(decoder: &mut Decoder) -> Finish {
        decoder.finish()
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
    fn apply(acc: &mut Accumulator, item: &Decoded<'_>) -> Result<(), Rejected> {
        match item {
            Decoded::Content(delta) => acc.apply_content(delta).map_err(Rejected::new),
            Decoded::Chunk(chunk) => acc.apply_json(chunk).map_err(Rejected::new),
            _ => Ok(()),
        }
    }
    fn apply_event(acc: &mut Accumulator, event: &ChatEvent) -> Result<(), Rejected> {
        match event {
            // A typed chunk always serializes (its fields are JSON values and strings).
            ChatEvent::Chunk(chunk) => serde_json::to_value(chunk)
                .map_err(Rejected::new)
                .and_then(|json| acc.apply_json(&json).map_err(Rejected::new)),
            _ => Ok(()),
        }
    }
    fn snapshot(acc: Accumulator) -> ChatCompletion {
        acc.into_completion()
    }
}
