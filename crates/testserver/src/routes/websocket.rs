//! The Responses API's WebSocket mode: `GET /v1/responses` upgraded. Each `response.create`
//! frame is answered with the events the SSE stream would carry, one text frame each, with the
//! create's `stream_id`; lanes run at once, each first-in first-out. The connection keeps its
//! responses for `previous_response_id`; a response made with `store: false` is known to its
//! connection only, so a new connection gets `previous_response_not_found`. `response.steer`
//! on a response in flight is accepted and answered by a successor once it ends. The script's
//! delivery makes the faults: `pause_ms` between frames, `end_after` a clean close frame
//! (1000) after that many frames, `cut`/`disconnect_after` a drop with no close frame.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::responses::next_script;
use super::Shared;
use crate::responses::{respond, Asked};
use crate::script::Cut;

type Lane = Option<String>;

pub(crate) async fn upgrade(State(s): State<Shared>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| serve(s, socket))
}

/// What the lanes hand the one writer.
enum Out {
    Frame(String),
    /// A clean close frame.
    Close,
    /// Drop the connection with no close frame.
    Drop,
}

/// What the connection knows, shared by its reader and its lanes.
#[derive(Default)]
struct Known {
    /// Responses made on this connection (its cache for `previous_response_id`), and their
    /// lane.
    cache: HashMap<String, Lane>,
    /// Responses streaming now, and their lane.
    active: HashMap<String, Lane>,
    /// Accepted steering input, by the response it steers.
    steers: HashMap<String, Vec<Value>>,
    steered: u64,
}

struct Connection {
    shared: Shared,
    known: Mutex<Known>,
    /// The lanes' frames: bounded, so that a slow reader slows the lanes (the writer sends one
    /// frame at a time as the socket takes it); 64 deep, so that a fast reader does not pay a
    /// task switch per frame.
    frames: mpsc::Sender<Out>,
    /// Errors and acknowledgements, sent from the reader too (which must never wait on the
    /// writer it shares a task with).
    control: mpsc::UnboundedSender<Out>,
}

impl Connection {
    fn known(&self) -> MutexGuard<'_, Known> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn send(&self, frame: Value) {
        let _ = self.control.send(Out::Frame(frame.to_string()));
    }

    /// An `error` frame as the WebSocket mode sends it: nested, with the HTTP status.
    fn error(&self, lane: &Lane, status: u16, code: &str, message: &str, param: Option<&str>) {
        let mut frame = json!({"type": "error", "status": status, "error": {
            "type": "invalid_request_error", "code": code, "message": message, "param": param}});
        if let Some(id) = lane {
            frame["stream_id"] = json!(id);
        }
        self.send(frame);
    }
}

async fn serve(shared: Shared, mut socket: WebSocket) {
    shared.counters.websockets.fetch_add(1, Ordering::SeqCst);
    let (frames, mut outgoing) = mpsc::channel(64);
    let (control, mut controls) = mpsc::unbounded_channel();
    let connection = Arc::new(Connection {
        shared,
        known: Mutex::new(Known::default()),
        frames,
        control,
    });
    let mut lanes: HashMap<Lane, mpsc::UnboundedSender<Value>> = HashMap::new();
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Binary(_))) => {
                        connection.error(&None, 400, "invalid_event", "Send text frames.", None);
                        continue;
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => break,
                };
                connection.shared.counters.bytes_received.fetch_add(text.len(), Ordering::SeqCst);
                command(&connection, &mut lanes, text.as_str());
            }
            next = async {
                tokio::select! {
                    control = controls.recv() => control,
                    frame = outgoing.recv() => frame,
                }
            } => match next {
                Some(Out::Frame(text)) => {
                    let size = text.len();
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                    connection.shared.counters.body_bytes.fetch_add(size, Ordering::SeqCst);
                }
                Some(Out::Close) => {
                    let frame = CloseFrame { code: 1000, reason: "scripted close".into() };
                    let _ = socket.send(Message::Close(Some(frame))).await;
                    break;
                }
                Some(Out::Drop) | None => break,
            },
        }
    }
}

/// One client frame.
fn command(
    connection: &Arc<Connection>,
    lanes: &mut HashMap<Lane, mpsc::UnboundedSender<Value>>,
    text: &str,
) {
    let Ok(Value::Object(frame)) = serde_json::from_str::<Value>(text) else {
        connection.error(
            &None,
            400,
            "invalid_json",
            "The frame is not a JSON object.",
            None,
        );
        return;
    };
    let lane: Lane = frame
        .get("stream_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    match frame.get("type").and_then(Value::as_str) {
        Some("response.create") => {
            let sender = lanes.entry(lane.clone()).or_insert_with(|| {
                let (sender, creates) = mpsc::unbounded_channel();
                tokio::spawn(run_lane(connection.clone(), lane, creates));
                sender
            });
            let _ = sender.send(Value::Object(frame));
        }
        Some("response.steer") => steer(connection, &frame),
        other => connection.error(
            &lane,
            400,
            "unknown_event_type",
            &format!("Unknown event type {:?}.", other.unwrap_or("")),
            Some("type"),
        ),
    }
}

