//! An answer read whole, not streamed (a JSON object): a [`Session`](crate::drive::Session) of
//! it only sends the request, with retries, and the transport reads the body itself.

use std::convert::Infallible;

use super::{Error, Finish, Protocol, Rejected};
use crate::wire::ErrorObject;

/// The protocol of a non-streamed answer: no events. A session of it is over at its first
/// `Step::Read`, which means "the answer is here".
#[derive(Debug, Clone, Copy, Default)]
pub struct NotStreamed;

impl super::sealed::Sealed for NotStreamed {}

impl Protocol for NotStreamed {
    type Decoder = ();
    type Event = Infallible;
    type Item<'a> = Infallible;
    type Accumulator = ();
    type Snapshot = ();
    const STREAMED: bool = false;

    fn push(_: &mut (), _: &[u8]) {}
    fn next_event(_: &mut ()) -> Option<Result<Infallible, Error>> {
        None
    }
    fn next_item(_: &mut ()) -> Option<Result<Infallible, Error>> {
        None
    }
    fn is_over(_: &()) -> bool {
        true
    }
    fn finish(_: &mut ()) -> Finish {
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
    fn apply(_: &mut (), item: &Infallible) -> Result<(), Rejected> {
        match *item {}
    }
    fn apply_event(_: &mut (), event: &Infallible) -> Result<(), Rejected> {
        match *event {}
    }
    fn snapshot(_: ()) {}
}
