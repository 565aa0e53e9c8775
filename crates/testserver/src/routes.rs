//! The HTTP endpoints, checked as the real service checks them.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, Query, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use streaming_assistants_core::types::{
    Assistant, ListPage, Message, MessageStatus, Role, Run, RunStatus, Thread, ToolType,
};

use crate::body::sse;
use crate::error::ApiError;
use crate::model;
use crate::script::{RunScript, Script, DEFAULT_TEXT};
use crate::store::Store;

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) store: Arc<Mutex<Store>>,
    pub(crate) script: Arc<Script>,
}

impl Shared {
    fn store(&self) -> MutexGuard<'_, Store> {
        // A handler that panicked holding the lock leaves consistent data behind (every write
        // is a whole insert), so the poison flag carries no information here.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

type ApiResult<T> = Result<T, ApiError>;

pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .route("/v1/assistants", post(create_assistant))
        .route("/v1/assistants/{id}", get(get_assistant))
        .route("/v1/threads", post(create_thread))
        .route("/v1/threads/{id}", get(get_thread))
        .route(
            "/v1/threads/{id}/messages",
            post(create_message).get(list_messages),
        )
        .route("/v1/threads/{id}/runs", post(create_run))
        .route("/v1/threads/{id}/runs/{run_id}", get(get_run))
        .route(
            "/v1/threads/{id}/runs/{run_id}/submit_tool_outputs",
            post(submit_tool_outputs),
        )
        .route("/v1/threads/{id}/runs/{run_id}/steps", get(list_steps))
        .layer(axum::middleware::from_fn(check_headers))
        .with_state(shared)
}

/// `Authorization` is required everywhere; `OpenAI-Beta: assistants=v2` too.
async fn check_headers(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer ") && v.len() > 7);
    if !bearer {
        return ApiError::unauthorized().into_response();
    }
    let beta = headers.get("openai-beta").and_then(|v| v.to_str().ok());
    if beta != Some("assistants=v2") {
        return ApiError::invalid(
            "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try \
             again by setting the header 'OpenAI-Beta: assistants=v2'.",
            None,
        )
        .into_response();
    }
    next.run(request).await
}

fn body<T: for<'de> Deserialize<'de>>(value: Value) -> ApiResult<T> {
    serde_json::from_value(value).map_err(|e| ApiError::invalid(e.to_string(), None))
}

#[derive(Deserialize)]
struct CreateAssistant {
    model: Option<String>,
    name: Option<String>,
    instructions: Option<String>,
    #[serde(default)]
    tools: Vec<Value>,
}

async fn create_assistant(
    State(s): State<Shared>,
    Json(v): Json<Value>,
) -> ApiResult<Json<Assistant>> {
    let req: CreateAssistant = body(v)?;
    let model = req
        .model
        .ok_or_else(|| ApiError::invalid("Missing required parameter: 'model'.", Some("model")))?;
    let mut store = s.store();
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
    Ok(Json(assistant))
}

