//! What each call sends, as plain data: the core decides what goes on the wire, the transports
//! only send it.
//!
//! ```
//! use serde_json::json;
//! use streaming_assistants_core::request::{Config, Request};
//!
//! let config = Config::new("sk-secret").base_url("http://127.0.0.1:8080/v1");
//! let request = Request::create_run("thread_1", json!({"assistant_id": "asst_1"}), true);
//! assert_eq!(request.url(&config), "http://127.0.0.1:8080/v1/threads/thread_1/runs");
//! assert_eq!(request.body.as_ref().unwrap()["stream"], true);
//! assert!(request.headers(&config).any(|(name, _)| name == "OpenAI-Beta"));
//! assert!(!format!("{config:?}").contains("sk-secret"));
//! ```

mod api_error;
mod chat;
mod config;
mod not_a_stream;
mod responses;

pub use api_error::ApiError;
pub use chat::ChatRequest;
pub use config::{Config, Secret};
pub use not_a_stream::NotAStream;
pub use responses::ResponseRequest;

use serde_json::Value;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One call: method, path below the base URL, query, JSON body, and whether the answer is an
/// event stream. Whether it may be retried is decided here too.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The path below the base URL, starting with `/`.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The JSON body, if any.
    pub body: Option<Value>,
    /// Whether the answer is `text/event-stream`.
    pub stream: bool,
    /// Send `OpenAI-Beta: assistants=v2` (Astra's legacy stream and the other APIs want none).
    pub beta: bool,
}

impl Request {
    fn new(method: Method, path: String) -> Self {
        Request {
            method,
            path,
            query: Vec::new(),
            body: None,
            stream: false,
            beta: true,
        }
    }

    /// A request of an API that wants no `OpenAI-Beta` header (Responses, Chat Completions).
    fn new_api(method: Method, path: String) -> Self {
        let mut request = Self::new(method, path);
        request.beta = false;
        request
    }

    fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Adds a query parameter.
    #[must_use]
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    /// Whether repeating this request can do no harm: reads and deletes. A `POST` that may
    /// have reached the server (creating a run, say) is never repeated.
    pub fn idempotent(&self) -> bool {
        self.method != Method::Post
    }

    /// The full URL for `config`'s base URL, with the query (and any configured extra query
    /// such as Azure's `api-version`).
    pub fn url(&self, config: &Config) -> String {
        let mut url = format!("{}{}", config.base_url.trim_end_matches('/'), self.path);
        let mut first = true;
        for (name, value) in self.query.iter().chain(&config.query) {
            url.push(if first { '?' } else { '&' });
            first = false;
            url.push_str(&encode(name));
            url.push('=');
            url.push_str(&encode(value));
        }
        url
    }

    /// The headers to send: authentication, the beta header, content type, and the
    /// configured extra headers (Astra's token, organization, project, anything else).
    pub fn headers<'a>(&'a self, config: &'a Config) -> impl Iterator<Item = (&'a str, &'a str)> {
        let beta = self.beta.then_some(("OpenAI-Beta", "assistants=v2"));
        let json = self
            .body
            .is_some()
            .then_some(("Content-Type", "application/json"));
        let accept = self.stream.then_some(("Accept", "text/event-stream"));
        config.auth_headers().chain(beta).chain(json).chain(accept)
    }

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

    fn streaming(mut self, mut body: Value, stream: bool) -> Self {
        if stream {
            if let Some(object) = body.as_object_mut() {
                object.insert("stream".into(), Value::Bool(true));
            }
        }
        self.stream = stream;
        self.with_body(body)
    }
}

/// Percent-encodes a query component (RFC 3986 unreserved characters kept).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
