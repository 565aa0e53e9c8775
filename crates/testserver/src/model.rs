//! The scripted model: turns a run's script into the v2 events the real service streams,
//! updating the store so that what is retrieved afterwards agrees with what was streamed.

use serde::Serialize;
use serde_json::json;
use streaming_assistants_core::assistants::types::{
    Message, MessageStatus, Role, Run, RunStatus, RunStep, RunStepStatus, RunStepType, Usage,
};

use crate::script::{CodeScript, Delivery, RunEnd, RunScript, ToolCallScript};
use crate::store::Store;

/// One streamed leg of a run: its events in order (`(name, JSON data)`), whether `done`
/// follows, and how the body is written.
#[derive(Debug)]
pub(crate) struct StreamedLeg {
    pub(crate) events: Vec<(&'static str, String)>,
    pub(crate) done: bool,
    pub(crate) delivery: Delivery,
    /// The reply's message id and text pieces, when the leg wrote one (Astra's legacy stream
    /// replays them).
    pub(crate) reply: Option<(String, Vec<String>)>,
}

type Events = Vec<(&'static str, String)>;

struct Leg<'a> {
    store: &'a mut Store,
    events: Events,
    reply: Option<(String, Vec<String>)>,
    /// An `error` event ended the leg: no `done` follows.
    ended_with_error: bool,
}

impl Leg<'_> {
    fn finish(self, script: &RunScript) -> StreamedLeg {
        StreamedLeg {
            events: self.events,
            done: !self.ended_with_error,
            delivery: script.delivery.clone(),
            reply: self.reply,
        }
    }

    fn emit<T: Serialize>(&mut self, name: &'static str, data: &T) {
        let json = crate::full::full(data).to_string();
        self.events.push((name, json));
    }

    fn run_status(&mut self, run: &mut Run, status: RunStatus, name: &'static str) {
        run.status = status;
        self.store.runs.insert(run.id.clone(), run.clone());
        self.emit(name, run);
    }

    fn new_step(&mut self, run: &Run, kind: RunStepType, details: serde_json::Value) -> RunStep {
        let mut step = RunStep::default();
        step.id = self.store.id("step");
        step.object = "thread.run.step".into();
        step.created_at = self.store.now();
        step.run_id = run.id.clone();
        step.assistant_id = run.assistant_id.clone();
        step.thread_id = run.thread_id.clone();
        step.kind = kind;
        step.status = RunStepStatus::InProgress;
        step.step_details = serde_json::from_value(details).ok();
        self.store.put_step(&step);
        self.emit("thread.run.step.created", &step);
        self.emit("thread.run.step.in_progress", &step);
        step
    }

    fn complete_step(&mut self, step: &mut RunStep, tokens: u64) {
        step.status = RunStepStatus::Completed;
        step.completed_at = Some(self.store.now());
        step.usage = Some(usage(tokens));
        self.store.put_step(step);
        self.emit("thread.run.step.completed", step);
    }

