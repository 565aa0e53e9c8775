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
mod structured;
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
pub use structured::{StructuredError, StructuredEvent, StructuredState};

use crate::wire::protocol::Protocol;

/// Chat Completions as a [`Protocol`], accumulated by the lenient rule. Over at `[DONE]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Chat;

impl crate::wire::protocol::sealed::Sealed for Chat {}

impl Protocol for Chat {
    type Decoder = Decoder;
    type Event = ChatEvent;
    type Accumulator = Accumulator;
    /// The `ChatCompletion` (`null` if no chunk came).
    type Snapshot = ChatCompletion;
}
