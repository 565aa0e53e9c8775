//! What a protocol is to the rest of the crate, below every protocol folder so that each can
//! implement it: [`Protocol`] (its decoder, events, hot path and accumulator), [`Verdict`] (how
//! a stream ended), [`ToolSession`] (its tool loop), and the decode errors.
//!
//! [`Protocol`] is the little that [`drive`](crate::drive) and the transports need to know of
//! a protocol: push bytes, take events (owned, or through the protocol's borrowed hot path),
//! tell an `error` event, say whether the protocol's own end has been seen, and accumulate. It
//! is sealed: the protocols are this crate's (`Assistants`, `Legacy`, `Responses`, `Chat`).

mod error;
mod not_streamed;
mod session;

pub use error::{DecodeError, Error, Rejected};
pub use not_streamed::NotStreamed;
pub use session::ToolSession;

/// Seals [`Protocol`]: only this crate's protocols implement it, so it can grow without
/// breaking anyone.
pub(crate) mod sealed {
    /// The seal.
    pub trait Sealed {}
}

/// How a stream ended: exactly one verdict per stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The protocol's end arrived (`done`, a terminal event, or for Astra's legacy stream a
    /// body closed between frames). An I/O error after it changes nothing.
    Clean,
    /// The body ended before the protocol's end: every event before byte `at` was delivered.
    Truncated {
        /// The byte offset up to which every event was delivered.
        at: u64,
    },
    /// Reading the body failed before the protocol's end (a reset, a stall): every event
    /// before byte `at` was delivered, and the transport reports the error.
    Failed {
        /// The byte offset up to which every event was delivered.
        at: u64,
    },
}

use crate::wire::ErrorObject;

/// How a body's bytes ended, as the protocol sees it ([`Protocol::finish`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finish {
    /// Whether the stream ended as the protocol says a complete one ends.
    pub complete: bool,
    /// The byte offset up to which every event was delivered: where an unterminated event
    /// began, or the end of the body.
    pub at: u64,
}

/// A streamed protocol: its decoder, its events, its accumulator.
///
/// Implemented by marker types ([`Assistants`](crate::assistants::Assistants),
/// [`Legacy`](crate::assistants::Legacy)); the transports' streams are generic over it, so a
/// new protocol adds an implementation here and no loop there.
pub trait Protocol: sealed::Sealed {
    /// Turns bytes into events; holds all the stream's state.
    type Decoder: Default + std::fmt::Debug + Send + Unpin;
    /// A typed event, owned.
    type Event;
    /// What the borrowed hot path yields: an event, or a piece of it borrowed from the
    /// decoder's buffer.
    type Item<'a>
    where
        Self: 'a;
    /// What [`Protocol::apply`] builds.
    type Accumulator: Default;
    /// What a whole stream accumulates to.
    type Snapshot;
    /// Whether the answer is an event stream (checked by its headers) rather than one object
    /// read whole ([`NotStreamed`]).
    const STREAMED: bool = true;

    /// Appends the next bytes of the body.
    fn push(decoder: &mut Self::Decoder, chunk: &[u8]);
    /// The next event, an error (after which decoding goes on), or `None` for more input.
    fn next_event(decoder: &mut Self::Decoder) -> Option<Result<Self::Event, Error>>;
    /// Like [`Protocol::next_event`], through the borrowed hot path.
    fn next_item(decoder: &mut Self::Decoder) -> Option<Result<Self::Item<'_>, Error>>;
    /// Whether the protocol's own end (`done`, a terminal event) has been seen: whatever
    /// happens to the connection afterwards, the stream was complete.
    fn is_over(decoder: &Self::Decoder) -> bool;
    /// Ends the input (once `next_event` returns `None`), and readies the decoder for another
    /// stream.
    fn finish(decoder: &mut Self::Decoder) -> Finish;
    /// The error an `error` event carries (errors are rare: it is a copy).
    fn event_error(event: &Self::Event) -> Option<ErrorObject>;
    /// The same for an item of the hot path.
    fn item_error(item: &Self::Item<'_>) -> Option<ErrorObject>;
    /// Appends the item's new text (the reply as a user reads it) to `out`.
    fn push_text(item: &Self::Item<'_>, out: &mut String);
    /// Applies an item to the accumulator. An item the accumulator cannot place (a delta for
    /// an object never created, an index past the limit) changes nothing and is [`Rejected`].
    fn apply(acc: &mut Self::Accumulator, item: &Self::Item<'_>) -> Result<(), Rejected>;
    /// Applies an owned event (what a stream's iterator yields) to the accumulator, as
    /// [`Protocol::apply`] does an item (the tool loops' `into_snapshot`).
    fn apply_event(acc: &mut Self::Accumulator, event: &Self::Event) -> Result<(), Rejected>;
    /// The accumulated snapshot.
    fn snapshot(acc: Self::Accumulator) -> Self::Snapshot;
}
