//! The HTTP endpoints, checked as the real service checks them.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::Value;
use streaming_assistants_core::assistants::types::ListPage;

use crate::body::Counters;
use crate::error::ApiError;
use crate::script::Script;
use crate::store::Store;
use crate::Dialect;

pub(crate) mod assistants;
mod chat;
mod legacy;
mod responses;
mod runs;
mod threads;
mod websocket;

use assistants::*;
use runs::*;
use threads::*;

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) store: Arc<Mutex<Store>>,
    pub(crate) script: Arc<Script>,
    pub(crate) dialect: Dialect,
    /// Streams whose client went away before their end.
    pub(crate) counters: Arc<Counters>,
}

impl Shared {
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A handler that panicked holding the lock leaves consistent data behind (every write
        // is a whole insert), so the poison flag carries no information here.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .route(
            "/v1/assistants",
            post(create_assistant).get(list_assistants),
        )
        .route(
            "/v1/assistants/{id}",
            get(get_assistant).delete(delete_assistant),
        )
        .route("/v1/threads", post(create_thread))
        .route("/v1/threads/runs", post(create_thread_and_run))
        .route("/v1/threads/{id}", get(get_thread).delete(delete_thread))
        .route(
            "/v1/threads/{id}/messages",
            post(create_message).get(list_messages),
        )
        .route("/v1/threads/{id}/messages/{message_id}", get(get_message))
        .route("/v1/threads/{id}/runs", post(create_run).get(list_runs))
        .route("/v1/threads/{id}/runs/{run_id}", get(get_run))
        .route("/v1/threads/{id}/runs/{run_id}/cancel", post(cancel_run))
        .route(
            "/v1/threads/{id}/runs/{run_id}/submit_tool_outputs",
            post(submit_tool_outputs),
        )
        .route("/v1/threads/{id}/runs/{run_id}/steps", get(list_steps))
        .route(
            "/v1/threads/{id}/runs/{run_id}/steps/{step_id}",
            get(get_step),
        )
        .layer(axum::middleware::from_fn(complete_objects))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            check_headers,
        ))
        .with_state(shared.clone())
        // After the layers above: the Responses API wants no `OpenAI-Beta` header.
        .merge(responses::router(shared.clone()))
        .merge(chat::router(shared))
}

/// `Authorization` is required everywhere; `OpenAI-Beta: assistants=v2` too, but by Astra.
async fn check_headers(State(s): State<Shared>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer ") && v.len() > 7);
    if !bearer {
        return ApiError::unauthorized().into_response();
    }
    let beta = headers.get("openai-beta").and_then(|v| v.to_str().ok());
    if beta != Some("assistants=v2") && s.dialect != Dialect::Astra {
        return ApiError::invalid(
            "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try \
             again by setting the header 'OpenAI-Beta: assistants=v2'.",
            None,
        )
        .into_response();
    }
    next.run(request).await
}

/// JSON answers carry every field of their objects, as the service's do (see `full`).
async fn complete_objects(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 20).await else {
        return (parts.status, "body too large").into_response();
    };
    let completed = match serde_json::from_slice::<Value>(&bytes) {
        Ok(value) => crate::full::full(&value).to_string().into(),
        Err(_) => bytes,
    };
    Response::from_parts(parts, axum::body::Body::from(completed))
}

pub(super) fn body<T: for<'de> Deserialize<'de>>(value: Value) -> ApiResult<T> {
    serde_json::from_value(value).map_err(|e| ApiError::invalid(e.to_string(), None))
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    /// Astra's legacy message stream.
    stream: Option<bool>,
    limit: Option<usize>,
    order: Option<String>,
    after: Option<String>,
    before: Option<String>,
}

/// One page of `all` (oldest first) by the list parameters: `order` (default `desc`),
/// `after` / `before` (ids, exclusive), `limit` (1 to 100, default 20).
pub(super) fn paginate<T: Default>(
    mut all: Vec<T>,
    q: &ListQuery,
    id: impl Fn(&T) -> String,
) -> ListPage<T> {
    if q.order.as_deref() != Some("asc") {
        all.reverse();
    }
    if let Some(after) = &q.after {
        if let Some(i) = all.iter().position(|x| &id(x) == after) {
            all.drain(..=i);
        }
    }
    if let Some(before) = &q.before {
        if let Some(i) = all.iter().position(|x| &id(x) == before) {
            all.truncate(i);
            let keep = q.limit.unwrap_or(20).clamp(1, 100);
            let skip = all.len().saturating_sub(keep);
            all.drain(..skip);
        }
    }
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let has_more = all.len() > limit;
    all.truncate(limit);
    page(all, has_more, id)
}

pub(super) fn page<T: Default>(
    data: Vec<T>,
    has_more: bool,
    id: impl Fn(&T) -> String,
) -> ListPage<T> {
    let mut page = ListPage::default();
    page.object = "list".into();
    page.first_id = data.first().map(&id);
    page.last_id = data.last().map(&id);
    page.has_more = has_more;
    page.data = data;
    page
}
