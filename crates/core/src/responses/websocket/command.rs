//! The client's commands as text frames: `response.create` and `response.steer`.

use serde_json::{Map, Value};

use crate::responses::ResponseRequest;

/// A `response.create` frame: `type` first, then the body of an HTTP create without the
/// HTTP-only `stream` and `background`, and `stream_id` when the lane has one (replacing any
/// the body named).
///
/// ```
/// use streaming_assistants_core::responses::websocket::create_frame;
/// use streaming_assistants_core::responses::ResponseRequest;
///
/// let request = ResponseRequest::new("m").input("Hi").background(true);
/// assert_eq!(
///     create_frame(&request.to_json(), Some("a")),
///     r#"{"type":"response.create","input":"Hi","model":"m","stream_id":"a"}"#
/// );
/// ```
pub fn create_frame(body: &Value, stream_id: Option<&str>) -> String {
    let mut frame = Map::new();
    if let Value::Object(fields) = body {
        for (key, value) in fields {
            if !matches!(key.as_str(), "type" | "stream" | "background" | "stream_id") {
                frame.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(id) = stream_id {
        frame.insert("stream_id".into(), Value::from(id));
    }
    typed_first("response.create", frame)
}

/// The frame's JSON with `type` written first (serde_json's map is sorted): a server can
/// dispatch on the first field.
fn typed_first(kind: &str, fields: Map<String, Value>) -> String {
    let rest = Value::Object(fields).to_string();
    let rest = rest.strip_prefix('{').unwrap_or(&rest);
    let separator = if rest == "}" { "" } else { "," };
    format!("{{\"type\":\"{kind}\"{separator}{rest}")
}

/// A `response.steer` frame: queues `input` (a string or user message items) for a
/// continuation of the response `previous_response_id`. It names no lane: the target
/// response's lane receives the acknowledgement.
///
/// ```
/// use streaming_assistants_core::responses::websocket::steer_frame;
///
/// assert_eq!(
///     steer_frame("resp_1", "Shorter, please".into()),
///     r#"{"type":"response.steer","input":"Shorter, please","previous_response_id":"resp_1"}"#
/// );
/// ```
pub fn steer_frame(previous_response_id: &str, input: Value) -> String {
    let mut frame = Map::new();
    frame.insert(
        "previous_response_id".into(),
        Value::from(previous_response_id),
    );
    frame.insert("input".into(), input);
    typed_first("response.steer", frame)
}

/// The body of `request` as a create frame.
pub(crate) fn request_frame(request: &ResponseRequest, stream_id: Option<&str>) -> String {
    create_frame(&request.to_json(), stream_id)
}
