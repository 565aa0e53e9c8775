//! The Assistants API's calls, as [`Request`]s: assistants, threads, messages, runs, run
//! steps, and Astra's legacy message stream.

use serde_json::Value;

use crate::wire::{Method, Request};

impl Request {
    /// `POST /assistants`.
    pub fn create_assistant(body: Value) -> Self {
        Self::new(Method::Post, "/assistants".into()).with_body(body)
    }

    /// `GET /assistants/{id}`.
    pub fn retrieve_assistant(id: &str) -> Self {
        Self::new(Method::Get, format!("/assistants/{id}"))
    }

    /// `DELETE /assistants/{id}`.
    pub fn delete_assistant(id: &str) -> Self {
        Self::new(Method::Delete, format!("/assistants/{id}"))
    }

    /// `POST /threads`.
    pub fn create_thread(body: Value) -> Self {
        Self::new(Method::Post, "/threads".into()).with_body(body)
    }

    /// `GET /threads/{id}`.
    pub fn retrieve_thread(id: &str) -> Self {
        Self::new(Method::Get, format!("/threads/{id}"))
    }

    /// `DELETE /threads/{id}`.
    pub fn delete_thread(id: &str) -> Self {
        Self::new(Method::Delete, format!("/threads/{id}"))
    }

    /// `POST /threads` with no messages.
    pub fn create_empty_thread() -> Self {
        Self::create_thread(serde_json::json!({}))
    }

    /// `POST /threads/{id}/messages` with a user message of this text.
    pub fn create_user_message(thread_id: &str, content: &str) -> Self {
        Self::create_message(
            thread_id,
            serde_json::json!({"role": "user", "content": content}),
        )
    }

    /// `POST /threads/{id}/runs` of this assistant, streamed when `stream`.
    pub fn run_assistant(thread_id: &str, assistant_id: &str, stream: bool) -> Self {
        Self::create_run(
            thread_id,
            serde_json::json!({ "assistant_id": assistant_id }),
            stream,
        )
    }

    /// `POST /threads/runs`: a new thread with these user messages, run by this assistant.
    pub fn run_new_thread(assistant_id: &str, messages: &[&str], stream: bool) -> Self {
        let messages: Vec<Value> = messages
            .iter()
            .map(|content| serde_json::json!({"role": "user", "content": content}))
            .collect();
        let body =
            serde_json::json!({"assistant_id": assistant_id, "thread": {"messages": messages}});
        Self::create_thread_and_run(body, stream)
    }

    /// `POST /threads/{id}/messages`.
    pub fn create_message(thread_id: &str, body: Value) -> Self {
        Self::new(Method::Post, format!("/threads/{thread_id}/messages")).with_body(body)
    }

    /// `GET /threads/{id}/messages` (add `limit`, `order`, `after`, `before` with [`query`]).
    ///
    /// [`query`]: Request::query
    pub fn list_messages(thread_id: &str) -> Self {
        Self::new(Method::Get, format!("/threads/{thread_id}/messages"))
    }

    /// `GET /threads/{id}/messages/{message_id}`.
    pub fn retrieve_message(thread_id: &str, message_id: &str) -> Self {
        Self::new(
            Method::Get,
            format!("/threads/{thread_id}/messages/{message_id}"),
        )
    }

    /// Astra's legacy message stream: `GET /threads/{id}/messages?limit=1&stream=true`, sent
    /// without the beta header.
    pub fn legacy_message_stream(thread_id: &str) -> Self {
        let mut request = Self::list_messages(thread_id)
            .query("limit", "1")
            .query("stream", "true");
        request.stream = true;
        request.beta = false;
        request
    }

    /// `POST /threads/{id}/runs`, streamed when `stream` (the body gets `"stream": true`).
    pub fn create_run(thread_id: &str, body: Value, stream: bool) -> Self {
        Self::new(Method::Post, format!("/threads/{thread_id}/runs")).streaming(body, stream)
    }

    /// `POST /threads/runs`: create a thread and run it.
    pub fn create_thread_and_run(body: Value, stream: bool) -> Self {
        Self::new(Method::Post, "/threads/runs".into()).streaming(body, stream)
    }

    /// `POST /threads/{id}/runs/{run_id}/submit_tool_outputs` with
    /// `tool_outputs: [{tool_call_id, output}]`.
    pub fn submit_tool_outputs(
        thread_id: &str,
        run_id: &str,
        outputs: &[(String, String)],
        stream: bool,
    ) -> Self {
        let tool_outputs: Vec<Value> = outputs
            .iter()
            .map(|(id, output)| serde_json::json!({"tool_call_id": id, "output": output}))
            .collect();
        Self::new(
            Method::Post,
            format!("/threads/{thread_id}/runs/{run_id}/submit_tool_outputs"),
        )
        .streaming(serde_json::json!({ "tool_outputs": tool_outputs }), stream)
    }

    /// `GET /threads/{id}/runs/{run_id}`.
    pub fn retrieve_run(thread_id: &str, run_id: &str) -> Self {
        Self::new(Method::Get, format!("/threads/{thread_id}/runs/{run_id}"))
    }

    /// `GET /threads/{id}/runs`.
    pub fn list_runs(thread_id: &str) -> Self {
        Self::new(Method::Get, format!("/threads/{thread_id}/runs"))
    }

    /// `POST /threads/{id}/runs/{run_id}/cancel`.
    pub fn cancel_run(thread_id: &str, run_id: &str) -> Self {
        Self::new(
            Method::Post,
            format!("/threads/{thread_id}/runs/{run_id}/cancel"),
        )
    }

    /// `GET /threads/{id}/runs/{run_id}/steps`.
    pub fn list_run_steps(thread_id: &str, run_id: &str) -> Self {
        Self::new(
            Method::Get,
            format!("/threads/{thread_id}/runs/{run_id}/steps"),
        )
    }

    /// `GET /threads/{id}/runs/{run_id}/steps/{step_id}`.
    pub fn retrieve_run_step(thread_id: &str, run_id: &str, step_id: &str) -> Self {
        Self::new(
            Method::Get,
            format!("/threads/{thread_id}/runs/{run_id}/steps/{step_id}"),
        )
    }
}