    /// A code interpreter step: the code in deltas, then its outputs, then the step completes.
    fn code(&mut self, run: &Run, code: &CodeScript) {
        let call_id = self.store.id("call");
        let mut step = self.new_step(
            run,
            RunStepType::ToolCalls,
            json!({"type": "tool_calls", "tool_calls": []}),
        );
        for (i, piece) in code.input.iter().enumerate() {
            let mut entry = json!({"index": 0, "type": "code_interpreter", "code_interpreter": {"input": piece}});
            if i == 0 {
                entry["id"] = json!(call_id);
                entry["code_interpreter"]["outputs"] = json!([]);
            }
            self.step_delta(&step.id, entry);
        }
        let mut outputs = Vec::new();
        if let Some(logs) = &code.logs {
            outputs.push(json!({"type": "logs", "logs": logs}));
        }
        if let Some(file) = &code.image_file {
            outputs.push(json!({"type": "image", "image": {"file_id": file}}));
        }
        if !outputs.is_empty() {
            let indexed: Vec<_> = outputs
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let mut o = o.clone();
                    o["index"] = json!(i);
                    o
                })
                .collect();
            self.step_delta(&step.id, json!({"index": 0, "type": "code_interpreter", "code_interpreter": {"outputs": indexed}}));
        }
        step.step_details = serde_json::from_value(json!({"type": "tool_calls", "tool_calls": [
            {"id": call_id, "type": "code_interpreter", "code_interpreter": {"input": code.input.concat(), "outputs": outputs}}
        ]})).ok();
        self.complete_step(&mut step, 10);
    }

    /// A file search step: the call opens in one delta, the step completes with its results.
    fn file_search(&mut self, run: &Run) {
        let call_id = self.store.id("call");
        let mut step = self.new_step(
            run,
            RunStepType::ToolCalls,
            json!({"type": "tool_calls", "tool_calls": []}),
        );
        self.step_delta(
            &step.id,
            json!({"index": 0, "id": call_id, "type": "file_search", "file_search": {}}),
        );
        step.step_details = serde_json::from_value(json!({"type": "tool_calls", "tool_calls": [
            {"id": call_id, "type": "file_search", "file_search": {
                "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0}, "results": []}}
        ]})).ok();
        self.complete_step(&mut step, 4);
    }

    fn step_delta(&mut self, step_id: &str, entry: serde_json::Value) {
        let delta = json!({"id": step_id, "object": "thread.run.step.delta",
            "delta": {"step_details": {"type": "tool_calls", "tool_calls": [entry]}}});
        self.emit("thread.run.step.delta", &delta);
    }

    /// A function call: step deltas with the argument pieces, then `requires_action`.
    fn call(&mut self, run: &mut Run, call: &ToolCallScript) {
        let call_id = self.store.id("call");
        let mut step = self.new_step(
            run,
            RunStepType::ToolCalls,
            json!({"type": "tool_calls", "tool_calls": []}),
        );
        for (i, piece) in call.arguments.iter().enumerate() {
            let mut entry =
                json!({"index": 0, "type": "function", "function": {"arguments": piece}});
            if i == 0 {
                entry["id"] = json!(call_id);
                entry["function"]["name"] = json!(call.name);
                entry["function"]["output"] = json!(null);
            }
            let delta = json!({"id": step.id, "object": "thread.run.step.delta",
                "delta": {"step_details": {"type": "tool_calls", "tool_calls": [entry]}}});
            self.emit("thread.run.step.delta", &delta);
        }
        let arguments: String = call.arguments.concat();
        step.step_details = serde_json::from_value(json!({"type": "tool_calls", "tool_calls": [
            {"id": call_id, "type": "function", "function": {"name": call.name, "arguments": arguments, "output": null}}
        ]}))
        .ok();
        self.store.put_step(&step);
        run.required_action = serde_json::from_value(json!({"type": "submit_tool_outputs",
            "submit_tool_outputs": {"tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": call.name, "arguments": arguments}}
            ]}}))
        .ok();
        self.run_status(run, RunStatus::RequiresAction, "thread.run.requires_action");
    }

    /// The text reply: a message creation step, the message and its deltas, completions.
    fn reply(&mut self, run: &mut Run, script: &RunScript) {
        let message_id = self.store.id("msg");
        let mut step = self.new_step(
            run,
            RunStepType::MessageCreation,
            json!({"type": "message_creation", "message_creation": {"message_id": message_id}}),
        );
        let mut message = Message::default();
        message.id = message_id;
        message.object = "thread.message".into();
        message.created_at = self.store.now();
        message.thread_id = run.thread_id.clone();
        message.role = Role::Assistant;
        message.status = Some(MessageStatus::InProgress);
        message.assistant_id = Some(run.assistant_id.clone());
        message.run_id = Some(run.id.clone());
        message.attachments = Some(Vec::new());
        message.metadata = Some(Default::default());
        self.store.put_message(&message);
        self.emit("thread.message.created", &message);
        self.emit("thread.message.in_progress", &message);
        let mut annotations = Vec::new();
        let mut chars = 0usize;
        for (i, piece) in script.text.iter().enumerate() {
            let mut text = json!({"value": piece});
            if let (Some(file), true) = (&script.cite_file, i + 1 == script.text.len()) {
                let len = piece.chars().count();
                let annotation = json!({"type": "file_citation", "text": piece,
                    "start_index": chars, "end_index": chars + len, "file_citation": {"file_id": file}});
                let mut indexed = annotation.clone();
                indexed["index"] = json!(0);
                text["annotations"] = json!([indexed]);
                annotations.push(annotation);
            }
            chars += piece.chars().count();
            let delta = json!({"id": message.id, "object": "thread.message.delta",
                "delta": {"content": [{"index": 0, "type": "text", "text": text}]}});
            self.emit("thread.message.delta", &delta);
        }
        message.content = serde_json::from_value(json!([{"type": "text",
            "text": {"value": script.text.concat(), "annotations": annotations}}]))
        .unwrap_or_default();
        self.reply = Some((message.id.clone(), script.text.clone()));
        let tokens = script.text.len() as u64;
        match &script.end {
            None => {
                message.status = Some(MessageStatus::Completed);
                message.completed_at = Some(self.store.now());
                self.store.put_message(&message);
                self.emit("thread.message.completed", &message);
                self.complete_step(&mut step, tokens);
                run.completed_at = Some(self.store.now());
                run.usage = Some(usage(tokens + 20));
                self.run_status(run, RunStatus::Completed, "thread.run.completed");
            }
            Some(RunEnd::Incomplete { reason }) => {
                message.status = Some(MessageStatus::Incomplete);
                message.incomplete_at = Some(self.store.now());
                message.incomplete_details =
                    serde_json::from_value(json!({"reason": "run_incomplete"})).ok();
                self.store.put_message(&message);
                self.emit("thread.message.incomplete", &message);
                self.complete_step(&mut step, tokens);
                run.incomplete_details = serde_json::from_value(json!({"reason": reason})).ok();
                run.usage = Some(usage(tokens + 20));
                self.run_status(run, RunStatus::Incomplete, "thread.run.incomplete");
            }
            Some(RunEnd::Failed {
                code,
                message: text,
            }) => {
                message.status = Some(MessageStatus::Incomplete);
                message.incomplete_at = Some(self.store.now());
                self.store.put_message(&message);
                let last_error =
                    serde_json::from_value(json!({"code": code, "message": text})).ok();
                step.status = RunStepStatus::Failed;
                step.failed_at = Some(self.store.now());
                step.last_error.clone_from(&last_error);
                self.store.put_step(&step);
                self.emit("thread.run.step.failed", &step);
                run.failed_at = Some(self.store.now());
                run.last_error = last_error;
                self.run_status(run, RunStatus::Failed, "thread.run.failed");
            }
            Some(end @ (RunEnd::Cancelled | RunEnd::Expired)) => {
                let cancelled = *end == RunEnd::Cancelled;
                if cancelled {
                    self.run_status(run, RunStatus::Cancelling, "thread.run.cancelling");
                }
                let reason = if cancelled {
                    "run_cancelled"
                } else {
                    "run_expired"
                };
                message.status = Some(MessageStatus::Incomplete);
                message.incomplete_at = Some(self.store.now());
                message.incomplete_details =
                    serde_json::from_value(json!({ "reason": reason })).ok();
                self.store.put_message(&message);
                self.emit("thread.message.incomplete", &message);
                let now = self.store.now();
                if cancelled {
                    step.status = RunStepStatus::Cancelled;
                    step.cancelled_at = Some(now);
                    run.cancelled_at = Some(now);
                } else {
                    step.status = RunStepStatus::Expired;
                    step.expired_at = Some(now);
                }
                self.store.put_step(&step);
                if cancelled {
                    self.emit("thread.run.step.cancelled", &step);
                    self.run_status(run, RunStatus::Cancelled, "thread.run.cancelled");
                } else {
                    self.emit("thread.run.step.expired", &step);
                    self.run_status(run, RunStatus::Expired, "thread.run.expired");
                }
            }
            Some(RunEnd::ErrorEvent { message: text }) => {
                self.emit("error", &json!({"code": "server_error", "message": text, "param": null, "type": "server_error"}));
                self.ended_with_error = true;
            }
        }
    }
}

