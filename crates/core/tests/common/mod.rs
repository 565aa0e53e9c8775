//! Helpers shared by the SSE test files.
#![allow(dead_code)]

use streaming_assistants_core::sse::{End, Error, Event, Limits, Parser};

/// Feeds `chunks` one after the other and collects everything the parser gives out.
pub fn parse_chunks(limits: Limits, chunks: &[&[u8]]) -> (Vec<Result<Event, Error>>, End) {
    let mut parser = Parser::with_limits(limits);
    let mut out = Vec::new();
    for chunk in chunks {
        parser.push(chunk);
        while let Some(item) = parser.next_event() {
            out.push(item.map(|event| event.to_owned()));
        }
    }
    let end = parser.finish();
    (out, end)
}

/// Parses `input` fed whole, then byte by byte, requires both to agree, and returns the
/// events (all must be `Ok`) and the end.
pub fn parse(input: &[u8]) -> (Vec<Event>, End) {
    let whole = parse_chunks(Limits::default(), &[input]);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    let split = parse_chunks(Limits::default(), &bytes);
    assert_eq!(whole, split, "byte-by-byte feeding changed the result");
    let events = whole
        .0
        .into_iter()
        .map(|e| e.expect("no limit error"))
        .collect();
    (events, whole.1)
}

/// The next event, owned, for comparing.
pub fn next(parser: &mut Parser) -> Option<Result<Event, Error>> {
    parser
        .next_event()
        .map(|item| item.map(|event| event.to_owned()))
}

/// Shorthand for an expected event with no id and no retry.
pub fn ev(event: &str, data: &str) -> Event {
    Event::new(event, data, "", None)
}
