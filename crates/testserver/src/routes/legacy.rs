//! Astra's legacy flow: a run created without `stream` stays `generating` until
//! `GET /threads/{id}/messages?limit=1&stream=true` has streamed its reply as legacy chunks.

use std::sync::Arc;

use axum::response::Response;
use serde_json::json;
use streaming_assistants_core::assistants::types::RunStatus;

use super::{ApiResult, ListQuery};
use crate::body::{stream_frames, Counters};
use crate::error::ApiError;
use crate::model::StreamedLeg;
use crate::script::Delivery;
use crate::store::{Generating, Store};

/// Holds a run that has played out in `generating`, keeping how it ends for the stream.
pub(super) fn hold(store: &mut Store, run_id: &str, leg: &StreamedLeg) {
    let Some(run) = store.runs.get_mut(run_id) else {
        return;
    };
    let (message_id, pieces) = leg.reply.clone().unwrap_or_default();
    let ended = run.clone();
    run.status = RunStatus::Generating;
    run.completed_at = None;
    run.failed_at = None;
    store.generating.insert(
        run_id.to_owned(),
        Generating {
            run: ended,
            pieces,
            message_id,
            delivery: leg.delivery.clone(),
        },
    );
}

/// The legacy message stream of the thread's generating run: chunks of two text pieces each,
/// then the body closes; a failed run ends with `data: []` and no blank line.
pub(super) fn stream(
    store: &mut Store,
    thread_id: &str,
    q: &ListQuery,
    counters: &Arc<Counters>,
) -> ApiResult<Response> {
    if q.limit != Some(1) {
        return Err(ApiError::invalid(
            "streaming is only supported with limit=1",
            Some("limit"),
        ));
    }
    if !store.threads.contains_key(thread_id) {
        return Err(ApiError::not_found("thread", thread_id));
    }
    let run_id = store
        .runs
        .values()
        .filter(|r| r.thread_id == thread_id && r.status == RunStatus::Generating)
        .max_by_key(|r| r.created_at)
        .map(|r| r.id.clone());
    let Some(held) = run_id.and_then(|id| store.generating.remove(&id)) else {
        return Ok(stream_frames(
            Vec::new(),
            Delivery::default(),
            None,
            counters,
        ));
    };
    let frames = held
        .pieces
        .chunks(2)
        .map(|pieces| {
            let chunk = json!({"object": "thread.message.delta", "data": [{
                "id": held.message_id, "object": "thread.message", "created_at": held.run.created_at,
                "thread_id": thread_id, "role": "assistant",
                "content": [{"type": "text", "delta": {"value": pieces.concat()}}],
                "assistant_id": held.run.assistant_id, "run_id": held.run.id,
                "file_ids": [], "metadata": {}
            }], "first_id": held.message_id, "last_id": held.message_id});
            format!("data: {chunk}\n\n")
        })
        .collect();
    let failed = held.run.status == RunStatus::Failed;
    store.runs.insert(held.run.id.clone(), held.run);
    Ok(stream_frames(
        frames,
        held.delivery,
        failed.then_some("data: []"),
        counters,
    ))
}
