//! What each call sends, as plain data: the core decides what goes on the wire, the transports
//! only send it. Each protocol adds its calls (`assistants/request.rs`, `responses/request.rs`,
//! `chat/request.rs`).
//!
//! ```
//! use serde_json::json;
//! use streaming_assistants_core::wire::{Config, Request};
//!
//! let config = Config::new("sk-secret").base_url("http://127.0.0.1:8080/v1");
//! let request = Request::create_run("thread_1", json!({"assistant_id": "asst_1"}), true);
//! assert_eq!(request.url(&config), "http://127.0.0.1:8080/v1/threads/thread_1/runs");
//! assert_eq!(request.body.as_ref().unwrap()["stream"], true);
//! assert!(request.headers(&config).any(|(name, _)| name == "OpenAI-Beta"));
//! assert!(!format!("{config:?}").contains("sk-secret"));
//! ```

use serde_json::Value;

use super::Config;

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
    pub(crate) fn new(method: Method, path: String) -> Self {
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
    pub(crate) fn new_api(method: Method, path: String) -> Self {
        let mut request = Self::new(method, path);
        request.beta = false;
        request
    }

    pub(crate) fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The JSON body, with `"stream": true` when streamed.
    pub(crate) fn streaming(mut self, mut body: Value, stream: bool) -> Self {
        if stream {
            if let Some(object) = body.as_object_mut() {
                object.insert("stream".into(), Value::Bool(true));
            }
        }
        self.stream = stream;
        self.with_body(body)
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
        append_query(&mut url, self.query.iter().chain(&config.query));
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
}

/// Appends `name=value` pairs, percent-encoded, after `?` (or `&` when the URL has a query).
pub(crate) fn append_query<'a>(
    url: &mut String,
    pairs: impl Iterator<Item = &'a (String, String)>,
) {
    for (name, value) in pairs {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&encode(name));
        url.push('=');
        url.push_str(&encode(value));
    }
}

/// Percent-encodes a query component (RFC 3986 unreserved characters kept).
pub(crate) fn encode(text: &str) -> String {
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
