//! Every call of the API, each a request description from the core sent by [`Client`]: the
//! sync client's calls, under the same names.

use std::time::{Duration, Instant};

use serde_json::Value;
use streaming_assistants_core::assistants::types::{
    Assistant, ListPage, Message, RequiredToolCall, Run, RunStep, Thread,
};
use streaming_assistants_core::drive::{AssistantsTools, LegacyFlow, LegacyStep};
use streaming_assistants_core::request::Request;

use crate::{Client, Error, EventStream, LegacyStream, ToolLoop};

impl Client {
    /// Creates an assistant (`body`: `model`, `instructions`, `tools`, ...).
    pub async fn create_assistant(&self, body: Value) -> Result<Assistant, Error> {
        self.send(&Request::create_assistant(body)).await
    }

    /// Retrieves an assistant.
    pub async fn retrieve_assistant(&self, id: &str) -> Result<Assistant, Error> {
        self.send(&Request::retrieve_assistant(id)).await
    }

    /// Deletes an assistant.
    pub async fn delete_assistant(&self, id: &str) -> Result<Value, Error> {
        self.send(&Request::delete_assistant(id)).await
    }

    /// Retrieves a thread.
    pub async fn retrieve_thread(&self, id: &str) -> Result<Thread, Error> {
        self.send(&Request::retrieve_thread(id)).await
    }

    /// Deletes a thread.
    pub async fn delete_thread(&self, id: &str) -> Result<Value, Error> {
        self.send(&Request::delete_thread(id)).await
    }

    /// Retrieves a message.
    pub async fn retrieve_message(
        &self,
        thread_id: &str,
        message_id: &str,
    ) -> Result<Message, Error> {
        self.send(&Request::retrieve_message(thread_id, message_id))
            .await
    }

    /// Lists a thread's runs, newest first.
    pub async fn list_runs(&self, thread_id: &str) -> Result<ListPage<Run>, Error> {
        self.send(&Request::list_runs(thread_id)).await
    }

    /// Creates a run without streaming it.
    pub async fn create_run(&self, thread_id: &str, assistant_id: &str) -> Result<Run, Error> {
        self.send(&Request::run_assistant(thread_id, assistant_id, false))
            .await
    }

    /// Cancels a run.
    pub async fn cancel_run(&self, thread_id: &str, run_id: &str) -> Result<Run, Error> {
        self.send(&Request::cancel_run(thread_id, run_id)).await
    }

    /// Lists a run's steps, newest first.
    pub async fn list_run_steps(
        &self,
        thread_id: &str,
        run_id: &str,
    ) -> Result<ListPage<RunStep>, Error> {
        self.send(&Request::list_run_steps(thread_id, run_id)).await
    }

    /// Retrieves a run step.
    pub async fn retrieve_run_step(
        &self,
        thread_id: &str,
        run_id: &str,
        step_id: &str,
    ) -> Result<RunStep, Error> {
        self.send(&Request::retrieve_run_step(thread_id, run_id, step_id))
            .await
    }

    /// Creates a thread with these user messages and streams a run of it.
    pub async fn create_thread_and_run_stream(
        &self,
        assistant_id: &str,
        messages: &[&str],
    ) -> Result<EventStream, Error> {
        self.stream(&Request::run_new_thread(assistant_id, messages, true))
            .await
    }

    /// Creates an empty thread.
    pub async fn create_thread(&self) -> Result<Thread, Error> {
        self.send(&Request::create_empty_thread()).await
    }

    /// Adds a user message to a thread.
    pub async fn create_message(&self, thread_id: &str, content: &str) -> Result<Message, Error> {
        self.send(&Request::create_user_message(thread_id, content))
            .await
    }

    /// Lists a thread's messages, newest first.
    pub async fn list_messages(&self, thread_id: &str) -> Result<ListPage<Message>, Error> {
        self.send(&Request::list_messages(thread_id)).await
    }

    /// Retrieves a run.
    pub async fn retrieve_run(&self, thread_id: &str, run_id: &str) -> Result<Run, Error> {
        self.send(&Request::retrieve_run(thread_id, run_id)).await
    }

    /// Creates a run and streams it.
    pub async fn create_run_stream(
        &self,
        thread_id: &str,
        assistant_id: &str,
    ) -> Result<EventStream, Error> {
        self.stream(&Request::run_assistant(thread_id, assistant_id, true))
            .await
    }

    /// Submits tool outputs (`(tool_call_id, output)`) and streams the run's continuation.
    pub async fn submit_tool_outputs_stream(
        &self,
        thread_id: &str,
        run_id: &str,
        outputs: &[(String, String)],
    ) -> Result<EventStream, Error> {
        let request = Request::submit_tool_outputs(thread_id, run_id, outputs, true);
        self.stream(&request).await
    }

    /// Astra's legacy flow: creates a run without streaming, polls it every `poll` until it is
    /// `generating` (or has ended), then streams the reply from
    /// `GET /threads/{id}/messages?limit=1&stream=true`. The legacy stream has no end marker:
    /// retrieve the run afterwards to learn how it ended.
    pub async fn legacy_stream(
        &self,
        thread_id: &str,
        assistant_id: &str,
        poll: Duration,
    ) -> Result<LegacyStream, Error> {
        let mut flow = LegacyFlow::new(thread_id, assistant_id, poll);
        loop {
            match flow.step(Instant::now()) {
                LegacyStep::Send(request) => {
                    let run: Run = self.send(&request).await?;
                    flow.run(&run, Instant::now());
                }
                LegacyStep::Wait(at) => tokio::time::sleep_until(at.into()).await,
                LegacyStep::Stream(request) => {
                    let run_id = flow.run_id().unwrap_or_default().to_owned();
                    return Ok(LegacyStream::new(run_id, self.stream(&request).await?));
                }
            }
        }
    }

    /// Streams a run to its end, answering each `requires_action` with the output of the
    /// async closure `tool(call)` through a streamed `submit_tool_outputs`; the loop yields
    /// every event of every leg.
    pub fn run_with_tools<F>(&self, thread_id: &str, assistant_id: &str, tool: F) -> ToolLoop<'_, F>
    where
        F: AsyncFnMut(&RequiredToolCall) -> String,
    {
        ToolLoop::new(self, AssistantsTools::new(thread_id, assistant_id), tool)
    }
}
