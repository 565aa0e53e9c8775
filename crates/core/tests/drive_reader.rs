//! The one ending rule (`drive::Reader`), with no sockets: what a transport saw goes in, the
//! events and exactly one verdict come out — the same for any chunking.

use streaming_assistants_core::assistants::legacy::LegacyEvent;
use streaming_assistants_core::assistants::{Assistants, Legacy};
use streaming_assistants_core::drive::{Reader, StreamError, Verdict};
use streaming_assistants_core::wire::protocol::Decode;
use streaming_assistants_core::wire::protocol::Protocol;

const CREATED: &str =
    "event: thread.run.created\ndata: {\"id\":\"run_1\",\"status\":\"queued\"}\n\n";
const DELTA: &str = "event: thread.message.delta\ndata: {\"id\":\"msg_1\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"Hi\"}}]}}\n\n";
const COMPLETED: &str =
    "event: thread.run.completed\ndata: {\"id\":\"run_1\",\"status\":\"completed\"}\n\n";
const DONE: &str = "event: done\ndata: [DONE]\n\n";
const WRAPPED_COMPLETED: &str = "data: {\"event\": \"thread.run.completed\", \"data\": {\"id\":\"run_1\",\"status\":\"completed\"}}\n\n";
const LEGACY: &str = "data: {\"object\":\"list\",\"data\":[{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",\"delta\":{\"value\":\"Hi\"}}]}]}\n\n";

/// How the body ends after its bytes.
#[derive(Clone, Copy)]
enum Then {
    End,
    IoError,
}

/// Feeds `body` in `chunk`-byte pieces, then ends it; returns the events (Ok) or errors
/// (Err, as their names), the last item, and the verdict.
fn read<P: Protocol>(body: &str, chunk: usize, then: Then) -> (usize, Vec<String>, Verdict) {
    let mut reader = Reader::<P>::new();
    let mut events = 0;
    let mut errors = Vec::new();
    let mut drain = |reader: &mut Reader<P>, errors: &mut Vec<String>| {
        while let Some(item) = reader.next_event() {
            match item {
                Ok(_) => events += 1,
                Err(err) => errors.push(name(&err)),
            }
        }
    };
    for piece in body.as_bytes().chunks(chunk.max(1)) {
        reader.push(piece);
        drain(&mut reader, &mut errors);
        assert!(
            reader.verdict().is_none(),
            "no verdict before the body ends"
        );
    }
    match then {
        Then::End => {
            if let Some(err) = reader.end() {
                errors.push(name(&err));
            }
        }
        Then::IoError => {
            if let Some(err) = reader.fail("connection reset") {
                errors.push(format!("io: {err}"));
            }
        }
    }
    drain(&mut reader, &mut errors);
    let verdict = reader.verdict().expect("one verdict");
    // Exactly one: nothing changes it afterwards.
    assert!(reader.end().is_none() && reader.fail("again").is_none());
    assert_eq!(reader.verdict(), Some(verdict));
    (events, errors, verdict)
}

fn name(err: &StreamError) -> String {
    match err {
        StreamError::Truncated { at } => format!("truncated at {at}"),
        StreamError::ErrorEvent(_) => "error event".into(),
        StreamError::Decode(_) => "decode".into(),
        StreamError::Limit(_) => "limit".into(),
        other => format!("{other}"),
    }
}

fn every_chunking<P: Protocol>(body: &str, then: Then) -> (usize, Vec<String>, Verdict) {
    let whole = read::<P>(body, body.len(), then);
    for chunk in [1, 2, 3, 7, 64] {
        assert_eq!(read::<P>(body, chunk, then), whole, "chunks of {chunk}");
    }
    whole
}

#[test]
fn v2_done_then_end_or_io_error_is_clean() {
    let body = [CREATED, DELTA, COMPLETED, DONE].concat();
    for then in [Then::End, Then::IoError] {
        assert_eq!(
            every_chunking::<Assistants>(&body, then),
            (4, vec![], Verdict::Clean)
        );
    }
}

