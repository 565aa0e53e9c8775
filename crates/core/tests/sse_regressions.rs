//! Where the common Rust SSE parsers go wrong, one regression test each.

mod common;

use common::{ev, parse, parse_chunks};
use streaming_assistants_core::sse::{End, Event, Limits, Parser};

/// `eventsource-stream` 0.2 panics on a BOM at the start of the stream.
#[test]
fn bom_at_stream_start_does_not_panic() {
    let (events, end) = parse(b"\xEF\xBB\xBFevent: thread.run.created\ndata: {}\n\n");
    assert_eq!(events, [ev("thread.run.created", "{}")]);
    assert_eq!(end, End::Clean);
}

/// `eventsource-stream` 0.2 loses an event whose blank line is a lone CR at the end of input.
#[test]
fn lone_cr_ending_the_last_event_dispatches_it() {
    let (events, end) = parse(b"data: a\r\rdata: last\r\r");
    assert_eq!(events, [ev("message", "a"), ev("message", "last")]);
    assert_eq!(end, End::Clean);
}

/// `eventsource-stream` 0.2 buffers every event after an invalid UTF-8 byte until the end of
/// input; here each event comes out as soon as its blank line arrives.
#[test]
fn invalid_utf8_does_not_stall_later_events() {
    let mut parser = Parser::new();
    parser.push(b"data: bad \xFF byte\n\n");
    assert_eq!(
        common::next(&mut parser),
        Some(Ok(ev("message", "bad \u{FFFD} byte")))
    );
    parser.push(b"data: next\n\n");
    assert_eq!(common::next(&mut parser), Some(Ok(ev("message", "next"))));
}

/// Peers parse `retry` with a lenient integer parser, accepting a sign or stopping at junk.
#[test]
fn retry_with_sign_or_junk_is_ignored() {
    let (events, _) = parse(b"retry: +5\ndata: a\n\nretry: 12a\ndata: b\n\n");
    assert_eq!(events, [ev("message", "a"), ev("message", "b")]);
}

/// A bare `event` line (no colon) sets the type to empty, i.e. back to `message`.
#[test]
fn bare_event_line_resets_the_type() {
    let (events, _) = parse(b"event: custom\nevent\ndata: a\n\n");
    assert_eq!(events, [ev("message", "a")]);
}

/// A 1 MiB data line fed in 64-byte chunks: correct (the cost side is in the benches).
#[test]
fn long_line_in_small_chunks() {
    let mut input = b"data: ".to_vec();
    input.extend(std::iter::repeat_n(b'x', 1 << 20));
    input.extend_from_slice(b"\n\n");
    let chunks: Vec<&[u8]> = input.chunks(64).collect();
    let (events, end) = parse_chunks(Limits::default(), &chunks);
    assert_eq!(end, End::Clean);
    let [Ok(event)] = events.as_slice() else {
        panic!("expected one event, got {events:?}")
    };
    assert_eq!(event.data().len(), 1 << 20);
    let _: &Event = event; // owned by the helper
}
