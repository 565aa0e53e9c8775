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
mod text_delta;

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
pub use text_delta::{Decoded, OutputTextDelta};

use crate::wire::protocol::{Error, Finish, Protocol, Rejected};

/// A resumed stream (`starting_after`) may begin past the lifecycle events: what comes before
/// the next one is kept aside, not rejected, and the terminal event brings the whole response.
fn kept_aside_before_start(applied: Result<(), AccumulateError>) -> Result<(), Rejected> {
    match applied {
        Err(AccumulateError::NotStarted { .. }) => Ok(()),
        applied => applied.map_err(Rejected::new),
    }
}
use crate::wire::ErrorObject;

/// The Responses stream as a [`Protocol`]: over after `response.completed`, `.failed`,
/// `.incomplete` or `error`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Responses;

impl crate::wire::protocol::sealed::Sealed for Responses {}

impl Protocol for Responses {
    type Decoder = Decoder;
    type Event = ResponseEvent;
    type Item<'a> = Decoded<'a>;
    type Accumulator = Accumulator;
    type Snapshot = Response;

    fn push(decoder: &mut Decoder, chunk: &[u8]) {
        decoder.push(chunk);
    }
    fn next_event(decoder: &mut Decoder) -> Option<Result<ResponseEvent, Error>> {
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
    fn apply(acc: &mut Accumulator, item: &Decoded<'_>) -> Result<(), Rejected> {
        kept_aside_before_start(acc.apply_decoded(item))
    }
    fn apply_event(acc: &mut Accumulator, event: &ResponseEvent) -> Result<(), Rejected> {
        kept_aside_before_start(acc.apply(event))
    }
    fn snapshot(acc: Accumulator) -> Response {
        acc.into_snapshot().into_response()
    }
}