/// `response.steer`: accepted while its response streams, answered by a successor after it.
fn steer(connection: &Connection, frame: &serde_json::Map<String, Value>) {
    let previous = frame
        .get("previous_response_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let input = frame.get("input").cloned().unwrap_or(Value::Null);
    let mut known = connection.known();
    let (kind, lane, extra) = if let Some(lane) = known.active.get(previous).cloned() {
        known.steered += 1;
        let id = format!("steer_{}", known.steered);
        known
            .steers
            .entry(previous.to_owned())
            .or_default()
            .push(input);
        let steer = json!({"id": id, "previous_response_id": previous});
        ("response.steer.accepted", lane, json!({ "steer": steer }))
    } else {
        let (code, message, lane) = match known.cache.get(previous) {
            Some(lane) => (
                "response_already_completed",
                "The response completed and takes no more steering.",
                lane.clone(),
            ),
            None => (
                "response_not_found",
                "The target response is not available on this connection.",
                None,
            ),
        };
        let error = json!({"type": "invalid_request_error", "code": code, "message": message});
        let steer = json!({"input": input, "previous_response_id": previous});
        (
            "response.steer.failed",
            lane,
            json!({"error": error, "steer": steer}),
        )
    };
    drop(known);
    let mut event = json!({"type": kind, "sequence_number": 0});
    if let (Some(fields), Value::Object(more)) = (event.as_object_mut(), extra) {
        fields.extend(more);
    }
    if let Some(id) = lane {
        event["stream_id"] = json!(id);
    }
    connection.send(event);
}

/// One lane: its creates one after the other, each followed by the successors its accepted
/// steering asks for.
async fn run_lane(
    connection: Arc<Connection>,
    lane: Lane,
    mut creates: mpsc::UnboundedReceiver<Value>,
) {
    while let Some(mut body) = creates.recv().await {
        loop {
            let Some(id) = respond_once(&connection, &lane, &body).await else {
                return;
            };
            let Some(inputs) = connection.known().steers.remove(&id) else {
                break;
            };
            body["previous_response_id"] = json!(id);
            body["input"] = Value::Array(inputs.into_iter().flat_map(as_items).collect());
        }
    }
}

/// Steering input as input items (a string is one user message).
fn as_items(input: Value) -> Vec<Value> {
    match input {
        Value::Array(items) => items,
        Value::String(text) => vec![json!({"type": "message", "role": "user", "content": text})],
        other => vec![other],
    }
}

/// Answers one create on `lane`: the id of the response it streamed, or `None` when the
/// connection ended (a scripted close or drop).
async fn respond_once(connection: &Connection, lane: &Lane, body: &Value) -> Option<String> {
    if body.get("model").and_then(Value::as_str).is_none() {
        let message = "Missing required parameter: 'model'.";
        connection.error(
            lane,
            400,
            "missing_required_parameter",
            message,
            Some("model"),
        );
        return Some(String::new());
    }
    if let Some(previous) = body.get("previous_response_id").and_then(Value::as_str) {
        let cached = connection.known().cache.contains_key(previous);
        let stored = connection.shared.store().responses.contains_key(previous);
        if !cached && !stored {
            let message = format!("Previous response with id '{previous}' not found.");
            let code = "previous_response_not_found";
            connection.error(lane, 400, code, &message, Some("previous_response_id"));
            return Some(String::new());
        }
    }
    let (stored, script) = {
        let mut store = connection.shared.store();
        let asked = Asked::new(body);
        let script = next_script(&connection.shared, &mut store, &asked);
        let stored = respond(&mut store, &asked, &script);
        (stored, script)
    };
    let id = stored.response["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    {
        let mut known = connection.known();
        known.cache.insert(id.clone(), lane.clone());
        known.active.insert(id.clone(), lane.clone());
    }
    // `store: false`: this connection's cache is the only place the response lives.
    if body.get("store").and_then(Value::as_bool) != Some(false) {
        connection
            .shared
            .store()
            .responses
            .insert(id.clone(), stored.clone());
    }
    let delivery = &script.delivery;
    let frames: Vec<String> = stored
        .events
        .iter()
        .map(|(_, data)| {
            let mut event: Value = serde_json::from_str(data).unwrap_or(Value::Null);
            if let (Some(id), Some(fields)) = (lane, event.as_object_mut()) {
                fields.insert("stream_id".into(), json!(id));
            }
            event.to_string()
        })
        .collect();
    let drop_at = delivery.cut.map(|cut| match cut {
        Cut::InsideEvent(n) | Cut::AfterEvents(n) => n,
        Cut::AfterEnd => frames.len(),
    });
    let mut sent = 0;
    for (n, frame) in frames.into_iter().enumerate() {
        if n > 0 {
            if let Some(ms) = delivery.pause_ms {
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
        }
        if delivery.end_after == Some(n) {
            let _ = connection.frames.send(Out::Close).await;
            return None;
        }
        let past_bytes = delivery
            .disconnect_after
            .is_some_and(|at| sent + frame.len() > at);
        if drop_at == Some(n) || past_bytes {
            let _ = connection.frames.send(Out::Drop).await;
            return None;
        }
        sent += frame.len();
        if connection.frames.send(Out::Frame(frame)).await.is_err() {
            return None;
        }
    }
    if drop_at.is_some() {
        let _ = connection.frames.send(Out::Drop).await;
        return None;
    }
    connection.known().active.remove(&id);
    Some(id)
}
