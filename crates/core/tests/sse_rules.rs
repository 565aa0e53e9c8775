//! One test per WHATWG "event stream" rule, each with the exact expected events. Every input is
//! parsed both whole and byte by byte (see `common::parse`).

mod common;

use common::{ev, parse};
use streaming_assistants_core::sse::{End, Event};

#[test]
fn one_leading_bom_is_dropped() {
    let (events, _) = parse(b"\xEF\xBB\xBFdata: a\n\n");
    assert_eq!(events, [ev("message", "a")]);
}

#[test]
fn only_the_first_bom_is_dropped() {
    // The second BOM makes the field name "\u{FEFF}data", which is not `data`.
    let (events, _) = parse(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n");
    assert_eq!(events, [ev("message", "b")]);
}

#[test]
fn a_bom_after_the_start_is_data() {
    let (events, _) = parse(b"data: a\n\n\xEF\xBB\xBFdata: b\n\ndata: \xEF\xBB\xBFc\n\n");
    assert_eq!(events, [ev("message", "a"), ev("message", "\u{FEFF}c")]);
}

#[test]
fn lines_end_at_crlf_lf_or_cr() {
    let (events, _) =
        parse(b"data: lf\n\ndata: crlf\r\n\r\ndata: cr\r\rdata: a\r\ndata: b\rdata: c\n\n");
    assert_eq!(
        events,
        [
            ev("message", "lf"),
            ev("message", "crlf"),
            ev("message", "cr"),
            ev("message", "a\nb\nc"),
        ]
    );
}

#[test]
fn cr_and_lf_in_different_chunks_are_one_line_end() {
    let (events, end) = common::parse_chunks(
        Default::default(),
        &[b"data: a\r", b"\ndata: b\r\n\r", b"\n"],
    );
    let events: Vec<Event> = events.into_iter().map(Result::unwrap).collect();
    // Two line ends would have made an empty line, dispatching "a" alone.
    assert_eq!(events, [ev("message", "a\nb")]);
    assert_eq!(end, End::Clean);
}

#[test]
fn comments_are_ignored() {
    let (events, end) = parse(b": ping\n:\ndata: a\n: between\ndata: b\n\n: trailing\n");
    assert_eq!(events, [ev("message", "a\nb")]);
    assert_eq!(end, End::Clean);
}

#[test]
fn a_field_without_colon_has_an_empty_value() {
    let (events, _) = parse(b"data\n\nevent\ndata: x\n\n");
    assert_eq!(events, [ev("message", ""), ev("message", "x")]);
}

#[test]
fn one_leading_space_is_removed_from_the_value() {
    let (events, _) = parse(b"data:no space\n\ndata: one\n\ndata:  two\n\ndata: a: b\n\n");
    assert_eq!(
        events,
        [
            ev("message", "no space"),
            ev("message", "one"),
            ev("message", " two"),
            ev("message", "a: b"),
        ]
    );
}

#[test]
fn data_lines_are_joined_with_lf_and_one_trailing_lf_dropped() {
    let (events, _) = parse(b"data: a\ndata: b\ndata:\n\ndata\ndata\n\n");
    assert_eq!(events, [ev("message", "a\nb\n"), ev("message", "\n")]);
}

#[test]
fn event_type_defaults_to_message_and_resets_after_dispatch() {
    let (events, _) = parse(b"event: first\ndata: 1\n\ndata: 2\n\nevent: a\nevent: b\ndata: 3\n\n");
    assert_eq!(events, [ev("first", "1"), ev("message", "2"), ev("b", "3")]);
}

#[test]
fn id_persists_across_events_and_empty_id_resets_it() {
    let (events, _) = parse(b"id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n");
    assert_eq!(
        events,
        [
            Event::new("message", "a", "7", None),
            Event::new("message", "b", "7", None),
            Event::new("message", "c", "", None),
        ]
    );
}

#[test]
fn id_containing_nul_is_ignored() {
    let (events, _) = parse(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n");
    assert_eq!(
        events,
        [
            Event::new("message", "a", "1", None),
            Event::new("message", "b", "1", None),
        ]
    );
}

#[test]
fn id_set_by_an_event_without_data_still_holds() {
    let (events, _) = parse(b"id: 9\n\ndata: a\n\n");
    assert_eq!(events, [Event::new("message", "a", "9", None)]);
}

#[test]
fn retry_is_set_only_by_ascii_digits() {
    let input = b"retry: 1500\ndata: a\n\nretry: +5\nretry: 12a\nretry: -1\nretry:\nretry: 1.5\nretry:  7\ndata: b\n\nretry: 0\ndata: c\n\n";
    let (events, _) = parse(input);
    assert_eq!(
        events,
        [
            Event::new("message", "a", "", Some(1500)),
            Event::new("message", "b", "", Some(1500)),
            Event::new("message", "c", "", Some(0)),
        ]
    );
}

#[test]
fn a_huge_retry_saturates_instead_of_failing() {
    let (events, _) = parse(b"retry: 99999999999999999999999\ndata: a\n\n");
    assert_eq!(events, [Event::new("message", "a", "", Some(u64::MAX))]);
}

#[test]
fn an_event_without_data_is_not_dispatched_and_its_type_is_cleared() {
    let (events, _) = parse(b"event: lonely\n\ndata: x\n\n\n\n");
    assert_eq!(events, [ev("message", "x")]);
}

#[test]
fn unknown_fields_are_ignored_and_names_are_case_sensitive() {
    let (events, _) = parse(b"Data: no\nEVENT: no\nfoo: bar\ndata: yes\n\n");
    assert_eq!(events, [ev("message", "yes")]);
}

#[test]
fn invalid_utf8_becomes_replacement_characters() {
    let (events, _) =
        parse(b"event: t\xFFx\ndata: a\xC3\ndata: \xE2\x82\n\ndata: ok \xF0\x9F\x98\x80\n\n");
    assert_eq!(
        events,
        [
            ev("t\u{FFFD}x", "a\u{FFFD}\n\u{FFFD}"),
            ev("message", "ok \u{1F600}")
        ]
    );
}

#[test]
fn an_unterminated_event_at_the_end_is_discarded_and_reported() {
    let (events, end) = parse(b"data: a\n\ndata: b\n");
    assert_eq!(events, [ev("message", "a")]);
    assert_eq!(end, End::Truncated { at: 9 });
    let (events, end) = parse(b"data: a\n\ndata: b");
    assert_eq!(events, [ev("message", "a")]);
    assert_eq!(end, End::Truncated { at: 9 });
}

#[test]
fn a_clean_end_is_reported_as_clean() {
    assert_eq!(parse(b"data: a\n\n").1, End::Clean);
    assert_eq!(parse(b"").1, End::Clean);
    assert_eq!(parse(b"\n\n\r\n").1, End::Clean);
}

#[test]
fn events_come_out_as_soon_as_their_blank_line_arrives() {
    let mut parser = streaming_assistants_core::sse::Parser::new();
    parser.push(b"data: a\n");
    assert!(parser.next_event().is_none());
    parser.push(b"\n");
    assert_eq!(common::next(&mut parser), Some(Ok(ev("message", "a"))));
    assert!(parser.next_event().is_none());
}
