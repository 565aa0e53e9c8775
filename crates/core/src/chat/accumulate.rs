//! Chunks → the `ChatCompletion`, by one of two written rules (`docs/chat.md`):
//!
//! - [`Rule::Strict`]: exactly what openai-node 7.59.0's `ChatCompletionStream` builds (which
//!   equals openai-python 3.57.0's on OpenAI's own streams);
//! - [`Rule::Lenient`] (the default): the same on OpenAI's streams, and also right on the
//!   deviations of the servers that bend the format: chunks without `choices`, choices without
//!   `delta`, tool calls without `index` (placed by `id`), repeated ids and names, a late
//!   `usage: null`, an empty `finish_reason`, reasoning fields.
//!
//! The accumulator works on each chunk's JSON as sent, so that unknown fields (Azure's filter
//! results, Gemini's `extra_content`) are kept where the SDK keeps them.

use std::fmt;

use serde_json::{Map, Value};

use super::hot::Header;

/// Which rule the accumulator follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rule {
    /// openai-node's `ChatCompletionStream`, exactly.
    Strict,
    /// Right on every server's deviations too.
    #[default]
    Lenient,
}

/// Why a chunk could not be applied. The snapshot is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccumulateError {
    /// A chunk that is not a JSON object.
    NotAnObject,
    /// A choice or tool-call index that is missing (strict), negative or past the limit.
    BadIndex {
        /// `choice` or `tool call`.
        what: &'static str,
        /// The index, as sent.
        index: String,
    },
}

impl fmt::Display for AccumulateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccumulateError::NotAnObject => f.write_str("a chunk that is not a JSON object"),
            AccumulateError::BadIndex { what, index } => write!(f, "invalid {what} index {index}"),
        }
    }
}

impl std::error::Error for AccumulateError {}

/// How many choices and tool calls per message a stream may have: past this an index is an
/// error, not an allocation (a million-choice index, a tool index of 2^32).
pub const MAX_INDEX: u64 = 128;

/// Builds the `ChatCompletion` from a stream's chunks.
#[derive(Debug, Clone, Default)]
pub struct Accumulator {
    pub(super) rule: Rule,
    pub(super) snapshot: Option<Map<String, Value>>,
    /// Lenient: the last non-null usage.
    usage: Option<Value>,
    /// The top-level fields the hot path last wrote (`None` once a chunk went the JSON way).
    pub(super) header: Option<Header>,
    /// Bit `i`: choice `i`'s last delta was audio's closing `expires_at`-only delta.
    pub(super) audio_done: AudioDone,
}

/// Which choices' last delta closed their audio. An audio model's stream never sends a
/// `finish_reason`: openai-node reports `"stop"` for a choice whose last delta carried only
/// `audio.expires_at` and whose audio is whole (id, data, transcript, expires_at), and so do
/// both rules here.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct AudioDone(u128);

/// One bit per choice: every index the accumulator accepts (below [`MAX_INDEX`]) has one.
const BITS: usize = 128;
const _: () = assert!(MAX_INDEX as usize <= BITS);

impl AudioDone {
    /// Notes a chunk's choice at `index` (below [`MAX_INDEX`]): a delta resets the choice,
    /// an `expires_at`-only audio delta marks it.
    fn note(&mut self, index: usize, delta: Option<&Value>) {
        let bit = 1u128 << (index % BITS);
        match delta {
            // openai-node skips a falsy delta (`if (!delta) continue`).
            None | Some(Value::Null | Value::Bool(false)) => {}
            Some(Value::String(s)) if s.is_empty() => {}
            Some(Value::Number(n)) if n.as_f64() == Some(0.0) => {}
            Some(delta) if closes_audio(delta) => self.0 |= bit,
            Some(_) => self.0 &= !bit,
        }
    }

    /// A text delta reached choice `index` (the hot path).
    pub(super) fn reset(&mut self, index: usize) {
        self.0 &= !(1u128 << (index % BITS));
    }

    fn closed(self, index: usize) -> bool {
        index < BITS && self.0 & (1u128 << index) != 0
    }
}

