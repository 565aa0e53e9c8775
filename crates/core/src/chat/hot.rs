//! The borrowed hot path: a chunk that only adds text to one choice, applied as
//! [`Accumulator::apply_json`] would apply it, with the text appended in place.
//!
//! Every chunk repeats the completion's top-level fields (`id`, `model`, ...). Comparing them
//! against the snapshot's map costs a lookup each; the [`Header`] keeps what this path last
//! wrote, so a run of text chunks compares a few short strings and touches the map only to
//! append.

use serde_json::{Map, Value};

use super::accumulate::{AccumulateError, Accumulator, Rule, MAX_INDEX};
use super::ContentDelta;

/// The top-level fields the hot path last wrote into the snapshot.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Header {
    id: String,
    object: String,
    model: String,
    created: i64,
    system_fingerprint: Option<String>,
    service_tier: Option<String>,
    /// The strict rule wrote `usage: null`.
    usage_null: bool,
}

impl Header {
    /// Whether `delta` would write nothing new.
    fn covers(&self, delta: &ContentDelta<'_>, strict: bool) -> bool {
        self.id == delta.id
            && self.object == delta.object
            && self.model == delta.model
            && self.created == delta.created
            && (delta.system_fingerprint.is_none()
                || self.system_fingerprint.as_deref() == delta.system_fingerprint)
            && (delta.service_tier.is_none() || self.service_tier.as_deref() == delta.service_tier)
            && (!strict || delta.usage.is_none() || self.usage_null)
    }

    /// Takes `delta`'s fields, reusing the strings' buffers.
    fn record(&mut self, delta: &ContentDelta<'_>, strict: bool) {
        let set = |field: &mut String, value: &str| {
            field.clear();
            field.push_str(value);
        };
        set(&mut self.id, &delta.id);
        set(&mut self.object, &delta.object);
        set(&mut self.model, &delta.model);
        self.created = delta.created;
        if let Some(value) = delta.system_fingerprint {
            set(
                self.system_fingerprint.get_or_insert_with(String::new),
                value,
            );
        }
        if let Some(value) = delta.service_tier {
            set(self.service_tier.get_or_insert_with(String::new), value);
        }
        self.usage_null |= strict && delta.usage.is_some();
    }
}

impl Accumulator {
    /// Applies a chunk of the borrowed hot path: as [`Accumulator::apply_json`] would apply
    /// it, the text appended in place (no allocation once the snapshot has its fields).
    pub fn apply_content(&mut self, delta: &ContentDelta<'_>) -> Result<(), AccumulateError> {
        let strict = self.rule == Rule::Strict;
        if self.place(delta, strict).is_some() {
            return Ok(());
        }
        // Anything else (the first chunk, a choice not seen yet): the general path.
        self.apply_json(&as_json(delta))
    }

    /// The text appended where it belongs, or `None` (nothing changed) for the general path.
    fn place(&mut self, delta: &ContentDelta<'_>, strict: bool) -> Option<()> {
        let (index, content) = (delta.choices.0, &delta.choices.1);
        let at = usize::try_from(index)
            .ok()
            .filter(|i| (*i as u64) < MAX_INDEX)?;
        if delta.id.is_empty() {
            return None;
        }
        let snapshot = self.snapshot.as_mut()?;
        let header = self.header.get_or_insert_with(Header::default);
        if !header.covers(delta, strict) {
            // Where the text goes must exist before anything is written.
            let Some(Value::String(_)) = message_content(snapshot, at) else {
                return None;
            };
            write_header(snapshot, delta, strict);
            header.record(delta, strict);
        }
        match message_content(snapshot, at) {
            Some(Value::String(text)) => text.push_str(content),
            _ => return None,
        }
        self.audio_done.reset(at);
        Some(())
    }
}

fn message_content(snapshot: &mut Map<String, Value>, at: usize) -> Option<&mut Value> {
    snapshot
        .get_mut("choices")?
        .get_mut(at)?
        .get_mut("message")?
        .get_mut("content")
}

/// The top-level fields as `apply_json` writes them for a chunk with an id.
fn write_header(snapshot: &mut Map<String, Value>, delta: &ContentDelta<'_>, strict: bool) {
    let fields: [(&str, Option<&str>); 5] = [
        ("id", Some(&delta.id)),
        ("object", Some(&delta.object)),
        ("model", Some(&delta.model)),
        ("system_fingerprint", delta.system_fingerprint),
        ("service_tier", delta.service_tier),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            if snapshot.get(key).and_then(Value::as_str) != Some(value) {
                snapshot.insert(key.to_owned(), Value::String(value.to_owned()));
            }
        }
    }
    if snapshot.get("created").and_then(Value::as_i64) != Some(delta.created) {
        snapshot.insert("created".into(), Value::from(delta.created));
    }
    // `usage: null`: the strict rule assigns it (as the SDK does), the lenient ignores it.
    if strict && delta.usage.is_some() && !snapshot.get("usage").is_some_and(Value::is_null) {
        snapshot.insert("usage".into(), Value::Null);
    }
}

/// The chunk `delta` was decoded from, as JSON.
fn as_json(delta: &ContentDelta<'_>) -> Value {
    let mut choice = Map::new();
    choice.insert("index".into(), Value::from(delta.choices.0));
    choice.insert(
        "delta".into(),
        serde_json::json!({ "content": delta.choices.1 }),
    );
    choice.insert("logprobs".into(), Value::Null);
    choice.insert("finish_reason".into(), Value::Null);
    let mut chunk = Map::new();
    chunk.insert("id".into(), Value::String(delta.id.to_string()));
    chunk.insert("object".into(), Value::String(delta.object.to_string()));
    chunk.insert("created".into(), Value::from(delta.created));
    chunk.insert("model".into(), Value::String(delta.model.to_string()));
    if let Some(fingerprint) = delta.system_fingerprint {
        chunk.insert(
            "system_fingerprint".into(),
            Value::String(fingerprint.into()),
        );
    }
    if let Some(tier) = delta.service_tier {
        chunk.insert("service_tier".into(), Value::String(tier.into()));
    }
    if delta.usage.is_some() {
        chunk.insert("usage".into(), Value::Null);
    }
    chunk.insert("choices".into(), Value::Array(vec![Value::Object(choice)]));
    Value::Object(chunk)
}
