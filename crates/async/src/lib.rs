//! An async client for streaming OpenAI-style APIs — Assistants, Responses and Chat
//! Completions — on `reqwest` + `tokio` and `streaming-assistants-core`: the sync client's
//! surface, with streams as `futures_core::Stream`.
//!
//! ```no_run
//! use streaming_assistants_async::{Client, Config};
//!
//! # async fn demo() -> Result<(), streaming_assistants_async::Error> {
//! let client = Client::new(Config::from_env())?;
//! let mut stream = client.threads().runs().create_stream("thread_abc", "asst_abc").await?;
//! while let Some(event) = stream.next().await {
//!     print!("{}", event?.text_deltas().collect::<String>());
//! }
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
// Input (bodies, headers) must never reach a panic: these are errors here, not warnings.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod api;
mod body;
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

/// `docs/async.md`, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/async.md")]
pub struct AsyncQuickstartDoctests;
