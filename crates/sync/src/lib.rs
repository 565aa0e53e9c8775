//! A blocking client for the streaming Assistants API, on `ureq` and
//! `streaming-assistants-core`.
//!
//! ```no_run
//! use streaming_assistants_sync::{Client, Config};
//!
//! let client = Client::new(Config::from_env());
//! let stream = client.create_run_stream("thread_abc", "asst_abc")?;
//! for text in stream.text() {
//!     print!("{}", text?); // each delta as soon as it arrives
//! }
//! # Ok::<(), streaming_assistants_sync::Error>(())
//! ```

mod error;
mod stream;
mod tools;

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use streaming_assistants_core::request::{ApiError, Method, Request};
use streaming_assistants_core::types::{
    Assistant, ListPage, Message, Run, RunStatus, RunStep, Thread,
};

pub use error::Error;
pub use stream::{EventStream, LegacyStream};
pub use streaming_assistants_core::request::Config;
pub use tools::ToolLoop;

/// How long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// To connect (default 10 s).
    pub connect: Duration,
    /// Between two reads of a response, so that a stalled stream ends with an error
    /// (default 60 s).
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            idle: Duration::from_secs(60),
        }
    }
}

impl Timeouts {
    /// Sets the idle timeout.
    #[must_use]
    pub fn idle(mut self, idle: Duration) -> Self {
        self.idle = idle;
        self
    }
}

/// The client: a connection pool and a [`Config`]. Every request is described by the core's
/// `request` module; this crate only sends it.
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    config: Config,
    retries: u32,
}

impl Client {
    /// A client with the default timeouts.
    pub fn new(config: Config) -> Self {
        Self::with_timeouts(config, Timeouts::default())
    }

