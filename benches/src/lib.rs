//! Inputs shared by the benches: realistic Assistants API streams, built in memory.

pub mod cpu;
pub mod peer;

use std::convert::Infallible;
use std::fmt::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

/// A real-shaped capture: the preamble and the end of the bench stream come from it.
const HELLO: &str = include_str!("../../examples/captures/hello.sse");

/// The text pieces the benches' deltas carry, in turn.
pub const WORDS: [&str; 8] = [
    "Hello",
    " world",
    ", streaming",
    " is",
    " fun",
    " and",
    " fast",
    ".",
];

/// A realistic v2 run stream as the OpenAI service frames it (`event:` + `data:` + blank
/// line): `examples/captures/hello.sse`'s events up to its first text delta (thread, run,
/// step and message objects, in full), then `deltas` `thread.message.delta` events of about
/// 180 bytes each, then the capture's completion events and `done`.
pub fn assistants_stream(deltas: usize) -> Vec<u8> {
    let first = HELLO.find("event: thread.message.delta").unwrap_or(0);
    let after = HELLO
        .find("event: thread.message.completed")
        .unwrap_or(HELLO.len());
    let mut out = String::with_capacity(deltas * 190 + HELLO.len());
    out.push_str(&HELLO[..first]);
    for i in 0..deltas {
        let word = WORDS[i % WORDS.len()];
        let _ = write!(
            out,
            "event: thread.message.delta\ndata: {{\"id\":\"msg_hello1\",\"object\":\"thread.message.delta\",\"delta\":{{\"content\":[{{\"index\":0,\"type\":\"text\",\"text\":{{\"value\":\"{word}\",\"annotations\":[]}}}}]}}}}\n\n"
        );
    }
    out.push_str(&HELLO[after..]);
    out.into_bytes()
}

/// A body as a `Stream` of chunks, always ready, as a transport would yield it: what the
/// `Stream`-based peers (`eventsource-stream`) are driven with.
pub struct Chunks<'a> {
    body: std::slice::Chunks<'a, u8>,
}

impl<'a> Chunks<'a> {
    /// The chunks of `body`, `size` bytes each.
    pub fn new(body: &'a [u8], size: usize) -> Self {
        Chunks {
            body: body.chunks(size),
        }
    }
}

impl<'a> Stream for Chunks<'a> {
    type Item = Result<&'a [u8], Infallible>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.body.next().map(Ok))
    }
}

/// The workspace README's examples (core, sync and async clients), compiled as doctests here:
/// this crate is the one that depends on all of them.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct WorkspaceReadmeDoctests;
