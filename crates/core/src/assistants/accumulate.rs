//! Folding events into snapshots: the current run, its steps and its messages.
//!
//! The rules are the official SDK's (`openai-python`, `lib/streaming/_assistants.py`:
//! `accumulate_event`, `accumulate_run_step`; merging in [`crate::wire::merge`]), with one
//! deliberate difference: every full object the server sends replaces its snapshot — including
//! `thread.run.step.completed` / `.failed` / `.cancelled` / `.expired` and
//! `thread.message.in_progress`, which the SDK ignores — so a finished step carries its final
//! status, usage and function outputs. Deltas are matched by id (the SDK merges message deltas
//! into whichever message came last).

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::assistants::event::{Decoded, StreamEvent};
use crate::assistants::types::{ContentType, Message, RequiredToolCall, Run, RunStep};
use crate::wire::merge::Merge;

/// A delta named an object the stream never created. Nothing was changed; the accumulator goes
/// on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccumulateError {
    /// A `thread.message.delta` for a message with no `thread.message.created` before it.
    UnknownMessage {
        /// The delta's message id.
        id: String,
    },
    /// A `thread.run.step.delta` for a step with no `thread.run.step.created` before it.
    UnknownStep {
        /// The delta's step id.
        id: String,
    },
}

impl fmt::Display for AccumulateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccumulateError::UnknownMessage { id } => {
                write!(f, "delta for message {id}, which the stream never created")
            }
            AccumulateError::UnknownStep { id } => {
                write!(f, "delta for run step {id}, which the stream never created")
            }
        }
    }
}

impl std::error::Error for AccumulateError {}

/// The accumulated state of a stream: `{"run", "run_steps", "messages"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Snapshot {
    /// The current run, as its last event sent it.
    pub run: Option<Run>,
    /// Run steps, in order of first appearance.
    pub run_steps: Vec<RunStep>,
    /// Messages, in order of first appearance.
    pub messages: Vec<Message>,
}

/// Applies events to snapshots. Cost is linear in the bytes received: text and arguments are
/// appended in place.
///
/// ```
/// use streaming_assistants_core::assistants::accumulate::Accumulator;
/// use streaming_assistants_core::assistants::event::StreamEvent;
///
/// let mut acc = Accumulator::new();
/// for (name, data) in [
///     ("thread.message.created", r#"{"id":"msg_1","role":"assistant","content":[]}"#),
///     ("thread.message.delta", r#"{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"value":"Hel"}}]}}"#),
///     ("thread.message.delta", r#"{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"value":"lo"}}]}}"#),
/// ] {
///     acc.apply(&StreamEvent::decode(name, data, 0).unwrap()).unwrap();
/// }
/// assert_eq!(acc.text("msg_1").as_deref(), Some("Hello"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Accumulator {
    snapshot: Snapshot,
    steps: HashMap<String, usize>,
    messages: HashMap<String, usize>,
}

