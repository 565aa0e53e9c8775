//! What the benches share: realistic streams built in memory (Assistants, Responses, Chat),
//! the pipelines run over them, and one group setup.

pub mod cpu;
pub mod peer;

use std::convert::Infallible;
use std::fmt::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use streaming_assistants_core::drive::Reader;
use streaming_assistants_core::wire::protocol::{Accumulate, Decode, Protocol};

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

/// A real Responses stream (`examples/captures/responses-hello.sse`, recorded from
/// api.openai.com): its preamble and end come from it.
const RESPONSES_HELLO: &str = include_str!("../../examples/captures/responses-hello.sse");

/// A realistic Responses stream: the recording's events up to its first output text delta
/// (the response, the message item, its text part, in full), then `deltas`
/// `response.output_text.delta` events shaped as the service sends them — with `logprobs` and
/// the random `obfuscation` padding that makes events larger than their text — then the
/// recording's `.done` events and `response.completed`.
pub fn responses_stream(deltas: usize) -> Vec<u8> {
    let first = RESPONSES_HELLO
        .find("event: response.output_text.delta")
        .unwrap_or(0);
    let after = RESPONSES_HELLO
        .find("event: response.output_text.done")
        .unwrap_or(RESPONSES_HELLO.len());
    around(
        RESPONSES_HELLO,
        first..after,
        deltas,
        |out, i, word, obfuscation| {
            let _ = write!(
            out,
            "event: response.output_text.delta\ndata: {{\"type\":\"response.output_text.delta\",\"sequence_number\":{},\"item_id\":\"msg_0976c6df58902d6a0068c9ef3537f48196a252a62ce5661cef\",\"output_index\":0,\"content_index\":0,\"delta\":\"{word}\",\"logprobs\":[],\"obfuscation\":\"{obfuscation}\"}}\n\n",
            i + 4
        );
        },
    )
}

/// `recording` with `deltas` events written by `event(out, i, word, padding)` in place of
/// `cut`: each carries one of [`WORDS`] and `obfuscation` padding as long as the service makes
/// it (the text and the padding together about 16 characters).
fn around(
    recording: &str,
    cut: std::ops::Range<usize>,
    deltas: usize,
    event: impl Fn(&mut String, usize, &str, &str),
) -> Vec<u8> {
    let mut out = String::with_capacity(deltas * 340 + recording.len());
    out.push_str(&recording[..cut.start]);
    let pad = "jsHiuh8bUGxQ2rT7wZpL";
    for i in 0..deltas {
        let word = WORDS[i % WORDS.len()];
        event(
            &mut out,
            i,
            word,
            &pad[..16usize.saturating_sub(word.len()).max(3)],
        );
    }
    out.push_str(&recording[cut.end..]);
    out.into_bytes()
}

/// A real Chat Completions stream (recorded from api.openai.com with `include_usage`; see
/// the recordings' PROVENANCE.md): its first and last chunks frame the bench stream.
const CHAT_RECORDING: &str = include_str!(
    "../../crates/core/tests/recordings/chat/chat_dotnet_StreamingStructuredRefusalWorks__654b7239__e0.sse"
);

/// A realistic Chat Completions stream: the recording's first chunk (the role), then `deltas`
/// content chunks shaped as the service sends them — every top-level field repeated,
/// `usage: null`, the random `obfuscation` padding — then the recording's finish chunk, its
/// usage chunk and `[DONE]`.
pub fn chat_stream(deltas: usize) -> Vec<u8> {
    chat_stream_with(deltas, false)
}

/// [`chat_stream`] as a markdown answer streams: every 8th piece a line break, escaped in the
/// JSON (`\n`), so no chunk shape can hold it and the chunk is parsed in full.
pub fn chat_markdown_stream(deltas: usize) -> Vec<u8> {
    chat_stream_with(deltas, true)
}

fn chat_stream_with(deltas: usize, lines: bool) -> Vec<u8> {
    let first = CHAT_RECORDING.find("\n\n").map_or(0, |at| at + 2);
    let last = CHAT_RECORDING
        .find("\"finish_reason\":\"stop\"")
        .and_then(|at| CHAT_RECORDING[..at].rfind("data: "))
        .unwrap_or(CHAT_RECORDING.len());
    around(
        CHAT_RECORDING,
        first..last,
        deltas,
        |out, i, word, obfuscation| {
            let word = if lines && i % 8 == 7 { "\\n\\n" } else { word };
            let _ = write!(
            out,
            "data: {{\"id\":\"chatcmpl-D8dV4fIhj9EeF5vu9iDuZYuG5qp3o\",\"object\":\"chat.completion.chunk\",\"created\":1770950834,\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_ad98c18a04\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{word}\"}},\"logprobs\":null,\"finish_reason\":null}}],\"usage\":null,\"obfuscation\":\"{obfuscation}\"}}\n\n"
        );
        },
    )
}

/// A group of whole-stream runs, `elements` events each: few samples, each a whole stream.
pub fn stream_group<'a>(
    c: &'a mut criterion::Criterion,
    name: &str,
    elements: usize,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group.throughput(criterion::Throughput::Elements(elements as u64));
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.measurement_time(std::time::Duration::from_secs(5));
    group
}

/// Each event's data, framed already: what the floors decode.
pub fn payloads(body: &[u8]) -> Vec<String> {
    let mut parser = streaming_assistants_core::sse::Parser::new();
    parser.push(body);
    let mut out = Vec::new();
    while let Some(event) = parser.next_event() {
        out.push(event.expect("valid").data().to_owned());
    }
    out
}

/// The whole pipeline as both transports run it: `body` in `chunk`-byte reads through the
/// `drive::Reader` pump over `P` (its borrowed hot path), each item into `acc`, the snapshot at
/// the end. Returns the number of items and the snapshot, for the bench to check once (the
/// accumulator drops what it cannot apply: only the snapshot shows it).
pub fn through_reader<P: Protocol>(
    body: &[u8],
    chunk: usize,
    mut acc: P::Accumulator,
) -> (usize, P::Snapshot) {
    let mut reader = Reader::<P>::new();
    let mut items = 0;
    for piece in body.chunks(chunk) {
        reader.push(piece);
        while let Some(item) = reader.next_item() {
            acc.apply_item(&item.expect("valid")).expect("applies");
            items += 1;
        }
    }
    assert!(reader.end().is_none(), "a clean end");
    (items, acc.finish())
}

/// The reply's text as `body`'s items carry it (what `text()` yields), to check a snapshot by.
pub fn reply_text<P: Protocol>(body: &[u8]) -> String {
    let mut reader = Reader::<P>::new();
    let mut text = String::new();
    reader.push(body);
    while let Some(item) = reader.next_item() {
        P::Decoder::push_text(&item.expect("valid"), &mut text);
    }
    text
}

/// Owned typed events, no accumulation: `body` in `chunk`-byte reads through `P`'s decoder.
pub fn owned_events<P: Protocol>(body: &[u8], chunk: usize) -> usize {
    let mut decoder = P::Decoder::default();
    let mut events = 0;
    for piece in body.chunks(chunk) {
        decoder.push(piece);
        while let Some(event) = decoder.next_event() {
            std::hint::black_box(event.expect("valid"));
            events += 1;
        }
    }
    events
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
