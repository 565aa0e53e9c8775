//! Inputs shared by the benches: realistic Assistants API streams, built in memory.

use std::fmt::Write;

/// A real-shaped capture: the preamble and the end of the bench stream come from it.
const HELLO: &str = include_str!("../../examples/captures/hello.sse");

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
    let words = [
        "Hello",
        " world",
        ", streaming",
        " is",
        " fun",
        " and",
        " fast",
        ".",
    ];
    for i in 0..deltas {
        let word = words[i % words.len()];
        let _ = write!(
            out,
            "event: thread.message.delta\ndata: {{\"id\":\"msg_hello1\",\"object\":\"thread.message.delta\",\"delta\":{{\"content\":[{{\"index\":0,\"type\":\"text\",\"text\":{{\"value\":\"{word}\",\"annotations\":[]}}}}]}}}}\n\n"
        );
    }
    out.push_str(&HELLO[after..]);
    out.into_bytes()
}
