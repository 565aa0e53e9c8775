//! An async client for the streaming Assistants API, on `reqwest` + `tokio` and
//! `streaming-assistants-core`: the sync client's surface, with streams as
//! `futures_core::Stream`.
//!
//! ```no_run
//! use streaming_assistants_async::{Client, Config};
//!
//! # async fn demo() -> Result<(), streaming_assistants_async::Error> {
//! let client = Client::new(Config::from_env());
//! let mut stream = client.create_run_stream("thread_abc", "asst_abc").await?;
//! while let Some(event) = stream.next().await {
//!     print!("{}", event?.text_deltas().collect::<String>());
//! }
//! # Ok(()) }
//! ```

mod error;
mod stream;

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use streaming_assistants_core::request::{ApiError, Method, Request};
use streaming_assistants_core::types::{Assistant, ListPage, Message, Run, RunStep, Thread};

pub use error::Error;
pub use stream::EventStream;
pub use streaming_assistants_core::request::Config;

/// The client: a connection pool and a [`Config`]. Every request is described by the core's
/// `request` module; this crate only sends it.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    config: Config,
}

impl Client {
    /// A client with a 10 s connect timeout and a 60 s idle timeout between reads.
    pub fn new(config: Config) -> Self {
        Self::with_timeouts(config, Duration::from_secs(10), Duration::from_secs(60))
    }

    /// A client with these connect and idle (between reads) timeouts.
    pub fn with_timeouts(config: Config, connect: Duration, idle: Duration) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(connect)
            .read_timeout(idle)
            .build()
            .unwrap_or_default();
        Client { http, config }
    }

    async fn call(&self, request: &Request) -> Result<reqwest::Response, Error> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, request.url(&self.config));
        for (name, value) in request.headers(&self.config) {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.body(serde_json::to_vec(body).map_err(Error::Json)?);
        }
        let response = builder.send().await?;
        if response.status().is_success() {
            return Ok(response);
        }
        Err(api_error(response).await)
    }

    /// Sends a request and decodes its JSON answer.
    pub async fn send<T: DeserializeOwned>(&self, request: &Request) -> Result<T, Error> {
        let body = self.call(request).await?.bytes().await?;
        serde_json::from_slice(&body).map_err(Error::Json)
    }

    /// Sends a streaming request; events are decoded as they arrive.
    pub async fn stream(&self, request: &Request) -> Result<EventStream, Error> {
        Ok(EventStream::new(self.call(request).await?))
    }

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
}

/// The API's error: status, error object (or raw body), request id.
async fn api_error(response: reqwest::Response) -> Error {
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.unwrap_or_default();
    Error::Api(Box::new(ApiError::from_response(status, request_id, text)))
}

/// This crate's README example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// `docs/async.md`, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/async.md")]
pub struct AsyncQuickstartDoctests;
