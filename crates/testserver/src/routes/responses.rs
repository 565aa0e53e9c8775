//! The Responses API: `POST /v1/responses` (streamed or not), `GET /v1/responses/{id}` (with
//! `stream=true&starting_after=N`, a background response's events again), cancel, delete.
//! Bearer authentication as everywhere; no `OpenAI-Beta` header.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ApiResult, Shared};
use crate::body::stream_frames;
use crate::error::ApiError;
use crate::responses::{default_script, respond, Asked, Stored};
use crate::script::{Delivery, RunScript};
use crate::store::Store;

pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .route("/v1/responses", post(create).get(super::websocket::upgrade))
        .route("/v1/responses/{id}", get(retrieve).delete(delete))
        .route("/v1/responses/{id}/cancel", post(cancel))
        .layer(axum::middleware::from_fn(bearer_only))
        .with_state(shared)
}

async fn bearer_only(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer ") && v.len() > 7);
    if !bearer {
        return ApiError::unauthorized().into_response();
    }
    next.run(request).await
}

/// `event: <type>` + `data:` frames of events.
fn frames<'a>(events: impl Iterator<Item = &'a (String, String)>) -> Vec<String> {
    events
        .map(|(kind, data)| format!("event: {kind}\ndata: {data}\n\n"))
        .collect()
}

async fn create(State(s): State<Shared>, Json(body): Json<Value>) -> ApiResult<Response> {
    if body.get("model").and_then(Value::as_str).is_none() {
        return Err(ApiError::invalid(
            "Missing required parameter: 'model'.",
            Some("model"),
        ));
    }
    let stream = body.get("stream").and_then(Value::as_bool) == Some(true);
    let mut store = s.store();
    if let Some(previous) = body.get("previous_response_id").and_then(Value::as_str) {
        if !store.responses.contains_key(previous) {
            return Err(ApiError::not_found("response", previous));
        }
    }
    let asked = Asked::new(&body);
    let script = next_script(&s, &mut store, &asked);
    let stored = respond(&mut store, &asked, &script);
    let id = stored.response["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let answer = if stream {
        stream_frames(
            frames(stored.events.iter()),
            script.delivery.clone(),
            None,
            &s.counters,
        )
    } else {
        Json(stored.response.clone()).into_response()
    };
    store.responses.insert(id, stored);
    Ok(answer)
}

/// The script entry of the next response: the script's next one, or the built-in model's.
pub(crate) fn next_script(s: &Shared, store: &mut Store, asked: &Asked<'_>) -> RunScript {
    let n = store.responses_created;
    store.responses_created += 1;
    let runs = &s.script.runs;
    match runs.get(n) {
        Some(entry) => entry.clone(),
        None if s.script.repeat && !runs.is_empty() => runs[n % runs.len()].clone(),
        None => {
            let mut entry = default_script(asked);
            entry.delivery = s.script.default_delivery.clone();
            entry
        }
    }
}

#[derive(Deserialize)]
struct RetrieveQuery {
    stream: Option<bool>,
    starting_after: Option<u64>,
}

async fn retrieve(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<RetrieveQuery>,
) -> ApiResult<Response> {
    let store = s.store();
    let stored = stored(&store.responses, &id)?;
    if q.stream != Some(true) {
        return Ok(Json(stored.response.clone()).into_response());
    }
    if !stored.background {
        return Err(ApiError::invalid(
            "Only background responses can be streamed again; create it with 'background': true.",
            Some("stream"),
        ));
    }
    let after = q.starting_after;
    let events = stored
        .events
        .iter()
        .enumerate()
        .filter(|(seq, _)| after.is_none_or(|n| *seq as u64 > n))
        .map(|(_, event)| event);
    Ok(stream_frames(
        frames(events),
        Delivery::default(),
        None,
        &s.counters,
    ))
}

async fn cancel(State(s): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = s.store();
    let stored = stored(&store.responses, &id)?;
    if !stored.background {
        return Err(ApiError::invalid(
            "Only background responses can be cancelled.",
            None,
        ));
    }
    // Scripted responses have already run to their end: cancelling leaves them as they are.
    Ok(Json(stored.response.clone()))
}

async fn delete(State(s): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = s.store();
    store
        .responses
        .remove(&id)
        .ok_or_else(|| ApiError::not_found("response", &id))?;
    Ok(Json(
        json!({"id": id, "object": "response", "deleted": true}),
    ))
}

fn stored<'a>(
    responses: &'a std::collections::HashMap<String, Stored>,
    id: &str,
) -> ApiResult<&'a Stored> {
    responses
        .get(id)
        .ok_or_else(|| ApiError::not_found("response", id))
}