fn usage(completion: u64) -> Usage {
    let mut usage = Usage::default();
    usage.prompt_tokens = Some(20);
    usage.completion_tokens = Some(completion);
    usage.total_tokens = Some(20 + completion);
    usage
}

/// The first leg of a new run (already stored as `queued`).
pub(crate) fn start(store: &mut Store, mut run: Run, script: RunScript) -> StreamedLeg {
    let mut leg = Leg {
        store,
        events: Vec::new(),
        reply: None,
        ended_with_error: false,
    };
    leg.emit("thread.run.created", &run);
    leg.run_status(&mut run, RunStatus::Queued, "thread.run.queued");
    run.started_at = Some(leg.store.now());
    leg.run_status(&mut run, RunStatus::InProgress, "thread.run.in_progress");
    if let Some(code) = &script.code {
        leg.code(&run, code);
    }
    if script.file_search {
        leg.file_search(&run);
    }
    match &script.tool_call {
        Some(call) => {
            leg.call(&mut run, call);
            let mut rest = script.clone();
            rest.tool_call = None;
            leg.store.continuations.insert(run.id.clone(), rest);
        }
        None => leg.reply(&mut run, &script),
    }
    leg.finish(&script)
}

/// The leg after tool outputs were submitted: the call's step completes with its outputs and
/// the reply follows.
pub(crate) fn resume(store: &mut Store, mut run: Run, outputs: &[(String, String)]) -> StreamedLeg {
    let script = store.continuations.remove(&run.id).unwrap_or_default();
    let mut leg = Leg {
        store,
        events: Vec::new(),
        reply: None,
        ended_with_error: false,
    };
    run.required_action = None;
    leg.run_status(&mut run, RunStatus::Queued, "thread.run.queued");
    leg.run_status(&mut run, RunStatus::InProgress, "thread.run.in_progress");
    let step = leg
        .store
        .steps
        .get(&run.id)
        .and_then(|steps| {
            steps
                .iter()
                .rev()
                .find(|s| s.kind == RunStepType::ToolCalls)
        })
        .cloned();
    if let Some(mut step) = step {
        if let Some(calls) = step
            .step_details
            .as_mut()
            .and_then(|d| d.tool_calls.as_mut())
        {
            for call in calls {
                let output = outputs
                    .iter()
                    .find(|(id, _)| call.id.as_deref() == Some(id.as_str()))
                    .map(|(_, output)| output.clone());
                if let (Some(function), Some(output)) = (call.function.as_mut(), output) {
                    function.output = Some(output);
                }
            }
        }
        leg.complete_step(&mut step, 5);
    }
    leg.reply(&mut run, &script);
    leg.finish(&script)
}