#[test]
fn astra_terminal_run_event_then_io_error_is_clean() {
    assert_eq!(
        every_chunking::<Assistants>(WRAPPED_COMPLETED, Then::IoError),
        (1, vec![], Verdict::Clean)
    );
    assert_eq!(
        every_chunking::<Assistants>(WRAPPED_COMPLETED, Then::End),
        (1, vec![], Verdict::Clean)
    );
}

#[test]
fn io_error_between_events_fails_at_the_end_of_the_last_event() {
    let body = [CREATED, DELTA].concat();
    let at = body.len() as u64;
    let (events, errors, verdict) = every_chunking::<Assistants>(&body, Then::IoError);
    assert_eq!((events, verdict), (2, Verdict::Failed { at }));
    assert_eq!(errors, ["io: connection reset"]);
}

#[test]
fn io_error_inside_an_event_fails_where_that_event_began() {
    let body = [CREATED, &DELTA[..30]].concat();
    let at = CREATED.len() as u64;
    let (events, errors, verdict) = every_chunking::<Assistants>(&body, Then::IoError);
    assert_eq!((events, verdict), (1, Verdict::Failed { at }));
    assert_eq!(errors, ["io: connection reset"]);
}

#[test]
fn end_without_done_is_truncated_with_the_offset() {
    let body = [CREATED, DELTA].concat();
    let at = body.len() as u64;
    assert_eq!(
        every_chunking::<Assistants>(&body, Then::End),
        (
            2,
            vec![format!("truncated at {at}")],
            Verdict::Truncated { at }
        )
    );
    let cut = [CREATED, &DELTA[..30]].concat();
    let at = CREATED.len() as u64;
    assert_eq!(
        every_chunking::<Assistants>(&cut, Then::End),
        (
            1,
            vec![format!("truncated at {at}")],
            Verdict::Truncated { at }
        )
    );
}

#[test]
fn an_error_event_is_an_error_item_and_the_stream_goes_on() {
    let error = "event: error\ndata: {\"message\":\"overloaded\"}\n\n";
    let body = [CREATED, error, DELTA, DONE].concat();
    let (events, errors, verdict) = every_chunking::<Assistants>(&body, Then::End);
    assert_eq!(
        (events, errors, verdict),
        (3, vec!["error event".to_owned()], Verdict::Clean)
    );
}

#[test]
fn legacy_closed_between_frames_is_clean_but_an_io_error_is_not() {
    let body = [LEGACY, LEGACY].concat();
    assert_eq!(
        every_chunking::<Legacy>(&body, Then::End),
        (2, vec![], Verdict::Clean)
    );
    // No end marker: after the last frame, a failing connection may have had more to say.
    let at = body.len() as u64;
    let (events, errors, verdict) = every_chunking::<Legacy>(&body, Then::IoError);
    assert_eq!((events, verdict), (2, Verdict::Failed { at }));
    assert_eq!(errors, ["io: connection reset"]);
}

#[test]
fn legacy_failure_frame_without_a_blank_line_is_truncated() {
    let body = [LEGACY, "data: []"].concat();
    let at = LEGACY.len() as u64;
    assert_eq!(
        every_chunking::<Legacy>(&body, Then::End),
        (
            1,
            vec![format!("truncated at {at}")],
            Verdict::Truncated { at }
        )
    );
}

#[test]
fn the_borrowed_path_gives_the_same_text_and_snapshot() {
    let body = [CREATED, DELTA, DELTA, COMPLETED, DONE].concat();
    let mut reader = Reader::<Assistants>::new();
    reader.push(body.as_bytes());
    let mut text = String::new();
    while let Some(item) = reader.next_item() {
        <Assistants as Protocol>::Decoder::push_text(&item.unwrap(), &mut text);
    }
    assert!(reader.end().is_none());
    assert_eq!(text, "HiHi");
    let mut reader = Reader::<Legacy>::new();
    reader.push(LEGACY.as_bytes());
    let Some(Ok(LegacyEvent::Chunk(chunk))) = reader.next_item() else {
        panic!("a chunk")
    };
    assert_eq!(chunk.text(), "Hi");
}
