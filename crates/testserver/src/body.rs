//! Writing a streamed leg: frames as the real service frames them, in the script's chunking,
//! with its pauses, cut where it says.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_core::Stream;
use tokio::sync::mpsc;

use crate::model::StreamedLeg;
use crate::script::Delivery;
use crate::Dialect;

/// What the server's stream bodies did, for tests to check.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Streams whose client closed the connection before the end.
    pub(crate) abandoned: AtomicUsize,
    /// Body bytes handed to the connection (a write waits until the previous one was taken).
    pub(crate) body_bytes: AtomicUsize,
    /// WebSocket connections opened on `GET /v1/responses`.
    pub(crate) websockets: AtomicUsize,
    /// Bytes of the text frames clients sent over WebSockets.
    pub(crate) bytes_received: AtomicUsize,
}

/// The body as a stream of writes. A bounded channel of one gives backpressure: the writer
/// waits for the client to take each write, and stops when the client goes away.
struct Writes(mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl Stream for Writes {
    type Item = Result<Bytes, std::io::Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// A `text/event-stream` response for the leg, framed as the dialect frames it: OpenAI's
/// `event:` lines and `done`, or Astra's `data: {"event", "data"}` with no `done` and no
/// `error` event.
pub(crate) fn sse(leg: StreamedLeg, dialect: Dialect, counters: &Arc<Counters>) -> Response {
    let frames: Vec<String> = match dialect {
        Dialect::OpenAi
        | Dialect::Azure
        | Dialect::Gemini
        | Dialect::Ollama
        | Dialect::Vllm
        | Dialect::LlamaCpp => leg
            .events
            .iter()
            .map(|(name, data)| format!("event: {name}\ndata: {data}\n\n"))
            .chain(leg.done.then(|| "event: done\ndata: [DONE]\n\n".to_owned()))
            .collect(),
        Dialect::Astra => leg
            .events
            .iter()
            .filter(|(name, _)| *name != "error")
            .map(|(name, data)| format!("data: {{\"event\": \"{name}\", \"data\": {data}}}\n\n"))
            .collect(),
    };
    stream_frames(frames, leg.delivery, None, counters)
}

/// Writes `frames` by `delivery`, then `tail` (bytes with no blank line after them, as Astra's
/// `data: []` failure frame), then closes.
pub(crate) fn stream_frames(
    frames: Vec<String>,
    delivery: Delivery,
    tail: Option<&'static str>,
    counters: &Arc<Counters>,
) -> Response {
    let counters = counters.clone();
    let disconnect_after = delivery
        .disconnect_after
        .or_else(|| delivery.cut.map(|cut| cut.offset(&frames)));
    // Unpaced with a chunk size: the body is written in pieces of that size whatever the
    // event boundaries (as a fast server's or a backlog's bytes arrive).
    let frames: Vec<Vec<u8>> = match (delivery.chunk_size, delivery.pause_ms) {
        (Some(size), None) if size > 1 => frames
            .concat()
            .as_bytes()
            .chunks(size)
            .map(<[u8]>::to_vec)
            .collect(),
        _ => frames.into_iter().map(String::into_bytes).collect(),
    };
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        let mut sent = 0usize;
        for (i, frame) in frames.iter().enumerate() {
            if delivery.end_after.is_some_and(|n| i >= n) {
                return;
            }
            if i > 0 {
                if let Some(ms) = delivery.pause_ms {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                }
            }
            let size = delivery.chunk_size.unwrap_or(frame.len()).max(1);
            for piece in frame.chunks(size) {
                let piece = match disconnect_after {
                    Some(limit) if sent + piece.len() >= limit => {
                        let head = piece.get(..limit - sent).unwrap_or_default();
                        if !head.is_empty() {
                            let _ = tx.send(Ok(Bytes::copy_from_slice(head))).await;
                        }
                        // An error item makes the server drop the connection mid-body, and
                        // with it whatever it has not written yet: wait until the bytes before
                        // the cut were taken, and for the server to write them (it does when
                        // the body has nothing more), so the cut falls at `limit` and not
                        // before it on a busy machine.
                        let Ok(permit) = tx.reserve().await else {
                            return;
                        };
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        let cut = std::io::Error::new(
                            std::io::ErrorKind::ConnectionAborted,
                            "scripted disconnect",
                        );
                        permit.send(Err(cut));
                        return;
                    }
                    _ => piece,
                };
                sent += piece.len();
                counters.body_bytes.fetch_add(piece.len(), Ordering::SeqCst);
                if tx.send(Ok(Bytes::copy_from_slice(piece))).await.is_err() {
                    // The client went away (it dropped its stream): count it, stop writing.
                    counters.abandoned.fetch_add(1, Ordering::SeqCst);
                    return;
                }
            }
        }
        if let Some(tail) = tail {
            let _ = tx.send(Ok(Bytes::from_static(tail.as_bytes()))).await;
        }
    });
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    (headers, Body::from_stream(Writes(rx))).into_response()
}