impl Accumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one event. Events that carry no snapshot state (`thread.created`, `error`,
    /// `done`, unknown names) change nothing.
    pub fn apply(&mut self, event: &StreamEvent) -> Result<(), AccumulateError> {
        if let Some(run) = event.run() {
            self.snapshot.run = Some(run.clone());
            return Ok(());
        }
        match event {
            StreamEvent::RunStepCreated(step)
            | StreamEvent::RunStepInProgress(step)
            | StreamEvent::RunStepCompleted(step)
            | StreamEvent::RunStepFailed(step)
            | StreamEvent::RunStepCancelled(step)
            | StreamEvent::RunStepExpired(step) => {
                upsert(
                    &mut self.snapshot.run_steps,
                    &mut self.steps,
                    &step.id,
                    step,
                );
            }
            StreamEvent::RunStepDelta(delta) => {
                let step = find(&mut self.snapshot.run_steps, &self.steps, &delta.id).ok_or_else(
                    || AccumulateError::UnknownStep {
                        id: delta.id.clone(),
                    },
                )?;
                step.step_details.merge(&delta.delta.step_details);
                step.extra.merge(&delta.delta.extra);
            }
            StreamEvent::MessageCreated(message)
            | StreamEvent::MessageInProgress(message)
            | StreamEvent::MessageCompleted(message)
            | StreamEvent::MessageIncomplete(message) => {
                upsert(
                    &mut self.snapshot.messages,
                    &mut self.messages,
                    &message.id,
                    &**message,
                );
            }
            StreamEvent::MessageDelta(delta) => {
                let message = find(&mut self.snapshot.messages, &self.messages, &delta.id)
                    .ok_or_else(|| AccumulateError::UnknownMessage {
                        id: delta.id.clone(),
                    })?;
                if let Some(content) = &delta.delta.content {
                    message.content.merge(content);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Applies an event from [`Decoder::next_decoded`](crate::wire::protocol::Decode::next_decoded):
    /// a borrowed text delta is appended in place, with no allocation once the text part
    /// exists; anything else goes through [`Accumulator::apply`]. The result is the same as
    /// applying the owned event.
    pub fn apply_decoded(&mut self, event: &Decoded<'_>) -> Result<(), AccumulateError> {
        let delta = match event {
            Decoded::Event(event) => return self.apply(event),
            Decoded::TextDelta(delta) => delta,
        };
        let message = find(
            &mut self.snapshot.messages,
            &self.messages,
            &delta.message_id,
        )
        .ok_or_else(|| AccumulateError::UnknownMessage {
            id: delta.message_id.clone().into_owned(),
        })?;
        // The common case: the part is already a text with a value (and annotations, if the
        // delta has them), so merging is appending. Anything else merges the owned event.
        let value = usize::try_from(delta.index)
            .ok()
            .and_then(|i| message.content.get_mut(i))
            .filter(|part| part.index == Some(delta.index) && part.kind == Some(ContentType::Text))
            .and_then(|part| part.text.as_mut())
            .filter(|text| !delta.annotations || text.annotations.is_some())
            .and_then(|text| text.value.as_mut());
        if let Some(value) = value {
            value.push_str(&delta.text);
            return Ok(());
        }
        self.apply(&delta.to_event())
    }

    /// The current run.
    pub fn run(&self) -> Option<&Run> {
        self.snapshot.run.as_ref()
    }

    /// The run steps, in order of first appearance.
    pub fn run_steps(&self) -> &[RunStep] {
        &self.snapshot.run_steps
    }

    /// The messages, in order of first appearance.
    pub fn messages(&self) -> &[Message] {
        &self.snapshot.messages
    }

    /// A message by id.
    pub fn message(&self, id: &str) -> Option<&Message> {
        self.messages
            .get(id)
            .and_then(|&i| self.snapshot.messages.get(i))
    }

    /// A message's text so far (its text parts, concatenated).
    pub fn text(&self, message_id: &str) -> Option<String> {
        self.message(message_id).map(Message::text)
    }

    /// The tool calls the run waits for, when it `requires_action`.
    pub fn pending_tool_calls(&self) -> &[RequiredToolCall] {
        self.run().map(Run::pending_tool_calls).unwrap_or_default()
    }

    /// The snapshot so far.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The final snapshot.
    pub fn into_snapshot(self) -> Snapshot {
        self.snapshot
    }
}

/// The object with this id. Deltas almost always go to the newest object, so it is checked
/// before the index (no hashing on the hot path).
fn find<'a, T: Identified>(
    list: &'a mut [T],
    ids: &HashMap<String, usize>,
    id: &str,
) -> Option<&'a mut T> {
    let at = match list.last() {
        Some(last) if last.id() == id => list.len() - 1,
        _ => *ids.get(id)?,
    };
    list.get_mut(at)
}

/// An object with an id.
trait Identified {
    fn id(&self) -> &str;
}

impl Identified for Message {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Identified for RunStep {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Replaces the object with this id, or appends it.
fn upsert<T: Clone>(list: &mut Vec<T>, ids: &mut HashMap<String, usize>, id: &str, value: &T) {
    match ids.get(id).and_then(|&i| list.get_mut(i)) {
        Some(slot) => slot.clone_from(value),
        None => {
            ids.insert(id.to_owned(), list.len());
            list.push(value.clone());
        }
    }
}

impl crate::wire::protocol::sealed::Sealed for Accumulator {}

impl crate::wire::protocol::Accumulate<super::Decoder> for Accumulator {
    type Snapshot = Snapshot;

    fn apply_item(
        &mut self,
        item: &super::Decoded<'_>,
    ) -> std::result::Result<(), crate::wire::protocol::Rejected> {
        self.apply_decoded(item)
            .map_err(crate::wire::protocol::Rejected::new)
    }

    fn apply_event(
        &mut self,
        event: &StreamEvent,
    ) -> std::result::Result<(), crate::wire::protocol::Rejected> {
        self.apply(event)
            .map_err(crate::wire::protocol::Rejected::new)
    }

    fn finish(self) -> Snapshot {
        self.into_snapshot()
    }
}