/// `{"audio": {"expires_at": N}}` and nothing else that counts: openai-node's test.
fn closes_audio(delta: &Value) -> bool {
    let Some(delta) = delta.as_object() else {
        return false;
    };
    let set = |v: Option<&Value>| v.is_some_and(|v| !v.is_null());
    let Some(audio) = delta.get("audio").and_then(Value::as_object) else {
        return false;
    };
    set(audio.get("expires_at"))
        && !["id", "data", "transcript"]
            .iter()
            .any(|k| set(audio.get(*k)))
        && delta.iter().all(|(key, value)| {
            key == "audio"
                || (matches!(
                    key.as_str(),
                    "content" | "refusal" | "function_call" | "role" | "tool_calls"
                ) && value.is_null())
        })
}

impl Accumulator {
    /// An accumulator following `rule`.
    pub fn new(rule: Rule) -> Self {
        Accumulator {
            rule,
            ..Self::default()
        }
    }

    /// The snapshot so far, as the SDK holds it mid-stream.
    pub fn snapshot(&self) -> Option<&Map<String, Value>> {
        self.snapshot.as_ref()
    }

    /// Applies one chunk, as its JSON.
    pub fn apply_json(&mut self, chunk: &Value) -> Result<(), AccumulateError> {
        let Value::Object(chunk) = chunk else {
            return Err(AccumulateError::NotAnObject);
        };
        self.header = None;
        let strict = self.rule == Rule::Strict;
        // Indexes first: an error changes nothing.
        let choices = chunk.get("choices").and_then(Value::as_array);
        if strict && chunk.get("choices").is_some_and(|c| !c.is_array()) {
            return Err(AccumulateError::NotAnObject);
        }
        for choice in choices.into_iter().flatten() {
            choice_index(choice, strict)?;
            let calls = choice
                .get("delta")
                .and_then(|d| d.get("tool_calls"))
                .and_then(Value::as_array);
            for call in calls.into_iter().flatten() {
                if strict || call.get("index").is_some_and(|i| !i.is_null()) {
                    index_of(call.get("index"), "tool call")?;
                }
            }
        }
        let rest = || {
            chunk
                .iter()
                .filter(|(k, _)| *k != "choices" && *k != "obfuscation")
                .map(|(k, v)| (k.clone(), v.clone()))
        };
        let snapshot = match &mut self.snapshot {
            None => {
                let mut fresh: Map<String, Value> = rest().collect();
                fresh.insert("choices".into(), Value::Array(Vec::new()));
                self.snapshot.insert(fresh)
            }
            Some(snapshot) => {
                let has_id = chunk
                    .get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| !id.is_empty());
                if has_id {
                    for (key, value) in rest() {
                        // Lenient: a null never erases what came (a late `usage: null`).
                        if strict || !value.is_null() {
                            snapshot.insert(key, value);
                        }
                    }
                } else if !strict {
                    // Azure's first chunk has an empty id: take the fields from the first that has them.
                    for (key, value) in rest() {
                        let missing = snapshot.get(&key).is_none_or(|v| v.is_null() || v == "");
                        if missing && !value.is_null() {
                            snapshot.insert(key, value);
                        }
                    }
                }
                snapshot
            }
        };
        if !strict {
            if let Some(usage) = chunk.get("usage").filter(|u| !u.is_null()) {
                self.usage = Some(usage.clone());
            }
        }
        for choice in choices.into_iter().flatten() {
            let index = choice_index(choice, strict)?;
            apply_choice(snapshot, index, choice, strict)?;
            self.audio_done.note(index, choice.get("delta"));
        }
        Ok(())
    }

    /// The `ChatCompletion`: `{id, object: "chat.completion", created, model, choices: [{index,
    /// message: {role, content, refusal, tool_calls?, audio?}, finish_reason, logprobs}], usage,
    /// ...}`; `None` before the first chunk.
    pub fn completion(&self) -> Option<Value> {
        let snapshot = self.snapshot.as_ref()?;
        let mut out = snapshot.clone();
        out.insert("object".into(), Value::String("chat.completion".into()));
        if let (Rule::Lenient, Some(usage)) = (self.rule, &self.usage) {
            out.insert("usage".into(), usage.clone());
        }
        let choices = snapshot
            .get("choices")
            .and_then(Value::as_array)
            .map(|choices| {
                choices
                    .iter()
                    .filter(|c| !c.is_null())
                    .map(|choice| finish_choice(choice, self.audio_done))
                    .collect()
            })
            .unwrap_or_default();
        out.insert("choices".into(), Value::Array(choices));
        Some(Value::Object(out))
    }

    /// The typed [`ChatCompletion`](super::ChatCompletion) of [`Accumulator::completion`],
    /// the same JSON (empty before the first chunk).
    pub fn into_completion(self) -> super::ChatCompletion {
        match self.completion() {
            Some(Value::Object(map)) => super::ChatCompletion::from_map(map),
            _ => super::ChatCompletion::default(),
        }
    }

    /// The text of choice 0 so far.
    pub fn content(&self) -> Option<&str> {
        self.snapshot
            .as_ref()?
            .get("choices")?
            .get(0)?
            .get("message")?
            .get("content")?
            .as_str()
    }
}

