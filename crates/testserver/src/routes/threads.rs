//! Threads and their messages.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use streaming_assistants_core::assistants::types::{Message, MessageStatus, Role, Thread};

use super::{body, paginate, ApiResult, ListQuery, Shared};
use crate::error::ApiError;
use crate::store::Store;
use crate::Dialect;

#[derive(Deserialize, Default)]
pub(super) struct CreateThread {
    #[serde(default)]
    messages: Vec<CreateMessage>,
}

pub(super) async fn create_thread(State(s): State<Shared>, raw: Bytes) -> ApiResult<Json<Thread>> {
    // The body is optional: the SDK may send none.
    let req: CreateThread = if raw.iter().all(u8::is_ascii_whitespace) {
        CreateThread::default()
    } else {
        serde_json::from_slice(&raw).map_err(|e| ApiError::invalid(e.to_string(), None))?
    };
    let mut store = s.store();
    let thread = new_thread(&mut store);
    for message in req.messages {
        let content = message.content.ok_or_else(|| {
            ApiError::invalid("Missing required parameter: 'messages[0].content'.", None)
        })?;
        new_message(&mut store, &thread.id, message.role.as_deref(), content)?;
    }
    Ok(Json(thread))
}

pub(super) fn new_thread(store: &mut Store) -> Thread {
    let mut thread = Thread::default();
    thread.id = store.id("thread");
    thread.object = "thread".into();
    thread.created_at = store.now();
    thread.metadata = Some(Default::default());
    store.messages.insert(thread.id.clone(), Vec::new());
    store.threads.insert(thread.id.clone(), thread.clone());
    thread
}

pub(super) async fn delete_thread(
    State(s): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut store = s.store();
    store
        .threads
        .remove(&id)
        .ok_or_else(|| ApiError::not_found("thread", &id))?;
    store.messages.remove(&id);
    Ok(Json(
        serde_json::json!({"id": id, "object": "thread.deleted", "deleted": true}),
    ))
}

pub(super) async fn get_thread(
    State(s): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Thread>> {
    let store = s.store();
    store
        .threads
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("thread", &id))
}

#[derive(Deserialize)]
pub(super) struct CreateMessage {
    pub(super) role: Option<String>,
    pub(super) content: Option<String>,
}

pub(super) async fn create_message(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Json(v): Json<Value>,
) -> ApiResult<Json<Message>> {
    let req: CreateMessage = body(v)?;
    let content = req.content.ok_or_else(|| {
        ApiError::invalid("Missing required parameter: 'content'.", Some("content"))
    })?;
    let mut store = s.store();
    new_message(&mut store, &id, req.role.as_deref(), content).map(Json)
}

pub(super) fn new_message(
    store: &mut Store,
    thread_id: &str,
    role: Option<&str>,
    content: String,
) -> ApiResult<Message> {
    if !store.threads.contains_key(thread_id) {
        return Err(ApiError::not_found("thread", thread_id));
    }
    let active = store.active_run(thread_id);
    if let Some(run) = active {
        return Err(ApiError::invalid(
            format!(
                "Can't add messages to {thread_id} while a run {} is active.",
                run.id
            ),
            None,
        ));
    }
    let role = match role {
        Some("assistant") => Role::Assistant,
        Some("user") | None => Role::User,
        Some(other) => {
            return Err(ApiError::invalid(
                format!("Invalid value: '{other}'. Supported values are: 'user' and 'assistant'."),
                Some("role"),
            ))
        }
    };
    let mut message = Message::default();
    message.id = store.id("msg");
    message.object = "thread.message".into();
    message.created_at = store.now();
    message.thread_id = thread_id.to_owned();
    message.role = role;
    message.status = Some(MessageStatus::Completed);
    message.content =
        body(serde_json::json!([{"type": "text", "text": {"value": content, "annotations": []}}]))?;
    message.attachments = Some(Vec::new());
    message.metadata = Some(Default::default());
    store.put_message(&message);
    Ok(message)
}

pub(super) async fn get_message(
    State(s): State<Shared>,
    Path((thread_id, message_id)): Path<(String, String)>,
) -> ApiResult<Json<Message>> {
    let store = s.store();
    store
        .messages
        .get(&thread_id)
        .and_then(|list| list.iter().find(|m| m.id == message_id))
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("message", &message_id))
}

pub(super) async fn list_messages(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let mut store = s.store();
    if q.stream == Some(true) && s.dialect == Dialect::Astra {
        return super::legacy::stream(&mut store, &id, &q, &s.counters);
    }
    let all = store
        .messages
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("thread", &id))?;
    Ok(Json(paginate(all, &q, |m| m.id.clone())).into_response())
}
