//! The partial JSON parser against `jiter` 0.19 (the parser openai-python's `parsed` comes
//! from) on every prefix of generated documents, in both modes; against `serde_json` on whole
//! documents; split anywhere; and its errors at the byte where the input stops being JSON.

use proptest::prelude::*;
use serde_json::{json, Map, Number, Value};
use streaming_assistants_core::json::{ErrorKind, Limits, PartialJson, PartialMode};

/// jiter's value as `serde_json`'s (duplicate keys: the last wins, as in `serde_json`).
fn from_jiter(value: &jiter::JsonValue<'_>) -> Value {
    match value {
        jiter::JsonValue::Null => Value::Null,
        jiter::JsonValue::Bool(b) => Value::Bool(*b),
        jiter::JsonValue::Int(i) => Value::Number((*i).into()),
        jiter::JsonValue::BigInt(big) => big
            .to_string()
            .parse::<Number>()
            .map(Value::Number)
            .unwrap_or(Value::Null),
        jiter::JsonValue::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        jiter::JsonValue::Str(s) => Value::String(s.to_string()),
        jiter::JsonValue::Array(items) => Value::Array(items.iter().map(from_jiter).collect()),
        jiter::JsonValue::Object(members) => {
            let mut map = Map::new();
            for (key, value) in members.iter() {
                map.insert(key.to_string(), from_jiter(value));
            }
            Value::Object(map)
        }
    }
}

/// What jiter makes of a prefix of a valid document: `None` where it says the input ended
/// before a value (nothing yet, for a stream).
fn jiter_prefix(prefix: &[u8], mode: PartialMode) -> Option<Value> {
    let mode = match mode {
        PartialMode::On => jiter::PartialMode::On,
        PartialMode::TrailingStrings => jiter::PartialMode::TrailingStrings,
    };
    match jiter::JsonValue::parse_with_config(prefix, false, mode) {
        Ok(value) => Some(from_jiter(&value)),
        Err(err) => {
            let message = err.to_string();
            assert!(
                message.contains("EOF"),
                "jiter rejects a prefix of valid JSON: {message} in {:?}",
                String::from_utf8_lossy(prefix)
            );
            None
        }
    }
}

const MODES: [PartialMode; 2] = [PartialMode::On, PartialMode::TrailingStrings];

/// Feeds `doc` one byte at a time, checking the value after each against jiter's on the same
/// prefix.
fn agrees_with_jiter_on_every_prefix(doc: &[u8]) {
    for mode in MODES {
        let mut parser = PartialJson::new(mode);
        for n in 1..=doc.len() {
            parser.push(&doc[n - 1..n]).expect("a prefix of valid JSON");
            let expected = jiter_prefix(&doc[..n], mode);
            assert_eq!(
                parser.value(),
                expected.as_ref(),
                "{mode:?} after {:?}",
                String::from_utf8_lossy(&doc[..n])
            );
        }
        let expected: Value = serde_json::from_slice(doc).unwrap();
        assert_eq!(parser.finish().unwrap(), expected, "{mode:?}");
    }
}

#[test]
fn hand_picked_documents_agree_with_jiter_on_every_prefix() {
    for doc in [
        r#"{"rows": [{"name": "Ada", "age": 36, "tags": ["a", "b"]}, {"name": null}], "ok": true}"#,
        r#"[1, -2, 3.25, -0.5e-3, 1E5, 0, 10, 123456789, false, null, "x"]"#,
        r#"{"a": {"b": {"c": [[], {}, [[1]], "d\"e\\f\/g\b\f\n\r\t"]}}}"#,
        r#""caf\u00e9 \ud83d\ude00 ünï 😀 日本""#,
        r#"  { "spaced" :  [ 1 , 2 ]  ,  "k" : "v" }  "#,
        "12345",
        "-7.5",
        "true",
        r#""""#,
        r#"{"": ""}"#,
        "[\n  {\n    \"pretty\": \"printed\"\n  }\n]\n",
    ] {
        agrees_with_jiter_on_every_prefix(doc.as_bytes());
    }
}

