//! An answer read whole, not streamed (a JSON object): a [`Session`](crate::drive::Session) of
//! it only sends the request, with retries, and the transport reads the body itself.

use std::convert::Infallible;

use super::{Accumulate, Decode, Error, Finish, Protocol, Rejected};
use crate::wire::ErrorObject;

/// The protocol of a non-streamed answer: no events. A session of it is over at its first
/// `Step::Read`, which means "the answer is here". It is its own decoder and accumulator.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotStreamed;

impl super::sealed::Sealed for NotStreamed {}

impl Protocol for NotStreamed {
    type Decoder = NotStreamed;
    type Event = Infallible;
    type Accumulator = NotStreamed;
    type Snapshot = ();
    const STREAMED: bool = false;
}

impl Decode for NotStreamed {
    type Event = Infallible;
    type Item<'a> = Infallible;

    fn push(&mut self, _: &[u8]) {}
    fn next_event(&mut self) -> Option<Result<Infallible, Error>> {
        None
    }
    fn next_decoded(&mut self) -> Option<Result<Infallible, Error>> {
        None
    }
    fn is_over(&self) -> bool {
        true
    }
    fn finish_at(&mut self) -> Finish {
        Finish {
            complete: true,
            at: 0,
        }
    }
    fn event_error(event: &Infallible) -> Option<ErrorObject> {
        match *event {}
    }
    fn item_error(item: &Infallible) -> Option<ErrorObject> {
        match *item {}
    }
    fn push_text(item: &Infallible, _: &mut String) {
        match *item {}
    }
}

impl Accumulate<NotStreamed> for NotStreamed {
    type Snapshot = ();
    fn apply_item(&mut self, item: &Infallible) -> Result<(), Rejected> {
        match *item {}
    }
    fn apply_event(&mut self, event: &Infallible) -> Result<(), Rejected> {
        match *event {}
    }
    fn finish(self) {}
}
