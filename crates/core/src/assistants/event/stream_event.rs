//! `StreamEvent`: one variant per event name of the v2 stream.

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::assistants::types::{
    ErrorObject, Message, MessageDelta, Run, RunStep, RunStepDelta, Thread,
};
use crate::wire::protocol::DecodeError;

macro_rules! stream_events {
    ( $( $(#[$meta:meta])* $variant:ident($ty:ty) = $name:literal, )* ) => {
        /// A typed event of the Assistants v2 stream.
        ///
        /// Payloads are boxed so that the event stays small: an event moves through the decoder
        /// and the caller by value, and moving a pointer is cheaper than moving the delta
        /// (measured in `benches/pipeline.rs`).
        ///
        /// Names this version does not know are kept as [`StreamEvent::Unknown`], never an
        /// error: servers add events over time.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum StreamEvent {
            $( $(#[$meta])* $variant($ty), )*
            /// `error`: the server reports a failure mid-stream.
            Error(Box<ErrorObject>),
            /// `done` (`data: [DONE]`): the stream is over.
            Done,
            /// An event this version does not know, as it came.
            Unknown {
                /// Its name.
                event: String,
                /// Its data, unparsed.
                data: String,
            },
        }

        impl StreamEvent {
            /// The event's name on the wire, e.g. `thread.message.delta`.
            pub fn name(&self) -> &str {
                match self {
                    $( StreamEvent::$variant(_) => $name, )*
                    StreamEvent::Error(_) => "error",
                    StreamEvent::Done => "done",
                    StreamEvent::Unknown { event, .. } => event,
                }
            }

            /// Decodes the data of a known name; `None` for other names.
            fn decode_known(name: &str, data: &str) -> Option<serde_json::Result<StreamEvent>> {
                Some(match name {
                    $( $name => serde_json::from_str(data).map(StreamEvent::$variant), )*
                    _ => return None,
                })
            }

            fn serialize_data<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                match self {
                    $( StreamEvent::$variant(data) => map.serialize_entry("data", data), )*
                    StreamEvent::Error(data) => map.serialize_entry("data", data),
                    StreamEvent::Done => map.serialize_entry("data", "[DONE]"),
                    StreamEvent::Unknown { data, .. } => {
                        match serde_json::from_str::<&RawValue>(data) {
                            Ok(raw) => map.serialize_entry("data", raw),
                            Err(_) => map.serialize_entry("data", data),
                        }
                    }
                }
            }
        }
    };
}

stream_events! {
    /// `thread.created`.
    ThreadCreated(Box<Thread>) = "thread.created",
    /// `thread.run.created`.
    RunCreated(Box<Run>) = "thread.run.created",
    /// `thread.run.queued`.
    RunQueued(Box<Run>) = "thread.run.queued",
    /// `thread.run.in_progress`.
    RunInProgress(Box<Run>) = "thread.run.in_progress",
    /// `thread.run.requires_action`: submit tool outputs to continue.
    RunRequiresAction(Box<Run>) = "thread.run.requires_action",
    /// `thread.run.completed`.
    RunCompleted(Box<Run>) = "thread.run.completed",
    /// `thread.run.incomplete`.
    RunIncomplete(Box<Run>) = "thread.run.incomplete",
    /// `thread.run.failed`.
    RunFailed(Box<Run>) = "thread.run.failed",
    /// `thread.run.cancelling`.
    RunCancelling(Box<Run>) = "thread.run.cancelling",
    /// `thread.run.cancelled`.
    RunCancelled(Box<Run>) = "thread.run.cancelled",
    /// `thread.run.expired`.
    RunExpired(Box<Run>) = "thread.run.expired",
    /// `thread.run.step.created`.
    RunStepCreated(Box<RunStep>) = "thread.run.step.created",
    /// `thread.run.step.in_progress`.
    RunStepInProgress(Box<RunStep>) = "thread.run.step.in_progress",
    /// `thread.run.step.delta`.
    RunStepDelta(Box<RunStepDelta>) = "thread.run.step.delta",
    /// `thread.run.step.completed`.
    RunStepCompleted(Box<RunStep>) = "thread.run.step.completed",
    /// `thread.run.step.failed`.
    RunStepFailed(Box<RunStep>) = "thread.run.step.failed",
    /// `thread.run.step.cancelled`.
    RunStepCancelled(Box<RunStep>) = "thread.run.step.cancelled",
    /// `thread.run.step.expired`.
    RunStepExpired(Box<RunStep>) = "thread.run.step.expired",
    /// `thread.message.created`.
    MessageCreated(Box<Message>) = "thread.message.created",
    /// `thread.message.in_progress`.
    MessageInProgress(Box<Message>) = "thread.message.in_progress",
    /// `thread.message.delta`.
    MessageDelta(Box<MessageDelta>) = "thread.message.delta",
    /// `thread.message.completed`.
    MessageCompleted(Box<Message>) = "thread.message.completed",
    /// `thread.message.incomplete`.
    MessageIncomplete(Box<Message>) = "thread.message.incomplete",
}

/// Astra's framing: the name travels inside the JSON.
#[derive(Deserialize)]
struct Wrapped<'a> {
    event: String,
    #[serde(borrow)]
    data: &'a RawValue,
}

impl StreamEvent {
    /// Decodes one SSE event (its type and data) in either framing; `position` is the event's
    /// index in the stream, for the error.
    pub fn decode(event: &str, data: &str, position: u64) -> Result<StreamEvent, DecodeError> {
        if event == "message" {
            // No `event:` line: Astra's wrapped frame, or a bare `[DONE]`.
            if let Ok(wrapped) = serde_json::from_str::<Wrapped<'_>>(data) {
                return Self::decode_named(&wrapped.event, wrapped.data.get(), position);
            }
            if data == "[DONE]" {
                return Ok(StreamEvent::Done);
            }
        }
        Self::decode_named(event, data, position)
    }

    fn decode_named(event: &str, data: &str, position: u64) -> Result<StreamEvent, DecodeError> {
        match event {
            "done" => Ok(StreamEvent::Done),
            "error" => decode_error(data).map_err(|e| DecodeError::new(event, position, &e)),
            _ => match Self::decode_known(event, data) {
                Some(decoded) => decoded.map_err(|e| DecodeError::new(event, position, &e)),
                None => Ok(StreamEvent::Unknown {
                    event: event.to_owned(),
                    data: data.to_owned(),
                }),
            },
        }
    }

    /// The run carried by a `thread.run.*` event.
    pub fn run(&self) -> Option<&Run> {
        match self {
            StreamEvent::RunCreated(run)
            | StreamEvent::RunQueued(run)
            | StreamEvent::RunInProgress(run)
            | StreamEvent::RunRequiresAction(run)
            | StreamEvent::RunCompleted(run)
            | StreamEvent::RunIncomplete(run)
            | StreamEvent::RunFailed(run)
            | StreamEvent::RunCancelling(run)
            | StreamEvent::RunCancelled(run)
            | StreamEvent::RunExpired(run) => Some(run.as_ref()),
            _ => None,
        }
    }

    /// The run of a `thread.run.requires_action` event that waits for tool outputs: its id and
    /// [`Run::pending_tool_calls`] are what a tool loop answers.
    pub fn requires_action(&self) -> Option<&Run> {
        match self {
            StreamEvent::RunRequiresAction(run)
                if run.status == crate::assistants::types::RunStatus::RequiresAction =>
            {
                Some(run.as_ref())
            }
            _ => None,
        }
    }

    /// The text pieces of a `thread.message.delta`, in order.
    pub fn text_deltas(&self) -> impl Iterator<Item = &str> {
        let parts = match self {
            StreamEvent::MessageDelta(delta) => delta.delta.content.as_deref().unwrap_or_default(),
            _ => &[],
        };
        parts
            .iter()
            .filter_map(|part| part.text.as_ref()?.value.as_deref())
    }
}

/// The `error` event's data is the error object itself; accept `{"error": {...}}` as well.
fn decode_error(data: &str) -> serde_json::Result<StreamEvent> {
    let mut object: ErrorObject = serde_json::from_str(data)?;
    if object.message.is_none() {
        if let Some(inner) = object.extra.get("error") {
            object = ErrorObject::deserialize(inner)?;
        }
    }
    Ok(StreamEvent::Error(Box::new(object)))
}

/// `{"event": name, "data": data}`: the shape `replay --events` prints.
impl Serialize for StreamEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("event", self.name())?;
        self.serialize_data(&mut map)?;
        map.end()
    }
}
