//! Limits: typed errors past them, recovery with the next event, bounded memory.

mod common;

use common::{ev, parse_chunks};
use streaming_assistants_core::sse::{End, Error, Limits, Parser};

fn limits(line: usize, event: usize) -> Limits {
    Limits::default().max_line_len(line).max_event_len(event)
}

#[test]
fn defaults_are_16_mib() {
    assert_eq!(Limits::default().max_line_len, 16 << 20);
    assert_eq!(Limits::default().max_event_len, 16 << 20);
}

#[test]
fn a_line_past_the_limit_is_an_error_and_its_event_is_skipped() {
    let input = b"data: ok\n\nevent: big\ndata: 0123456789abcdef\ndata: more\n\ndata: after\n\n";
    // The same errors and events whether the long line arrives whole or is caught growing.
    for chunk in [input.len(), 7, 1] {
        let chunks: Vec<&[u8]> = input.chunks(chunk).collect();
        let (out, end) = parse_chunks(limits(12, 1024), &chunks);
        assert_eq!(
            out,
            [
                Ok(ev("message", "ok")),
                Err(Error::LineTooLong { at: 21, limit: 12 }),
                Ok(ev("message", "after")),
            ],
            "chunk size {chunk}"
        );
        assert_eq!(end, End::Clean);
    }
}

#[test]
fn an_event_past_the_limit_is_an_error_and_parsing_goes_on() {
    let input = b"data: 12345\ndata: 67890\ndata: xy\n\ndata: fits\n\n";
    for chunk in [input.len(), 1] {
        let chunks: Vec<&[u8]> = input.chunks(chunk).collect();
        let (out, end) = parse_chunks(limits(64, 14), &chunks);
        assert_eq!(
            out,
            [
                Err(Error::EventTooLarge { at: 24, limit: 14 }),
                Ok(ev("message", "fits")),
            ]
        );
        assert_eq!(end, End::Clean);
    }
}

#[test]
fn a_line_exactly_at_the_limit_is_accepted() {
    let (out, _) = parse_chunks(limits(8, 64), &[b"data: ab\n\n"]);
    assert_eq!(out, [Ok(ev("message", "ab"))]);
    let (out, _) = parse_chunks(limits(7, 64), &[b"data: ab\n\n"]);
    assert_eq!(out, [Err(Error::LineTooLong { at: 0, limit: 7 })]);
}

#[test]
fn input_ending_inside_a_skipped_event_is_truncated() {
    let (out, end) = parse_chunks(limits(4, 64), &[b"data: toolong"]);
    assert_eq!(out, [Err(Error::LineTooLong { at: 0, limit: 4 })]);
    assert_eq!(end, End::Truncated { at: 0 });
}

/// 100 MiB with no line end, in 64 KiB chunks: one error, and memory stays near the limit.
#[test]
fn memory_is_bounded_by_the_limit_not_the_body() {
    let limit = 1 << 20;
    let chunk = vec![b'a'; 64 * 1024];
    let mut parser = Parser::with_limits(limits(limit, limit));
    let mut errors = 0;
    let mut most = 0;
    for _ in 0..1600 {
        parser.push(&chunk);
        while let Some(item) = parser.next_event() {
            assert!(matches!(item, Err(Error::LineTooLong { at: 0, .. })));
            errors += 1;
        }
        most = most.max(parser.buffered_len());
    }
    assert_eq!(errors, 1);
    assert!(most <= limit + chunk.len(), "held {most} bytes");
    parser.push(b"\n\ndata: recovered\n\n");
    assert_eq!(
        common::next(&mut parser),
        Some(Ok(ev("message", "recovered")))
    );
}

#[test]
fn error_messages_say_what_and_where() {
    let err = Error::LineTooLong { at: 42, limit: 10 };
    assert_eq!(
        err.to_string(),
        "SSE line at byte 42 is longer than the 10-byte limit; its event was skipped"
    );
}
