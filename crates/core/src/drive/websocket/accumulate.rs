//! One lane's response: the SSE accumulator's, with openai-python's WebSocket fallback.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::responses::{Accumulator, EventType, Response, ResponseEvent};

/// Accumulates one response of a lane. Every event goes to the SSE [`Accumulator`], so the
/// final response equals the SSE path's for the same events. A server may leave out the SSE
/// set-up events (`output_item.added`, `content_part.added`) over a WebSocket: once the SSE
/// accumulator rejects one, the lane falls back to openai-python's `ResponsesWebSocketAccumulator`
/// rule, the terminal event's `response` with an omitted or null `output` filled from the
/// items finalized by `response.output_item.done`.
#[derive(Debug, Clone, Default)]
pub struct LaneAccumulator {
    sse: Accumulator,
    /// Whether the SSE accumulator took every event so far.
    exact: bool,
    finalized: BTreeMap<u64, Value>,
    terminal: Option<Value>,
    started: bool,
}

impl LaneAccumulator {
    /// An accumulator that has seen nothing.
    pub fn new() -> Self {
        LaneAccumulator {
            exact: true,
            ..Self::default()
        }
    }

    /// Applies one event of the lane's response (a `response.created` starts a new one).
    pub fn apply(&mut self, event: &ResponseEvent) {
        if event.kind == EventType::Created {
            *self = Self::new();
            self.started = true;
        }
        if self.exact && self.sse.apply(event).is_err() {
            self.exact = false;
        }
        match event.kind {
            EventType::OutputItemDone => {
                if let (Some(index), Some(item)) = (event.output_index, &event.item) {
                    self.finalized.insert(index, item.clone());
                }
            }
            EventType::Completed | EventType::Failed | EventType::Incomplete => {
                self.terminal.clone_from(&event.response);
            }
            _ => {}
        }
    }

    /// Whether a terminal event (`completed`, `failed`, `incomplete`) arrived.
    pub fn is_terminal(&self) -> bool {
        self.terminal.is_some()
    }

    /// Whether a response started (`response.created`) and has not reached its terminal event.
    pub fn is_running(&self) -> bool {
        self.started && self.terminal.is_none()
    }

    /// The response so far: the SSE accumulator's while it took every event, else the
    /// terminal event's (or `None` before it) with its output filled from the finalized items.
    pub fn response(&self) -> Option<Response> {
        if self.exact {
            return self
                .sse
                .snapshot()
                .response()
                .map(|_| self.sse.snapshot().clone().into_response());
        }
        let mut response = self.terminal.clone()?;
        if let Value::Object(fields) = &mut response {
            if !matches!(fields.get("output"), Some(Value::Array(_))) {
                let items = self.finalized.values().cloned().collect();
                fields.insert("output".into(), Value::Array(items));
            }
        }
        match response {
            Value::Object(fields) => Some(Response::from_map(fields)),
            _ => None,
        }
    }
}