async fn get_assistant(
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

async fn create_thread(State(s): State<Shared>) -> ApiResult<Json<Thread>> {
    let mut store = s.store();
    let mut thread = Thread::default();
    thread.id = store.id("thread");
    thread.object = "thread".into();
    thread.created_at = store.now();
    thread.metadata = Some(Default::default());
    store.messages.insert(thread.id.clone(), Vec::new());
    store.threads.insert(thread.id.clone(), thread.clone());
    Ok(Json(thread))
}

async fn get_thread(State(s): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Thread>> {
    let store = s.store();
    store
        .threads
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("thread", &id))
}

#[derive(Deserialize)]
struct CreateMessage {
    role: Option<String>,
    content: Option<String>,
}

async fn create_message(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Json(v): Json<Value>,
) -> ApiResult<Json<Message>> {
    let req: CreateMessage = body(v)?;
    let content = req.content.ok_or_else(|| {
        ApiError::invalid("Missing required parameter: 'content'.", Some("content"))
    })?;
    let mut store = s.store();
    if !store.threads.contains_key(&id) {
        return Err(ApiError::not_found("thread", &id));
    }
    let mut message = Message::default();
    message.id = store.id("msg");
    message.object = "thread.message".into();
    message.created_at = store.now();
    message.thread_id = id;
    message.role = match req.role.as_deref() {
        Some("assistant") => Role::Assistant,
        _ => Role::User,
    };
    message.status = Some(MessageStatus::Completed);
    message.content =
        body(serde_json::json!([{"type": "text", "text": {"value": content, "annotations": []}}]))?;
    message.attachments = Some(Vec::new());
    message.metadata = Some(Default::default());
    store.put_message(&message);
    Ok(Json(message))
}

#[derive(Deserialize)]
struct ListQuery {
    limit: Option<usize>,
    order: Option<String>,
}

async fn list_messages(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<ListPage<Message>>> {
    let store = s.store();
    let mut all = store
        .messages
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("thread", &id))?;
    if q.order.as_deref() != Some("asc") {
        all.reverse();
    }
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let has_more = all.len() > limit;
    all.truncate(limit);
    Ok(Json(page(all, has_more, |m| m.id.clone())))
}

fn page<T: Default>(data: Vec<T>, has_more: bool, id: impl Fn(&T) -> String) -> ListPage<T> {
    let mut page = ListPage::default();
    page.object = "list".into();
    page.first_id = data.first().map(&id);
    page.last_id = data.last().map(&id);
    page.has_more = has_more;
    page.data = data;
    page
}

#[derive(Deserialize)]
struct CreateRun {
    assistant_id: Option<String>,
    #[serde(default)]
    stream: bool,
}

async fn create_run(
    State(s): State<Shared>,
    Path(thread_id): Path<String>,
    Json(v): Json<Value>,
) -> ApiResult<Response> {
    let req: CreateRun = body(v)?;
    let assistant_id = req.assistant_id.ok_or_else(|| {
        ApiError::invalid(
            "Missing required parameter: 'assistant_id'.",
            Some("assistant_id"),
        )
    })?;
    let mut store = s.store();
    if !store.threads.contains_key(&thread_id) {
        return Err(ApiError::not_found("thread", &thread_id));
    }
    let assistant = store
        .assistants
        .get(&assistant_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("assistant", &assistant_id))?;
    let script = next_script(&mut store, &s.script, &assistant);
    let mut run = Run::default();
    run.id = store.id("run");
    run.object = "thread.run".into();
    run.created_at = store.now();
    run.thread_id = thread_id;
    run.assistant_id = assistant_id;
    run.status = RunStatus::Queued;
    run.model = assistant.model.clone();
    run.instructions = assistant.instructions.clone();
    run.tools = assistant.tools.clone();
    run.metadata = Some(Default::default());
    store.runs.insert(run.id.clone(), run.clone());
    let leg = model::start(&mut store, run.clone(), script);
    if req.stream {
        return Ok(sse(leg));
    }
    let run = store.runs.get(&run.id).cloned().unwrap_or(run);
    Ok(Json(run).into_response())
}

/// The script of the next run: the script's entry, or the built-in default.
fn next_script(store: &mut Store, script: &Script, assistant: &Assistant) -> RunScript {
    let n = store.runs_created;
    store.runs_created += 1;
    if let Some(run) = script.runs.get(n) {
        return run.clone();
    }
    let reply = RunScript::text(DEFAULT_TEXT).citing("file_weather_txt");
    let function = assistant
        .tools
        .iter()
        .flatten()
        .find(|t| t.kind == Some(ToolType::Function))
        .and_then(|t| t.function.as_ref()?.name.clone());
    match function {
        Some(name) => reply.call(&name, ["{\"loc", "ation\": \"", "Paris\"}"]),
        None => reply,
    }
}

async fn get_run(
    State(s): State<Shared>,
    Path((thread_id, run_id)): Path<(String, String)>,
) -> ApiResult<Json<Run>> {
    let store = s.store();
    store
        .runs
        .get(&run_id)
        .filter(|r| r.thread_id == thread_id)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("run", &run_id))
}

#[derive(Deserialize)]
struct SubmitToolOutputs {
    tool_outputs: Option<Vec<ToolOutput>>,
    #[serde(default)]
    stream: bool,
}

#[derive(Deserialize)]
struct ToolOutput {
    tool_call_id: String,
    #[serde(default)]
    output: String,
}

async fn submit_tool_outputs(
    State(s): State<Shared>,
    Path((thread_id, run_id)): Path<(String, String)>,
    Json(v): Json<Value>,
) -> ApiResult<Response> {
    let req: SubmitToolOutputs = body(v)?;
    let outputs = req.tool_outputs.ok_or_else(|| {
        ApiError::invalid(
            "Missing required parameter: 'tool_outputs'.",
            Some("tool_outputs"),
        )
    })?;
    let mut store = s.store();
    let run = store
        .runs
        .get(&run_id)
        .filter(|r| r.thread_id == thread_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("run", &run_id))?;
    if run.status != RunStatus::RequiresAction {
        return Err(ApiError::invalid(
            format!(
                "Runs in status \"{}\" do not accept tool outputs.",
                run.status
            ),
            None,
        ));
    }
    let expected: Vec<String> = run
        .pending_tool_calls()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    if let Some(missing) = expected
        .iter()
        .find(|id| !outputs.iter().any(|o| &o.tool_call_id == *id))
    {
        return Err(ApiError::invalid(
            format!("Expected tool outputs for call_ids {expected:?}, got none for {missing}."),
            Some("tool_outputs"),
        ));
    }
    let outputs: Vec<(String, String)> = outputs
        .into_iter()
        .map(|o| (o.tool_call_id, o.output))
        .collect();
    let leg = model::resume(&mut store, run.clone(), &outputs);
    if req.stream {
        return Ok(sse(leg));
    }
    let run = store.runs.get(&run.id).cloned().unwrap_or(run);
    Ok(Json(run).into_response())
}

async fn list_steps(
    State(s): State<Shared>,
    Path((_thread_id, run_id)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let store = s.store();
    if !store.runs.contains_key(&run_id) {
        return Err(ApiError::not_found("run", &run_id));
    }
    let mut all = store.steps.get(&run_id).cloned().unwrap_or_default();
    if q.order.as_deref() != Some("asc") {
        all.reverse();
    }
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let has_more = all.len() > limit;
    all.truncate(limit);
    Ok(Json(page(all, has_more, |s| s.id.clone())).into_response())
}
