//! The in-memory store: what the server has created, and ids and time.

use std::collections::HashMap;

use streaming_assistants_core::assistants::types::{
    Assistant, Message, Run, RunStatus, RunStep, Thread,
};

use crate::script::RunScript;

/// An Astra run waiting for its legacy message stream to be read.
#[derive(Debug, Clone)]
pub(crate) struct Generating {
    /// The run as it ends.
    pub(crate) run: Run,
    /// The reply's text pieces, as the chunks carry them.
    pub(crate) pieces: Vec<String>,
    /// The reply's message id.
    pub(crate) message_id: String,
    /// How the reply's stream is written.
    pub(crate) delivery: crate::script::Delivery,
}

/// Everything the server holds.
#[derive(Debug, Default)]
pub(crate) struct Store {
    next_id: u64,
    clock: i64,
    pub(crate) assistants: HashMap<String, Assistant>,
    pub(crate) threads: HashMap<String, Thread>,
    /// Messages of each thread, oldest first.
    pub(crate) messages: HashMap<String, Vec<Message>>,
    pub(crate) runs: HashMap<String, Run>,
    /// Steps of each run, oldest first.
    pub(crate) steps: HashMap<String, Vec<RunStep>>,
    /// What a run does once its tool outputs arrive.
    pub(crate) continuations: HashMap<String, RunScript>,
    /// Astra runs in `generating`: what they become once their legacy stream is read.
    pub(crate) generating: HashMap<String, Generating>,
    /// How many runs have been created (which script entry comes next).
    pub(crate) runs_created: usize,
    /// Responses API: each response and the events it streamed, by id.
    pub(crate) responses: HashMap<String, crate::responses::Stored>,
    /// How many responses have been created (which script entry comes next).
    pub(crate) responses_created: usize,
}

impl Store {
    /// A fresh id with the given prefix, e.g. `run_000000000000000000000007`.
    pub(crate) fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_{:024}", self.next_id)
    }

    /// Unix time, advancing one second per call from a fixed start, so that output is
    /// deterministic.
    pub(crate) fn now(&mut self) -> i64 {
        self.clock += 1;
        1_732_500_000 + self.clock
    }

    /// The thread's run that is still going (queued, in progress, or waiting for tool outputs).
    pub(crate) fn active_run(&self, thread_id: &str) -> Option<&Run> {
        self.runs.values().find(|r| {
            r.thread_id == thread_id
                && matches!(
                    r.status,
                    RunStatus::Queued | RunStatus::InProgress | RunStatus::RequiresAction
                )
        })
    }

    /// Replaces (or adds) a message of a thread.
    pub(crate) fn put_message(&mut self, message: &Message) {
        let list = self.messages.entry(message.thread_id.clone()).or_default();
        match list.iter_mut().find(|m| m.id == message.id) {
            Some(slot) => slot.clone_from(message),
            None => list.push(message.clone()),
        }
    }

    /// Replaces (or adds) a step of a run.
    pub(crate) fn put_step(&mut self, step: &RunStep) {
        let list = self.steps.entry(step.run_id.clone()).or_default();
        match list.iter_mut().find(|s| s.id == step.id) {
            Some(slot) => slot.clone_from(step),
            None => list.push(step.clone()),
        }
    }
}
