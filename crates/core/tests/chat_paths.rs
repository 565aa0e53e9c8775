//! The borrowed hot path and the JSON path build the same completion, in both rules, from
//! any point of a stream to any other: every recorded body, started after each of its events
//! (a first chunk that already carries text, as from a server with no role chunk) and cut
//! after each (no finish chunk to fill in what the first missed).

use std::path::Path;

use serde_json::Value;
use streaming_assistants_core::chat::{Accumulator, Decoded, Decoder, Rule};
use streaming_assistants_core::wire::protocol::Decode;

/// Each event's bytes (`data: ...\n\n`), in order.
fn events(body: &str) -> Vec<&str> {
    body.split_inclusive("\n\n").collect()
}

fn by_json(events: &[&str], rule: Rule) -> Option<Value> {
    let mut acc = Accumulator::new(rule);
    for event in events {
        let data = event.trim_end().trim_start_matches("data: ");
        if let Ok(json) = serde_json::from_str::<Value>(data) {
            if json.get("choices").is_some() {
                acc.apply_json(&json).unwrap();
            }
        }
    }
    acc.completion()
}

fn by_decoder(events: &[&str], rule: Rule) -> (Option<Value>, usize) {
    let mut decoder = Decoder::new();
    let mut acc = Accumulator::new(rule);
    let mut borrowed = 0;
    decoder.push(events.concat().as_bytes());
    while let Some(item) = decoder.next_decoded() {
        match item.unwrap() {
            Decoded::Content(delta) => {
                borrowed += 1;
                acc.apply_content(&delta).unwrap();
            }
            Decoded::Chunk(json) => acc.apply_json(&json).unwrap(),
            _ => {}
        }
    }
    (acc.completion(), borrowed)
}

#[test]
fn both_paths_agree_on_every_span() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recordings/chat");
    let mut borrowed_first = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "sse") {
            continue;
        }
        let body = std::fs::read_to_string(&path).unwrap();
        let all = events(&body);
        for start in 0..all.len() {
            for end in start + 1..=all.len() {
                let part = &all[start..end];
                for rule in [Rule::Lenient, Rule::Strict] {
                    let (decoded, borrowed) = by_decoder(part, rule);
                    let expected = by_json(part, rule);
                    assert_eq!(
                        decoded, expected,
                        "{path:?} events {start}..{end}, {rule:?}"
                    );
                    if borrowed > 0 && !part[0].contains("role") {
                        borrowed_first += 1;
                    }
                }
            }
        }
    }
    // The case that matters: a stream whose first chunk goes the borrowed way.
    assert!(borrowed_first > 0);
}