/// JSON values with the numbers `serde_json` and `jiter` both keep exactly.
fn document() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,12}".prop_map(Value::String),
        "[a-z\"\\\\\n\t\u{1}é😀]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zé\"]{0,5}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every prefix of generated documents, compact and pretty, in both modes.
    #[test]
    fn every_prefix_agrees_with_jiter(value in document()) {
        agrees_with_jiter_on_every_prefix(serde_json::to_string(&value).unwrap().as_bytes());
        agrees_with_jiter_on_every_prefix(serde_json::to_string_pretty(&value).unwrap().as_bytes());
    }

    /// Split anywhere: the same value after the same bytes, and the same document at the end.
    #[test]
    fn pieces_split_anywhere_give_the_same_values(
        value in document(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let doc = serde_json::to_vec(&value).unwrap();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(doc.len() + 1)).collect();
        cuts.push(doc.len());
        cuts.sort_unstable();
        for mode in MODES {
            let mut parser = PartialJson::new(mode);
            let mut start = 0;
            for &cut in &cuts {
                parser.push(&doc[start..cut]).unwrap();
                start = cut;
                let mut whole = PartialJson::new(mode);
                whole.push(&doc[..cut]).unwrap();
                prop_assert_eq!(parser.value(), whole.value());
            }
            prop_assert_eq!(parser.finish().unwrap(), value.clone());
        }
    }

    /// A valid document with one byte changed, added or taken out: the parser accepts it exactly
    /// when serde_json does, with the same value.
    #[test]
    fn a_mutated_document_is_accepted_exactly_when_serde_json_accepts_it(
        value in document(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        how in 0u8..3,
    ) {
        let mut doc = serde_json::to_vec(&value).unwrap();
        let i = at.index(doc.len());
        match how {
            0 => doc[i] = byte,
            1 => doc.insert(i, byte),
            _ => { doc.remove(i); }
        }
        for mode in MODES {
            let mut parser = PartialJson::new(mode);
            let ours = parser.push(&doc).and_then(|()| parser.finish());
            let theirs = serde_json::from_slice::<Value>(&doc);
            prop_assert_eq!(ours.as_ref().ok(), theirs.as_ref().ok(), "{:?}: {:?}", String::from_utf8_lossy(&doc), ours);
        }
    }

    /// Any bytes at all: no panic, and a whole document is what serde_json reads, or an error.
    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), piece in 1usize..5) {
        let mut parser = PartialJson::new(PartialMode::TrailingStrings);
        for chunk in bytes.chunks(piece) {
            if parser.push(chunk).is_err() {
                break;
            }
        }
        if let Ok(value) = parser.finish() {
            prop_assert_eq!(Some(value), serde_json::from_slice::<Value>(&bytes).ok());
        }
    }
}

