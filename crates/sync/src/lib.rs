//! A blocking client for streaming OpenAI-style APIs — Assistants, Responses and Chat
//! Completions — on `ureq` and `streaming-assistants-core`.
//!
//! ```no_run
//! use streaming_assistants_sync::{Client, Config};
//!
//! let client = Client::new(Config::from_env())?;
//! let stream = client.threads().runs().create_stream("thread_abc", "asst_abc")?;
//! for text in stream.text() {
//!     print!("{}", text?); // each delta as soon as it arrives
//! }
//! # Ok::<(), streaming_assistants_sync::Error>(())
//! ```

#![forbid(unsafe_code)]
// Input (bodies, headers) must never reach a panic: these are errors here, not warnings.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod api;
mod client;
mod error;
mod legacy;
mod pump;
mod stream;
mod text;
mod tools;
mod websocket;

pub use api::*;
pub use client::Client;
pub use stream::EventStream;
pub use streaming_assistants_core::shared::*;
pub use text::Text;
pub use tools::NoTools;
pub use websocket::{
    LaneEvents, LaneText, ResponsesConnection, WebSocketOptions, WebSocketToolLoop,
};

/// This crate's README example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The workspace README's examples (both clients, the core), compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct WorkspaceReadmeDoctests;

/// `docs/sync.md`, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/sync.md")]
pub struct SyncQuickstartDoctests;

/// `docs/responses.md`, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/responses.md")]
pub struct ResponsesDoctests;

/// `docs/chat.md`, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/chat.md")]
pub struct ChatDoctests;
