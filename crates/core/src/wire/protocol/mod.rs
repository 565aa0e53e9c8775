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

/// How a body's bytes ended, as the protocol sees it ([`Decode::finish_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finish {
    /// Whether the stream ended as the protocol says a complete one ends.
    pub complete: bool,
    /// The byte offset up to which every event was delivered: where an unterminated event
    /// began, or the end of the body.
    pub at: u64,
}

/// A protocol's decoder, implemented by the decoder itself (`assistants::Decoder`,
/// `responses::Decoder`, ...): bytes in, events out, owned or through the protocol's borrowed
/// hot path. Sealed, as [`Protocol`] is.
pub trait Decode: sealed::Sealed + Default + std::fmt::Debug + Send + Unpin {
    /// A typed event, owned.
    type Event;
    /// What the borrowed hot path yields: an event, or a piece of it borrowed from the
    /// decoder's buffer.
    type Item<'a>
    where
        Self: 'a;

    /// Appends the next bytes of the body.
    fn push(&mut self, chunk: &[u8]);
    /// The next event, an error (after which decoding goes on), or `None` for more input.
    fn next_event(&mut self) -> Option<Result<Self::Event, Error>>;
    /// Like [`Decode::next_event`], through the borrowed hot path.
    fn next_decoded(&mut self) -> Option<Result<Self::Item<'_>, Error>>;
    /// Whether the protocol's own end (`done`, a terminal event) has been seen: whatever
    /// happens to the connection afterwards, the stream was complete.
    fn is_over(&self) -> bool;
    /// Ends the input (once `next_event` returns `None`), and readies the decoder for another
    /// stream.
    fn finish_at(&mut self) -> Finish;
    /// The error an `error` event carries (errors are rare: it is a copy).
    fn event_error(event: &Self::Event) -> Option<ErrorObject>;
    /// The same for an item of the hot path.
    fn item_error(item: &Self::Item<'_>) -> Option<ErrorObject>;
    /// Appends the item's new text (the reply as a user reads it) to `out`.
    fn push_text(item: &Self::Item<'_>, out: &mut String);
}

/// A protocol's accumulator, implemented by the accumulator itself: the events of decoder `D`
/// in, a snapshot out. Sealed, as [`Protocol`] is.
pub trait Accumulate<D: Decode>: sealed::Sealed + Default {
    /// What a whole stream accumulates to.
    type Snapshot;

    /// Applies an item of the hot path. An item the accumulator cannot place (a delta for an
    /// object never created, an index past the limit) changes nothing and is [`Rejected`].
    fn apply_item(&mut self, item: &D::Item<'_>) -> Result<(), Rejected>;
    /// Applies an owned event (what a stream's iterator yields), as
    /// [`Accumulate::apply_item`] does an item (the tool loops' `into_snapshot`).
    fn apply_event(&mut self, event: &D::Event) -> Result<(), Rejected>;
    /// What the events accumulated to: the protocol's final result (named apart from the
    /// accumulators' own `snapshot()`, a borrow of the state so far).
    fn finish(self) -> Self::Snapshot;
}

/// A streamed protocol: which decoder and which accumulator. The transports' streams are
/// generic over it, so a new protocol adds a decoder, an accumulator and this, and no loop.
/// Sealed: the protocols are this crate's.
pub trait Protocol: sealed::Sealed {
    /// Turns bytes into events; holds all the stream's state.
    type Decoder: Decode<Event = Self::Event>;
    /// A typed event, owned (the decoder's).
    type Event;
    /// What the events accumulate to.
    type Accumulator: Accumulate<Self::Decoder, Snapshot = Self::Snapshot>;
    /// What a whole stream accumulates to (the accumulator's).
    type Snapshot;
    /// Whether the answer is an event stream (checked by its headers) rather than one object
    /// read whole ([`NotStreamed`]).
    const STREAMED: bool = true;
}

/// The hot-path item of protocol `P`'s decoder.
pub type Item<'a, P> = <<P as Protocol>::Decoder as Decode>::Item<'a>;