/// The first byte that cannot continue valid JSON is the error's, with its kind.
#[test]
fn errors_are_at_the_byte_where_the_input_stops_being_json() {
    let cases: &[(&[u8], u64, ErrorKind)] = &[
        (b"[1,]", 3, ErrorKind::Unexpected(b']')),
        (b"{\"a\" 1}", 5, ErrorKind::Unexpected(b'1')),
        (b"01", 1, ErrorKind::InvalidNumber),
        (b"[1.]", 3, ErrorKind::InvalidNumber),
        (b"[-x]", 2, ErrorKind::InvalidNumber),
        (b"[1] x", 4, ErrorKind::TrailingCharacters),
        (b"[tru3]", 4, ErrorKind::Unexpected(b'3')),
        (b"\"a\x01\"", 2, ErrorKind::ControlCharacter),
        (b"\"\\x\"", 2, ErrorKind::InvalidEscape),
        (b"\"\\u12g4\"", 5, ErrorKind::InvalidEscape),
        (b"\"\\ud83d\"", 7, ErrorKind::LoneSurrogate),
        (b"\"\\udc00\"", 6, ErrorKind::LoneSurrogate),
        (b"\"a\xff\"", 2, ErrorKind::InvalidUtf8),
        (b"\"a\xc3(\"", 3, ErrorKind::InvalidUtf8),
        (b"\"a\xc3\"", 3, ErrorKind::InvalidUtf8),
        (b"{1: 2}", 1, ErrorKind::Unexpected(b'1')),
        (b"[1e400]", 5, ErrorKind::NumberOutOfRange),
    ];
    for &(doc, at, kind) in cases {
        for piece in 1..=doc.len() {
            let mut parser = PartialJson::new(PartialMode::On);
            let err = doc
                .chunks(piece)
                .find_map(|chunk| parser.push(chunk).err())
                .or_else(|| parser.clone().finish().err())
                .unwrap_or_else(|| panic!("{:?} is not JSON", String::from_utf8_lossy(doc)));
            assert_eq!(
                (err.at, err.kind),
                (at, kind),
                "{:?} in pieces of {piece}",
                String::from_utf8_lossy(doc)
            );
        }
    }
    // After an error, every push returns it again, and the value so far is kept.
    let mut parser = PartialJson::new(PartialMode::On);
    assert!(parser.push(b"[1, 2, ]").is_err());
    assert_eq!(parser.push(b"3]").unwrap_err().at, 7);
    assert_eq!(parser.value(), Some(&json!([1, 2])));
}

#[test]
fn lines_and_columns_are_counted() {
    let mut parser = PartialJson::new(PartialMode::On);
    let err = parser.push(b"{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
    assert_eq!((err.line, err.column), (3, 7));
    assert_eq!(
        err.to_string(),
        "unexpected `2` at byte 18 (line 3, column 7)"
    );
}

#[test]
fn whitespace_only_is_nothing_yet_and_an_unfinished_end_is_eof() {
    let mut parser = PartialJson::new(PartialMode::On);
    parser.push(b"  \n\t").unwrap();
    assert_eq!(parser.value(), None);
    assert_eq!(parser.clone().finish().unwrap_err().kind, ErrorKind::Eof);
    parser.push(b"\"unfinished").unwrap();
    assert_eq!(parser.value(), None);
    let mut trailing = PartialJson::new(PartialMode::TrailingStrings);
    trailing.push(b"\"unfinished").unwrap();
    assert_eq!(trailing.value(), Some(&json!("unfinished")));
    assert_eq!(trailing.finish().unwrap_err().kind, ErrorKind::Eof);
}

#[test]
fn limits_are_errors() {
    let limits = Limits::default().max_depth(3);
    let mut parser = PartialJson::with_limits(PartialMode::On, limits);
    let err = parser.push(b"[[[[1]]]]").unwrap_err();
    assert_eq!((err.kind, err.at), (ErrorKind::TooDeep, 3));
    assert_eq!(parser.value(), Some(&json!([[[]]])));

    let limits = Limits::default().max_bytes(10);
    let mut parser = PartialJson::with_limits(PartialMode::On, limits);
    parser.push(b"[1, 2, ").unwrap();
    assert_eq!(parser.push(b"3, 4]").unwrap_err().kind, ErrorKind::TooLarge);
    assert_eq!(parser.value(), Some(&json!([1, 2])));

    let limits = Limits::default().max_number(4);
    let mut parser = PartialJson::with_limits(PartialMode::On, limits);
    assert_eq!(
        parser.push(b"[12345]").unwrap_err().kind,
        ErrorKind::NumberTooLong
    );
    // The default depth is serde_json's: 128 open, the 129th is too deep.
    let mut parser = PartialJson::new(PartialMode::On);
    parser.push(&[b'['; 128]).unwrap();
    assert_eq!(parser.push(b"[").unwrap_err().kind, ErrorKind::TooDeep);
}
