//! Assistants: create, list, retrieve, delete.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use streaming_assistants_core::assistants::types::{Assistant, ListPage};

use super::{body, paginate, ApiResult, ListQuery, Shared};
use crate::error::ApiError;
use crate::store::Store;

#[derive(Deserialize)]
pub(super) struct CreateAssistant {
    model: Option<String>,
    name: Option<String>,
    instructions: Option<String>,
    #[serde(default)]
    tools: Vec<Value>,
}

pub(super) async fn create_assistant(
    State(s): State<Shared>,
    Json(v): Json<Value>,
) -> ApiResult<Json<Assistant>> {
    create(&mut s.store(), v).map(Json)
}

/// Creates an assistant from a request body, as `POST /v1/assistants` does (also used by
/// [`TestServer::create_assistant`](crate::TestServer::create_assistant)).
pub(crate) fn create(store: &mut Store, v: Value) -> ApiResult<Assistant> {
    let req: CreateAssistant = body(v)?;
    let model = req
        .model
        .ok_or_else(|| ApiError::invalid("Missing required parameter: 'model'.", Some("model")))?;
    let mut assistant = Assistant::default();
    assistant.id = store.id("asst");
    assistant.object = "assistant".into();
    assistant.created_at = store.now();
    assistant.model = Some(model);
    assistant.name = req.name;
    assistant.instructions = req.instructions;
    assistant.tools = Some(body(Value::Array(req.tools))?);
    assistant.metadata = Some(Default::default());
    store
        .assistants
        .insert(assistant.id.clone(), assistant.clone());
    Ok(assistant)
}

pub(super) async fn list_assistants(
    State(s): State<Shared>,
    Query(q): Query<ListQuery>,
) -> Json<ListPage<Assistant>> {
    let store = s.store();
    let mut all: Vec<Assistant> = store.assistants.values().cloned().collect();
    all.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Json(paginate(all, &q, |a| a.id.clone()))
}

pub(super) async fn delete_assistant(
    State(s): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut store = s.store();
    store
        .assistants
        .remove(&id)
        .ok_or_else(|| ApiError::not_found("assistant", &id))?;
    Ok(Json(
        serde_json::json!({"id": id, "object": "assistant.deleted", "deleted": true}),
    ))
}

pub(super) async fn get_assistant(
    State(s): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Assistant>> {
    let store = s.store();
    store
        .assistants
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("assistant", &id))
}