    /// A client with these timeouts.
    pub fn with_timeouts(config: Config, timeouts: Timeouts) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(timeouts.connect))
            .timeout_per_read(Some(timeouts.idle))
            .build()
            .into();
        Client {
            agent,
            config,
            retries: 2,
        }
    }

    /// How many times a safe request is retried (default 2; 0 disables retries).
    #[must_use]
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// Sends a request and decodes its JSON answer.
    pub fn send<T: DeserializeOwned>(&self, request: &Request) -> Result<T, Error> {
        let response = self.call(request)?;
        let body = response.into_body().read_to_string()?;
        serde_json::from_str(&body).map_err(Error::Json)
    }

    /// Sends a streaming request; events are read as they arrive.
    pub fn stream(&self, request: &Request) -> Result<EventStream, Error> {
        let response = self.call(request)?;
        Ok(EventStream::new(Box::new(
            response.into_body().into_reader(),
        )))
    }

    /// Sends `request`, retrying where repeating is safe: a 429 or 5xx answer to a request
    /// that reads or deletes, honouring `retry-after` / `retry-after-ms`; and any request whose
    /// connection was refused (nothing of it was sent). A run creation the server may have
    /// received is never sent twice.
    fn call(&self, request: &Request) -> Result<ureq::http::Response<ureq::Body>, Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt > self.retries;
            match self.call_once(request) {
                Err(Error::Transport(err))
                    if !last && matches!(*err, ureq::Error::ConnectionFailed) =>
                {
                    std::thread::sleep(backoff(attempt, None));
                }
                Err(Error::Io(err))
                    if !last && err.kind() == std::io::ErrorKind::ConnectionRefused =>
                {
                    std::thread::sleep(backoff(attempt, None));
                }
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retryable = ApiError::is_retryable_status(status);
                    if last || !retryable || !request.idempotent() {
                        return Err(api_error(response));
                    }
                    std::thread::sleep(backoff(attempt, retry_after(&response)));
                }
                Err(err) => return Err(err),
            }
        }
    }

    fn call_once(&self, request: &Request) -> Result<ureq::http::Response<ureq::Body>, Error> {
        let url = request.url(&self.config);
        Ok(match request.method {
            Method::Get | Method::Delete => {
                let mut builder = if request.method == Method::Get {
                    self.agent.get(&url)
                } else {
                    self.agent.delete(&url)
                };
                for (name, value) in request.headers(&self.config) {
                    builder = builder.header(name, value);
                }
                builder.call()?
            }
            Method::Post => {
                let mut builder = self.agent.post(&url);
                for (name, value) in request.headers(&self.config) {
                    builder = builder.header(name, value);
                }
                match &request.body {
                    Some(body) => builder.send_json(body)?,
                    None => builder.send_empty()?,
                }
            }
        })
    }

    /// Creates an assistant (`body`: `model`, `instructions`, `tools`, ...).
    pub fn create_assistant(&self, body: Value) -> Result<Assistant, Error> {
        self.send(&Request::create_assistant(body))
    }

    /// Retrieves an assistant.
    pub fn retrieve_assistant(&self, id: &str) -> Result<Assistant, Error> {
        self.send(&Request::retrieve_assistant(id))
    }

    /// Deletes an assistant.
    pub fn delete_assistant(&self, id: &str) -> Result<Value, Error> {
        self.send(&Request::delete_assistant(id))
    }

    /// Retrieves a thread.
    pub fn retrieve_thread(&self, id: &str) -> Result<Thread, Error> {
        self.send(&Request::retrieve_thread(id))
    }

    /// Deletes a thread.
    pub fn delete_thread(&self, id: &str) -> Result<Value, Error> {
        self.send(&Request::delete_thread(id))
    }

    /// Retrieves a message.
    pub fn retrieve_message(&self, thread_id: &str, message_id: &str) -> Result<Message, Error> {
        self.send(&Request::retrieve_message(thread_id, message_id))
    }

    /// Lists a thread's runs, newest first.
    pub fn list_runs(&self, thread_id: &str) -> Result<ListPage<Run>, Error> {
        self.send(&Request::list_runs(thread_id))
    }

    /// Creates a run without streaming it.
    pub fn create_run(&self, thread_id: &str, assistant_id: &str) -> Result<Run, Error> {
        self.send(&Request::run_assistant(thread_id, assistant_id, false))
    }

    /// Cancels a run.
    pub fn cancel_run(&self, thread_id: &str, run_id: &str) -> Result<Run, Error> {
        self.send(&Request::cancel_run(thread_id, run_id))
    }

    /// Lists a run's steps, newest first.
    pub fn list_run_steps(
        &self,
        thread_id: &str,
        run_id: &str,
    ) -> Result<ListPage<RunStep>, Error> {
        self.send(&Request::list_run_steps(thread_id, run_id))
    }

    /// Retrieves a run step.
    pub fn retrieve_run_step(
        &self,
        thread_id: &str,
        run_id: &str,
        step_id: &str,
    ) -> Result<RunStep, Error> {
        self.send(&Request::retrieve_run_step(thread_id, run_id, step_id))
    }

    /// Creates a thread with these user messages and streams a run of it (the stream starts
    /// with `thread.created`).
    pub fn create_thread_and_run_stream(
        &self,
        assistant_id: &str,
        messages: &[&str],
    ) -> Result<EventStream, Error> {
        self.stream(&Request::run_new_thread(assistant_id, messages, true))
    }

    /// Astra's legacy flow: creates a run without streaming, polls it every `poll` until it is
    /// `generating` (or has ended), then streams the reply from
    /// `GET /threads/{id}/messages?limit=1&stream=true`. The legacy stream has no end marker:
    /// retrieve the run afterwards to learn how it ended.
    pub fn legacy_stream(
        &self,
        thread_id: &str,
        assistant_id: &str,
        poll: Duration,
    ) -> Result<LegacyStream, Error> {
        let run = self.create_run(thread_id, assistant_id)?;
        let mut status = run.status.clone();
        while matches!(status, RunStatus::Queued | RunStatus::InProgress) {
            std::thread::sleep(poll);
            status = self.retrieve_run(thread_id, &run.id)?.status;
        }
        let response = self.call(&Request::legacy_message_stream(thread_id))?;
        Ok(LegacyStream::new(
            run.id,
            Box::new(response.into_body().into_reader()),
        ))
    }
    /// Creates an empty thread.
    pub fn create_thread(&self) -> Result<Thread, Error> {
        self.send(&Request::create_empty_thread())
    }

    /// Adds a user message to a thread.
    pub fn create_message(&self, thread_id: &str, content: &str) -> Result<Message, Error> {
        self.send(&Request::create_user_message(thread_id, content))
    }

    /// Lists a thread's messages, newest first.
    pub fn list_messages(&self, thread_id: &str) -> Result<ListPage<Message>, Error> {
        self.send(&Request::list_messages(thread_id))
    }

    /// Retrieves a run.
    pub fn retrieve_run(&self, thread_id: &str, run_id: &str) -> Result<Run, Error> {
        self.send(&Request::retrieve_run(thread_id, run_id))
    }

    /// Creates a run and streams it.
    pub fn create_run_stream(
        &self,
        thread_id: &str,
        assistant_id: &str,
    ) -> Result<EventStream, Error> {
        self.stream(&Request::run_assistant(thread_id, assistant_id, true))
    }

    /// Submits tool outputs (`(tool_call_id, output)`) and streams the run's continuation.
    pub fn submit_tool_outputs_stream(
        &self,
        thread_id: &str,
        run_id: &str,
        outputs: &[(String, String)],
    ) -> Result<EventStream, Error> {
        self.stream(&Request::submit_tool_outputs(
            thread_id, run_id, outputs, true,
        ))
    }

    /// Streams a run to its end, answering each `requires_action` with `tool(call)`'s output
    /// through a streamed `submit_tool_outputs`, and yields every event of every leg.
    pub fn run_with_tools<F>(&self, thread_id: &str, assistant_id: &str, tool: F) -> ToolLoop<'_, F>
    where
        F: FnMut(&streaming_assistants_core::types::RequiredToolCall) -> String,
    {
        ToolLoop::new(self, thread_id, assistant_id, tool)
    }
}

/// The wait before retry `attempt` (1-based): what the server asked for, capped at 20 s, or
/// 0.5 s doubling.
fn backoff(attempt: u32, asked: Option<Duration>) -> Duration {
    asked
        .map(|d| d.min(Duration::from_secs(20)))
        .unwrap_or_else(|| Duration::from_millis(500u64 << attempt.saturating_sub(1).min(5)))
}

/// `retry-after-ms` (milliseconds) or `retry-after` (seconds).
fn retry_after(response: &ureq::http::Response<ureq::Body>) -> Option<Duration> {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
    };
    header("retry-after-ms")
        .map(|ms| Duration::from_secs_f64(ms / 1000.0))
        .or_else(|| header("retry-after").map(Duration::from_secs_f64))
}

/// The API's error: status, error object (or raw body), request id.
fn api_error(response: ureq::http::Response<ureq::Body>) -> Error {
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response
        .into_body()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    Error::Api(Box::new(ApiError::from_response(status, request_id, text)))
}

/// This crate's README example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The workspace README's examples (the sync client and the core), compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct WorkspaceReadmeDoctests;

/// `docs/sync.md`, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/sync.md")]
pub struct SyncQuickstartDoctests;