fn index_of(value: Option<&Value>, what: &'static str) -> Result<usize, AccumulateError> {
    let bad = || AccumulateError::BadIndex {
        what,
        index: value.map_or("(none)".into(), Value::to_string),
    };
    let index = value.and_then(Value::as_u64).ok_or_else(bad)?;
    if index >= MAX_INDEX {
        return Err(bad());
    }
    usize::try_from(index).map_err(|_| bad())
}

fn choice_index(choice: &Value, strict: bool) -> Result<usize, AccumulateError> {
    match choice.get("index") {
        // Lenient: a choice without an index is the first.
        None | Some(Value::Null) if !strict => Ok(0),
        index => index_of(index, "choice"),
    }
}

/// A string field appended to: missing, null or not a string starts empty.
fn append(object: &mut Map<String, Value>, key: &str, piece: &str) {
    match object.get_mut(key) {
        Some(Value::String(text)) => text.push_str(piece),
        _ => {
            object.insert(key.to_owned(), Value::String(piece.to_owned()));
        }
    }
}

fn non_empty_str(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn apply_choice(
    snapshot: &mut Map<String, Value>,
    index: usize,
    chunk_choice: &Value,
    strict: bool,
) -> Result<(), AccumulateError> {
    let Some(Value::Array(choices)) = snapshot.get_mut("choices") else {
        return Ok(());
    };
    if choices.len() <= index {
        choices.resize(index + 1, Value::Null);
    }
    let Some(slot) = choices.get_mut(index) else {
        return Ok(());
    };
    let fields = chunk_choice.as_object().cloned().unwrap_or_default();
    let other = || {
        fields
            .iter()
            .filter(|(k, _)| {
                !matches!(k.as_str(), "delta" | "finish_reason" | "index" | "logprobs")
            })
            .map(|(k, v)| (k.clone(), v.clone()))
    };
    if slot.is_null() {
        let mut fresh = Map::new();
        fresh.insert(
            "finish_reason".into(),
            fields.get("finish_reason").cloned().unwrap_or(Value::Null),
        );
        fresh.insert("index".into(), Value::from(index));
        fresh.insert("message".into(), Value::Object(Map::new()));
        fresh.insert("logprobs".into(), Value::Null);
        fresh.extend(other());
        *slot = Value::Object(fresh);
    }
    let Value::Object(choice) = slot else {
        return Ok(());
    };
    if let Some(Value::Object(logprobs)) = fields.get("logprobs") {
        match choice.get_mut("logprobs") {
            Some(Value::Object(existing)) => {
                for key in ["content", "refusal"] {
                    if let Some(Value::Array(more)) = logprobs.get(key) {
                        match existing.get_mut(key) {
                            Some(Value::Array(list)) => list.extend(more.iter().cloned()),
                            _ => {
                                existing.insert(key.into(), Value::Array(more.clone()));
                            }
                        }
                    }
                }
            }
            _ => {
                choice.insert("logprobs".into(), Value::Object(logprobs.clone()));
            }
        }
    }
    if let Some(reason) = non_empty_str(fields.get("finish_reason")) {
        choice.insert("finish_reason".into(), Value::String(reason.to_owned()));
    }
    choice.extend(other());
    let Some(Value::Object(delta)) = fields.get("delta") else {
        return Ok(());
    };
    let Some(Value::Object(message)) = choice.get_mut("message") else {
        return Ok(());
    };
    apply_delta(message, delta, strict)
}

fn apply_delta(
    message: &mut Map<String, Value>,
    delta: &Map<String, Value>,
    strict: bool,
) -> Result<(), AccumulateError> {
    const KNOWN: [&str; 6] = [
        "audio",
        "content",
        "refusal",
        "function_call",
        "role",
        "tool_calls",
    ];
    for (key, value) in delta {
        // Other fields are assigned as sent (the SDK's `assignOwnProperties`: strict keeps a
        // reasoning field's last piece, as openai-node does); reasoning, in the lenient rule,
        // accumulates.
        let reasoning = !strict && (key == "reasoning" || key == "reasoning_content");
        if !KNOWN.contains(&key.as_str()) && !reasoning {
            message.insert(key.clone(), value.clone());
        }
    }
    if let Some(refusal) = non_empty_str(delta.get("refusal")) {
        append(message, "refusal", refusal);
    }
    if let Some(role) = non_empty_str(delta.get("role")) {
        message.insert("role".into(), Value::String(role.to_owned()));
    }
    if let Some(Value::Object(audio)) = delta.get("audio") {
        let snapshot = message
            .entry("audio")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(snapshot) = snapshot {
            for key in ["id", "expires_at"] {
                if let Some(value) = audio.get(key).filter(|v| !v.is_null()) {
                    snapshot.insert(key.into(), value.clone());
                }
            }
            for key in ["data", "transcript"] {
                if let Some(piece) = audio.get(key).and_then(Value::as_str) {
                    append(snapshot, key, piece);
                }
            }
        }
    }
    if let Some(Value::Object(call)) = delta.get("function_call") {
        match message.get_mut("function_call") {
            Some(Value::Object(existing)) => {
                if let Some(name) = non_empty_str(call.get("name")) {
                    existing.insert("name".into(), Value::String(name.to_owned()));
                }
                if let Some(arguments) = non_empty_str(call.get("arguments")) {
                    append(existing, "arguments", arguments);
                }
            }
            _ => {
                message.insert("function_call".into(), Value::Object(call.clone()));
            }
        }
    }
    if let Some(content) = delta.get("content").and_then(Value::as_str) {
        append(message, "content", content);
    } else if strict && delta.get("content").is_some_and(|c| !c.is_null()) {
        // Strict: a non-string content is concatenated as the SDK does, as text.
        let text = delta
            .get("content")
            .map(Value::to_string)
            .unwrap_or_default();
        append(message, "content", &text);
    }
    if !strict {
        for key in ["reasoning_content", "reasoning"] {
            if let Some(piece) = delta.get(key).and_then(Value::as_str) {
                append(message, key, piece);
            }
        }
    }
    if let Some(Value::Array(calls)) = delta.get("tool_calls") {
        if calls.is_empty() && !strict {
            return Ok(());
        }
        let list = message
            .entry("tool_calls")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !list.is_array() {
            *list = Value::Array(Vec::new());
        }
        if let Value::Array(list) = list {
            for call in calls {
                apply_tool_call(list, call, strict)?;
            }
        }
    }
    Ok(())
}

/// Where a tool-call delta goes. Strict: its `index`. Lenient: its `index` unless that call
/// already has another id (Gemini puts every parallel call at 0), else by its `id`; with
/// neither (Gemini's `index: null, id: ""`), a delta naming a function after the last call got
/// its arguments starts a new call, any other continues the last.
fn tool_call_slot(list: &[Value], call: &Value, strict: bool) -> Result<usize, AccumulateError> {
    let id = non_empty_str(call.get("id"));
    let index = call.get("index").filter(|i| !i.is_null());
    if strict {
        return index_of(index, "tool call");
    }
    let by_id = || {
        id.and_then(|id| {
            list.iter()
                .position(|c| non_empty_str(c.get("id")) == Some(id))
        })
    };
    if let Some(index) = index {
        let at = index_of(Some(index), "tool call")?;
        let other_id = list
            .get(at)
            .and_then(|c| non_empty_str(c.get("id")))
            .zip(id)
            .is_some_and(|(have, new)| have != new);
        if !other_id {
            return Ok(at);
        }
        return Ok(by_id().unwrap_or(list.len()));
    }
    match (by_id(), id) {
        (Some(at), _) => Ok(at),
        (None, Some(_)) => Ok(list.len()),
        (None, None) => {
            let named = call
                .get("function")
                .and_then(|f| non_empty_str(f.get("name")))
                .is_some();
            // O(1) on purpose: parsing the last call's arguments to see whether they are whole
            // would cost their length on every such delta (quadratic on a hostile stream).
            let last_has_arguments = list
                .last()
                .and_then(|c| c.get("function"))
                .and_then(|f| non_empty_str(f.get("arguments")))
                .is_some();
            if list.is_empty() || (named && last_has_arguments) {
                Ok(list.len())
            } else {
                Ok(list.len() - 1)
            }
        }
    }
}

fn apply_tool_call(
    list: &mut Vec<Value>,
    call: &Value,
    strict: bool,
) -> Result<(), AccumulateError> {
    let at = tool_call_slot(list, call, strict)?;
    if at >= MAX_INDEX as usize {
        return Err(AccumulateError::BadIndex {
            what: "tool call",
            index: at.to_string(),
        });
    }
    if list.len() <= at {
        list.resize(at + 1, Value::Object(Map::new()));
    }
    let Some(Value::Object(snapshot)) = list.get_mut(at) else {
        return Ok(());
    };
    let Value::Object(call) = call else {
        return Ok(());
    };
    for (key, value) in call {
        match key.as_str() {
            // Its place is its index; the SDK's snapshot does not repeat it.
            "index" => {}
            "id" | "type" => {
                if let Some(text) = non_empty_str(Some(value)) {
                    snapshot.insert(key.clone(), Value::String(text.to_owned()));
                }
            }
            "function" => {
                let Value::Object(function) = value else {
                    continue;
                };
                let target = snapshot
                    .entry("function")
                    .or_insert_with(|| Value::Object(Map::new()));
                let Value::Object(target) = target else {
                    continue;
                };
                if let Some(name) = non_empty_str(function.get("name")) {
                    target.insert("name".into(), Value::String(name.to_owned()));
                }
                if let Some(arguments) = function.get("arguments").and_then(Value::as_str) {
                    append(target, "arguments", arguments);
                }
                for (k, v) in function {
                    if k != "name" && k != "arguments" {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
            _ => {
                snapshot.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(())
}

/// A choice as the `ChatCompletion` has it: `message` with `content` and `refusal` (null when
/// none came), `finish_reason` (`"stop"` for closed, whole audio, see [`AudioDone`]),
/// `logprobs`.
fn finish_choice(choice: &Value, audio_done: AudioDone) -> Value {
    let mut choice = choice.as_object().cloned().unwrap_or_default();
    let index = choice
        .get("index")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX);
    let whole_audio = || {
        let audio = choice.get("message").and_then(|m| m.get("audio"));
        ["id", "data", "transcript", "expires_at"]
            .iter()
            .all(|key| {
                audio
                    .and_then(|a| a.get(*key))
                    .is_some_and(|v| !v.is_null())
            })
    };
    if choice.get("finish_reason").is_none_or(Value::is_null)
        && audio_done.closed(usize::try_from(index).unwrap_or(usize::MAX))
        && whole_audio()
    {
        choice.insert("finish_reason".into(), Value::String("stop".into()));
    }
    if let Some(Value::Object(message)) = choice.get_mut("message") {
        for key in ["content", "refusal"] {
            if !message.contains_key(key) {
                message.insert(key.into(), Value::Null);
            }
        }
    }
    Value::Object(choice)
}

impl crate::wire::protocol::sealed::Sealed for Accumulator {}

impl crate::wire::protocol::Accumulate<super::Decoder> for Accumulator {
    type Snapshot = super::ChatCompletion;

    fn apply_item(
        &mut self,
        item: &super::Decoded<'_>,
    ) -> Result<(), crate::wire::protocol::Rejected> {
        use crate::wire::protocol::Rejected;
        match item {
            super::Decoded::Content(delta) => self.apply_content(delta).map_err(Rejected::new),
            super::Decoded::Chunk(chunk) => self.apply_json(chunk).map_err(Rejected::new),
            _ => Ok(()),
        }
    }

    fn apply_event(
        &mut self,
        event: &super::ChatEvent,
    ) -> Result<(), crate::wire::protocol::Rejected> {
        use crate::wire::protocol::Rejected;
        match event {
            // A typed chunk always serializes (its fields are JSON values and strings).
            super::ChatEvent::Chunk(chunk) => serde_json::to_value(chunk)
                .map_err(Rejected::new)
                .and_then(|json| self.apply_json(&json).map_err(Rejected::new)),
            _ => Ok(()),
        }
    }

    fn finish(self) -> super::ChatCompletion {
        self.into_completion()
    }
}
