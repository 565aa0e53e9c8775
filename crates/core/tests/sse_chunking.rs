//! Property tests: any split of any input gives the events of the whole input, and those are
//! the events a plain, whole-input reading of the WHATWG rules gives.

mod common;

use common::parse_chunks;
use proptest::prelude::*;
use streaming_assistants_core::sse::{Event, Limits};

/// The standard's algorithm written the obvious way, over the whole input at once.
fn reference(input: &[u8]) -> Vec<Event> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = String::from_utf8_lossy(input);
    let mut lines = Vec::new();
    let mut rest = text.as_ref();
    while let Some(i) = rest.find(['\r', '\n']) {
        lines.push(&rest[..i]);
        let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + skip..];
    }
    let (mut data, mut kind, mut id, mut retry) =
        (String::new(), String::new(), String::new(), None);
    let mut events = Vec::new();
    for line in lines {
        if line.is_empty() {
            if !data.is_empty() {
                data.pop();
                let name = if kind.is_empty() { "message" } else { &kind };
                events.push(Event::new(name, &data, &id, retry));
            }
            data.clear();
            kind.clear();
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (name, value) = match line.split_once(':') {
            Some((n, v)) => (n, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match name {
            "event" => kind = value.to_string(),
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "id" if !value.contains('\0') => id = value.to_string(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                retry = Some(value.parse().unwrap_or(u64::MAX));
            }
            _ => {}
        }
    }
    events
}

/// Realistic streams: field lines of every kind with every line ending, comments, blank lines,
/// multi-byte and invalid UTF-8, an occasional BOM up front.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let value = prop::collection::vec(
        prop::sample::select(vec![
            &b"a"[..],
            b" ",
            b":",
            b"{\"id\":\"msg_1\"}",
            b"\xC3\xA9",
            b"\xF0\x9F\x98\x80",
            b"\xFF",
            b"\xE2\x82",
            b"\x00",
            b"7",
            b"thread.message.delta",
            b"\xEF\xBB\xBF",
        ]),
        0..6,
    )
    .prop_map(|parts| parts.concat());
    let name = prop::sample::select(vec![
        &b"data"[..],
        b"data",
        b"event",
        b"id",
        b"retry",
        b"",
        b":",
        b"Data",
        b"x",
    ]);
    let sep = prop::sample::select(vec![&b": "[..], b":", b"", b":  "]);
    let end = prop::sample::select(vec![&b"\n"[..], b"\r\n", b"\r"]);
    let line = (name, sep, value, end.clone()).prop_map(|(n, s, v, e)| [n, s, &v, e].concat());
    let item = prop_oneof![4 => line, 1 => end.prop_map(<[u8]>::to_vec)];
    (any::<bool>(), prop::collection::vec(item, 0..40)).prop_map(|(bom, items)| {
        let mut out = if bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        out.extend(items.concat());
        out
    })
}

fn split_at(input: &[u8], mut cuts: Vec<usize>) -> Vec<&[u8]> {
    cuts.iter_mut().for_each(|c| *c %= input.len() + 1);
    cuts.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for cut in cuts {
        chunks.push(&input[start..cut]);
        start = cut;
    }
    chunks.push(&input[start..]);
    chunks
}

fn check(input: &[u8], cuts: Vec<usize>) -> Result<(), TestCaseError> {
    let whole = parse_chunks(Limits::default(), &[input]);
    let split = parse_chunks(Limits::default(), &split_at(input, cuts));
    prop_assert_eq!(&whole, &split);
    let events: Vec<Event> = whole.0.into_iter().map(Result::unwrap).collect();
    prop_assert_eq!(events, reference(input));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn realistic_streams_split_anywhere(input in stream(), cuts in prop::collection::vec(any::<usize>(), 0..12)) {
        check(&input, cuts)?;
    }

    #[test]
    fn random_bytes_split_anywhere(input in prop::collection::vec(prop::sample::select(b"data:event:id:retry: \r\n\xFF\xEF\xBB\xBFx".to_vec()), 0..200), cuts in prop::collection::vec(any::<usize>(), 0..12)) {
        check(&input, cuts)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..300), cuts in prop::collection::vec(any::<usize>(), 0..12)) {
        check(&input, cuts)?;
    }

    #[test]
    fn limits_are_never_exceeded(input in stream(), chunk in 1usize..40, line in 1usize..40, event in 1usize..80) {
        let limits = Limits::default().max_line_len(line).max_event_len(event);
        let mut parser = streaming_assistants_core::sse::Parser::with_limits(limits);
        for piece in input.chunks(chunk) {
            parser.push(piece);
            while let Some(item) = parser.next_event() {
                if let Ok(e) = item {
                    // Counted in chars: the limit is on raw bytes, and U+FFFD takes 3 bytes
                    // for 1 invalid byte.
                    prop_assert!(e.data().chars().count() < event);
                }
            }
            // Held: at most one over-long line being caught, one event, one chunk.
            prop_assert!(parser.buffered_len() <= line + event + chunk + 3);
        }
        // Whole and split agree under limits too.
        let split: Vec<&[u8]> = input.chunks(chunk).collect();
        prop_assert_eq!(parse_chunks(limits, &[&input]), parse_chunks(limits, &split));
    }
}
