//! The Responses API stream: [`ResponseEvent`]s dispatched on their JSON `type` (unknown types
//! kept), the borrowed hot path for output text, and the [`Accumulator`] that builds the
//! `Response` snapshot as openai-node does. See `docs/responses.md`.

mod accumulate;
mod decoder;
mod event;
mod function_call;
mod request;
mod response;
mod session;
mod structured;
mod text_delta;
pub mod websocket;

pub use accumulate::{AccumulateError, Accumulator, Snapshot};
pub use decoder::Decoder;
pub use event::{EventType, ResponseEvent};
pub use function_call::FunctionCall;
pub use request::ResponseRequest;
pub use response::{
    ContentPart, FunctionToolCall, IncompleteDetails, OutputItem, OutputMessage, OutputText,
    ReasoningItem, Refusal, Response, ResponseError, ResponseStatus, ResponseUsage, ToolItem,
};
pub use session::ResponsesSession;
pub use structured::{StructuredEvent, StructuredState};
pub use text_delta::{Decoded, OutputTextDelta};

use crate::wire::protocol::Protocol;

/// The Responses stream as a [`Protocol`]: over after `response.completed`, `.failed`,
/// `.incomplete` or `error`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Responses;

impl crate::wire::protocol::sealed::Sealed for Responses {}

impl Protocol for Responses {
    type Decoder = Decoder;
    type Event = ResponseEvent;
    type Accumulator = Accumulator;
    type Snapshot = Response;
}
