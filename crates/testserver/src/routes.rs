//! The HTTP endpoints, checked as the real service checks them.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
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

async fn list_assistants(
    State(s): State<Shared>,
    Query(q): Query<ListQuery>,
) -> Json<ListPage<Assistant>> {
    let store = s.store();
    let mut all: Vec<Assistant> = store.assistants.values().cloned().collect();
    all.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Json(paginate(all, &q, |a| a.id.clone()))
}

async fn delete_assistant(
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

#[derive(Deserialize, Default)]
struct CreateThread {
    #[serde(default)]
    messages: Vec<CreateMessage>,
}

async fn create_thread(State(s): State<Shared>, raw: Bytes) -> ApiResult<Json<Thread>> {
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

fn new_thread(store: &mut Store) -> Thread {
    let mut thread = Thread::default();
    thread.id = store.id("thread");
    thread.object = "thread".into();
    thread.created_at = store.now();
    thread.metadata = Some(Default::default());
    store.messages.insert(thread.id.clone(), Vec::new());
    store.threads.insert(thread.id.clone(), thread.clone());
    thread
}

async fn delete_thread(State(s): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
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
    new_message(&mut store, &id, req.role.as_deref(), content).map(Json)
}

fn new_message(
    store: &mut Store,
    thread_id: &str,
    role: Option<&str>,
    content: String,
) -> ApiResult<Message> {
    if !store.threads.contains_key(thread_id) {
        return Err(ApiError::not_found("thread", thread_id));
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

async fn get_message(
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

#[derive(Deserialize)]
struct ListQuery {
    limit: Option<usize>,
    order: Option<String>,
    after: Option<String>,
    before: Option<String>,
}

/// One page of `all` (oldest first) by the list parameters: `order` (default `desc`),
/// `after` / `before` (ids, exclusive), `limit` (1 to 100, default 20).
fn paginate<T: Default>(mut all: Vec<T>, q: &ListQuery, id: impl Fn(&T) -> String) -> ListPage<T> {
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

async fn list_messages(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<ListPage<Message>>> {
    let store = s.store();
    let all = store
        .messages
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("thread", &id))?;
    Ok(Json(paginate(all, &q, |m| m.id.clone())))
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
    let mut store = s.store();
    if !store.threads.contains_key(&thread_id) {
        return Err(ApiError::not_found("thread", &thread_id));
    }
    let (run_id, leg) = start_run(&mut store, &s.script, thread_id, req.assistant_id)?;
    if req.stream {
        return Ok(sse(leg));
    }
    Ok(Json(store.runs.get(&run_id).cloned()).into_response())
}

#[derive(Deserialize)]
struct CreateThreadAndRun {
    assistant_id: Option<String>,
    #[serde(default)]
    thread: Option<NewThread>,
    #[serde(default)]
    stream: bool,
}

#[derive(Deserialize, Default)]
struct NewThread {
    #[serde(default)]
    messages: Vec<CreateMessage>,
}

async fn create_thread_and_run(
    State(s): State<Shared>,
    Json(v): Json<Value>,
) -> ApiResult<Response> {
    let req: CreateThreadAndRun = body(v)?;
    let mut store = s.store();
    if let Some(id) = &req.assistant_id {
        if !store.assistants.contains_key(id) {
            return Err(ApiError::not_found("assistant", id));
        }
    }
    let thread = new_thread(&mut store);
    for message in req.thread.unwrap_or_default().messages {
        let content = message.content.ok_or_else(|| {
            ApiError::invalid(
                "Missing required parameter: 'thread.messages[0].content'.",
                None,
            )
        })?;
        new_message(&mut store, &thread.id, message.role.as_deref(), content)?;
    }
    let (run_id, mut leg) = start_run(&mut store, &s.script, thread.id.clone(), req.assistant_id)?;
    if req.stream {
        let created = serde_json::to_string(&thread).unwrap_or_default();
        leg.events.insert(0, ("thread.created", created));
        return Ok(sse(leg));
    }
    Ok(Json(store.runs.get(&run_id).cloned()).into_response())
}

/// Creates a run on a known thread and plays its first leg.
fn start_run(
    store: &mut Store,
    script: &Script,
    thread_id: String,
    assistant_id: Option<String>,
) -> ApiResult<(String, model::StreamedLeg)> {
    let assistant_id = assistant_id.ok_or_else(|| {
        ApiError::invalid(
            "Missing required parameter: 'assistant_id'.",
            Some("assistant_id"),
        )
    })?;
    let assistant = store
        .assistants
        .get(&assistant_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("assistant", &assistant_id))?;
    let active = store.runs.values().find(|r| {
        r.thread_id == thread_id
            && matches!(
                r.status,
                RunStatus::Queued | RunStatus::InProgress | RunStatus::RequiresAction
            )
    });
    if let Some(active) = active {
        return Err(ApiError::invalid(
            format!(
                "Thread {thread_id} already has an active run {}.",
                active.id
            ),
            None,
        ));
    }
    let run_script = next_script(store, script, &assistant);
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
    let id = run.id.clone();
    Ok((id, model::start(store, run, run_script)))
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

async fn list_runs(
    State(s): State<Shared>,
    Path(thread_id): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<ListPage<Run>>> {
    let store = s.store();
    if !store.threads.contains_key(&thread_id) {
        return Err(ApiError::not_found("thread", &thread_id));
    }
    let mut all: Vec<Run> = store
        .runs
        .values()
        .filter(|r| r.thread_id == thread_id)
        .cloned()
        .collect();
    all.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(Json(paginate(all, &q, |r| r.id.clone())))
}

/// Runs play out when created, so only a run waiting for tool outputs can still be cancelled.
async fn cancel_run(
    State(s): State<Shared>,
    Path((thread_id, run_id)): Path<(String, String)>,
) -> ApiResult<Json<Run>> {
    let mut store = s.store();
    let now = store.now();
    let run = store
        .runs
        .get_mut(&run_id)
        .filter(|r| r.thread_id == thread_id)
        .ok_or_else(|| ApiError::not_found("run", &run_id))?;
    if run.status != RunStatus::RequiresAction {
        return Err(ApiError::invalid(
            format!("Cannot cancel run with status '{}'.", run.status),
            None,
        ));
    }
    run.status = RunStatus::Cancelled;
    run.required_action = None;
    run.cancelled_at = Some(now);
    let run = run.clone();
    store.continuations.remove(&run_id);
    Ok(Json(run))
}

async fn get_step(
    State(s): State<Shared>,
    Path((_thread_id, run_id, step_id)): Path<(String, String, String)>,
) -> ApiResult<Json<streaming_assistants_core::types::RunStep>> {
    let store = s.store();
    store
        .steps
        .get(&run_id)
        .and_then(|steps| steps.iter().find(|st| st.id == step_id))
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("run step", &step_id))
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
    let all = store.steps.get(&run_id).cloned().unwrap_or_default();
    Ok(Json(paginate(all, &q, |s| s.id.clone())).into_response())
}