/// What the decoder hands out for a text chunk — read from the last chunk's shape when it
/// matches, parsed in full when not — is exactly what a full parse of that chunk gives, for
/// chunks that differ from the one before anywhere: the text (with escapes, quotes and
/// look-alike bytes inside), the padding, any field, the field order.
#[test]
fn a_text_chunk_reads_the_same_by_its_shape_as_by_a_full_parse() {
    use streaming_assistants_core::chat::ContentDelta;
    let chunk = |id: &str, content: &str, padding: &str| {
        format!(
            r#"{{"id":"{id}","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":"fp","choices":[{{"index":0,"delta":{{"content":"{content}"}},"logprobs":null,"finish_reason":null}}],"usage":null,"obfuscation":"{padding}"}}"#
        )
    };
    let mut datas = vec![
        chunk("c1", "Hello", "abc"),
        chunk("c1", " world", "abcdef"),
        chunk("c1", "", ""),
        chunk("c1", r#"a\"b"#, "x"),
        chunk("c1", r#"\u00e9t\u00e9"#, "x"),
        chunk("c1", r#"x\"}},\"logprobs\":null"#, "y"),
        chunk("c1", r#"x"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"q"#, "z"),
        chunk("c1", "plain", r#"p\"q"#),
        chunk("c1", "éà 😀", "ok"),
        chunk("c2", "other id", "ok"),
        chunk("c2", "same again", "ok2"),
        r#"{"choices":[{"index":0,"delta":{"content":"first"}}],"id":"c2","object":"chat.completion.chunk","created":1,"model":"m"}"#.to_owned(),
        r#"{"choices":[{"index":0,"delta":{"content":"then"}}],"id":"c2","object":"chat.completion.chunk","created":1,"model":"m"}"#.to_owned(),
        r#"{"id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"no padding"}}]}"#.to_owned(),
        r#"{"id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"no padding 2"}}]}"#.to_owned(),
        r#"{"id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"trailing"}}]} "#.to_owned(),
        r#"{"id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"}}],"extra":1}"#.to_owned(),
        r#"{"id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"\u0001"}}]}"#.to_owned(),
        r#"{"obfuscation":"pp","id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"padding first"}}]}"#.to_owned(),
        r#"{"obfuscation":"pp","id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"padding first 2"}}]}"#.to_owned(),
    ];
    // Raw control characters are not JSON: both ways refuse them.
    datas.push(chunk("c1", "tab\there", "x").replace("\\t", "\t"));
    let body: String = datas.iter().map(|d| format!("data: {d}\n\n")).collect();
    let mut decoder = Decoder::new();
    decoder.push(body.as_bytes());
    for data in &datas {
        let item = decoder.next_decoded().expect("an item");
        let full = serde_json::from_str::<ContentDelta<'_>>(data);
        match (item, full) {
            (Ok(Decoded::Content(read)), Ok(full)) => assert_eq!(read, full, "{data}"),
            (Ok(Decoded::Chunk(json)), Err(_)) => {
                assert_eq!(json, serde_json::from_str::<Value>(data).unwrap(), "{data}")
            }
            (Err(_), Err(_)) => {}
            (item, full) => panic!("{data}: {item:?} vs {full:?}"),
        }
    }
    assert!(decoder.next_decoded().is_none());
}

/// A text chunk with `fields` before its choices, adding `text` (JSON-escaped already).
fn text_chunk(fields: &str, text: &str) -> String {
    format!(
        "data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",{fields}\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{text}\"}},\"finish_reason\":null}}]}}\n\n"
    )
}

/// Both paths build the same completion from every span of `body`, by both rules.
fn agree_on_every_span(body: &str) {
    let all = events(body);
    for start in 0..all.len() {
        for end in start + 1..=all.len() {
            for rule in [Rule::Lenient, Rule::Strict] {
                let part = &all[start..end];
                assert_eq!(
                    by_decoder(part, rule).0,
                    by_json(part, rule),
                    "events {start}..{end}, {rule:?}"
                );
            }
        }
    }
}

/// `system_fingerprint` and `service_tier` sent as `null` (some servers do), after a value and
/// before one: both paths keep what the rule says a `null` does, on every span.
#[test]
fn both_paths_agree_on_null_fingerprints_and_tiers() {
    let body = [
        text_chunk(r#""system_fingerprint":null,"service_tier":null,"#, "a"),
        text_chunk(r#""system_fingerprint":null,"service_tier":null,"#, "b"),
        text_chunk(r#""system_fingerprint":"fp_1","service_tier":"x","#, "c"),
        text_chunk(r#""system_fingerprint":null,"service_tier":null,"#, "d"),
        text_chunk(r#""system_fingerprint":"fp_1","#, "e"),
        text_chunk("", "f"),
        text_chunk(r#""service_tier":null,"#, "g"),
    ];
    agree_on_every_span(&body.concat());
}

/// Texts with escapes (a markdown answer's line breaks, quotes, `\u` escapes) between plain
/// ones: read through the last plain chunk's shape, unescaped, on every span.
#[test]
fn both_paths_agree_on_escaped_text() {
    let body = [
        text_chunk("", "# Title"),
        text_chunk("", r"\n\n"),
        text_chunk("", "plain"),
        text_chunk("", r#"a \"quote\" and a \\ backslash"#),
        text_chunk("", r"caf\u00e9 \ud83d\ude00"),
        text_chunk("", "end"),
    ];
    agree_on_every_span(&body.concat());
}
