//! `POST /v1/chat/completions`, streamed or not, in the server's dialect, and Azure's path for
//! it, `POST /openai/deployments/{deployment}/chat/completions` (the deployment is the model).
//! Bearer (or Azure's `api-key`) authentication; no `OpenAI-Beta` header.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;

use super::{ApiResult, Shared};
use crate::body::stream_frames;
use crate::chat::{default_script, play};
use crate::error::ApiError;

pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(create))
        .route(
            "/openai/deployments/{deployment}/chat/completions",
            post(create_on_deployment),
        )
        .layer(axum::middleware::from_fn(authenticated))
        .with_state(shared)
}

async fn authenticated(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let headers = request.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer ") && v.len() > 7);
    let azure = headers.get("api-key").is_some_and(|v| !v.is_empty());
    if !bearer && !azure {
        return ApiError::unauthorized().into_response();
    }
    next.run(request).await
}

/// Azure's route: `api-version` required in the query (Azure answers 404 without it); the
/// body's `model` may be left out, the deployment names it.
async fn create_on_deployment(
    state: State<Shared>,
    axum::extract::Path(deployment): axum::extract::Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    Json(mut body): Json<Value>,
) -> ApiResult<Response> {
    let versioned = query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .any(|pair| pair.starts_with("api-version=") && pair.len() > "api-version=".len());
    if !versioned {
        return Err(ApiError::not_found(
            "deployment api-version for",
            &deployment,
        ));
    }
    if let Value::Object(fields) = &mut body {
        fields
            .entry("model")
            .or_insert_with(|| Value::String(deployment));
    }
    create(state, Json(body)).await
}

async fn create(State(s): State<Shared>, Json(body): Json<Value>) -> ApiResult<Response> {
    if body.get("model").and_then(Value::as_str).is_none() {
        return Err(ApiError::invalid(
            "Missing required parameter: 'model'.",
            Some("model"),
        ));
    }
    if !body.get("messages").is_some_and(Value::is_array) {
        return Err(ApiError::invalid(
            "Missing required parameter: 'messages'.",
            Some("messages"),
        ));
    }
    let stream = body.get("stream").and_then(Value::as_bool) == Some(true);
    let mut store = s.store();
    let n = store.runs_created;
    store.runs_created += 1;
    let runs = &s.script.runs;
    let script = match runs.get(n) {
        Some(entry) => entry.clone(),
        None if s.script.repeat && !runs.is_empty() => runs[n % runs.len()].clone(),
        None => {
            let mut entry = default_script(&body);
            entry.delivery = s.script.default_delivery.clone();
            entry
        }
    };
    let (frames, completion) = play(&mut store, &body, &script, s.dialect);
    Ok(if stream {
        stream_frames(frames, script.delivery, None, &s.counters)
    } else {
        Json(completion).into_response()
    })
}
