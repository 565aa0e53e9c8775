//! The no-I/O core of streaming-assistants.
//!
//! Bytes flow one way through it: an HTTP body (or a capture, or anything else that yields
//! bytes, in any chunking) goes into [`sse::Parser`], which frames it into [`sse::Event`]s
//! exactly as the WHATWG "event stream" rules say. Nothing here does I/O or needs an async
//! runtime: the transports (`streaming-assistants-sync`, `streaming-assistants-async`) and your
//! own code push bytes in and take events out.
//!
//! ```
//! use streaming_assistants_core::sse::{End, Parser};
//!
//! let mut parser = Parser::new();
//! let mut events = Vec::new();
//! // Chunks may split anywhere, even inside a CRLF.
//! for chunk in [&b"event: thread.message.delta\r"[..], b"\ndata: {\"id\":", b"\"msg_1\"}\r\n\r\n"] {
//!     parser.push(chunk);
//!     while let Some(event) = parser.next_event() {
//!         events.push(event.expect("within limits").to_owned());
//!     }
//! }
//! assert_eq!(parser.finish(), End::Clean);
//! assert_eq!(events[0].event(), "thread.message.delta");
//! assert_eq!(events[0].data(), r#"{"id":"msg_1"}"#);
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod json;
pub mod sse;
#[macro_use]
pub mod wire;

pub mod assistants;
pub mod chat;
pub mod responses;

pub mod drive;
pub mod surface;

/// The traits the decoders' and accumulators' stream methods come from (`push`,
/// `next_event`, `next_decoded`, `finish_at`, `apply_item`, ...): each protocol's decoder and
/// accumulator implements them itself. `use streaming_assistants_core::prelude::*;`
pub mod prelude {
    pub use crate::wire::protocol::{Accumulate, Decode, Protocol};
}

/// The core's types that both transports re-export as their own (`pub use …::shared::*`), so
/// the two surfaces cannot drift apart and users need not name the core.
pub mod shared {
    pub use crate::assistants::Assistants;
    pub use crate::chat::ChatRequest;
    pub use crate::chat::{Chat, Rule as ChatRule};
    pub use crate::drive::{Error, Retries, StreamError, Timeouts, Verdict};
    pub use crate::responses::ResponseRequest;
    pub use crate::responses::Responses;
    pub use crate::wire::{ApiError, Config};
}

/// This crate's README example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;

/// `docs/embedding.md`, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/embedding.md")]
pub struct EmbeddingDoctests;

/// `docs/compatibility.md`, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/compatibility.md")]
pub struct CompatibilityDoctests;
