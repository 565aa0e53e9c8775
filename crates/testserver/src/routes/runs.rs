//! Runs (streamed or not), tool outputs, cancellation, run steps.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use streaming_assistants_core::assistants::types::{Assistant, ListPage, Run, RunStatus, ToolType};

use super::threads::{new_message, new_thread, CreateMessage};
use super::{body, paginate, ApiResult, ListQuery, Shared};
use crate::body::sse;
use crate::error::ApiError;
use crate::model;
use crate::script::{RunScript, Script, DEFAULT_TEXT};
use crate::store::Store;
use crate::Dialect;

#[derive(Deserialize)]
pub(super) struct CreateRun {
    assistant_id: Option<String>,
    #[serde(default)]
    stream: bool,
}

pub(super) async fn create_run(
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
        return Ok(sse(leg, s.dialect, &s.counters));
    }
    if s.dialect == Dialect::Astra {
        super::legacy::hold(&mut store, &run_id, &leg);
    }
    Ok(Json(store.runs.get(&run_id).cloned()).into_response())
}

#[derive(Deserialize)]
pub(super) struct CreateThreadAndRun {
    assistant_id: Option<String>,
    #[serde(default)]
    thread: Option<NewThread>,
    #[serde(default)]
    stream: bool,
}

#[derive(Deserialize, Default)]
pub(super) struct NewThread {
    #[serde(default)]
    messages: Vec<CreateMessage>,
}

pub(super) async fn create_thread_and_run(
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
        return Ok(sse(leg, s.dialect, &s.counters));
    }
    Ok(Json(store.runs.get(&run_id).cloned()).into_response())
}

/// Creates a run on a known thread and plays its first leg.
pub(super) fn start_run(
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
    let active = store.active_run(&thread_id);
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
pub(super) fn next_script(store: &mut Store, script: &Script, assistant: &Assistant) -> RunScript {
    let n = store.runs_created;
    store.runs_created += 1;
    let n = match script.runs.len() {
        len if script.repeat && len > 0 => n % len,
        _ => n,
    };
    if let Some(run) = script.runs.get(n) {
        return run.clone();
    }
    let reply = RunScript::text(DEFAULT_TEXT)
        .citing("file_weather_txt")
        .delivered(script.default_delivery.clone());
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

pub(super) async fn get_run(
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

pub(super) async fn list_runs(
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
pub(super) async fn cancel_run(
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

pub(super) async fn get_step(
    State(s): State<Shared>,
    Path((_thread_id, run_id, step_id)): Path<(String, String, String)>,
) -> ApiResult<Json<streaming_assistants_core::assistants::types::RunStep>> {
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
pub(super) struct SubmitToolOutputs {
    tool_outputs: Option<Vec<ToolOutput>>,
    #[serde(default)]
    stream: bool,
}

#[derive(Deserialize)]
pub(super) struct ToolOutput {
    tool_call_id: String,
    #[serde(default)]
    output: String,
}

pub(super) async fn submit_tool_outputs(
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
        return Ok(sse(leg, s.dialect, &s.counters));
    }
    let run = store.runs.get(&run.id).cloned().unwrap_or(run);
    Ok(Json(run).into_response())
}

pub(super) async fn list_steps(
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
