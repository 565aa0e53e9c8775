//! Chat Completions: a typed builder for the body of `POST /chat/completions`.

use serde_json::{json, Map, Value};

use crate::wire::{Method, Request};

/// The body of `POST /chat/completions`: model, messages, tools, any other JSON field.
/// Streaming requests ask for the final usage chunk (`stream_options.include_usage`) unless
/// told not to.
///
/// ```
/// use serde_json::json;
/// use streaming_assistants_core::chat::ChatRequest;
/// use streaming_assistants_core::wire::Request;
///
/// let body = ChatRequest::new("gpt-4o-mini").user("Hi").field("temperature", json!(0));
/// let sent = Request::create_chat_completion(&body, true).body.unwrap();
/// assert_eq!(sent["messages"], json!([{"role": "user", "content": "Hi"}]));
/// assert_eq!(sent["stream_options"], json!({"include_usage": true}));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    body: Map<String, Value>,
    include_usage: bool,
}

impl ChatRequest {
    /// A request to `model`, with no messages yet.
    pub fn new(model: impl Into<String>) -> Self {
        let mut body = Map::new();
        body.insert("model".into(), Value::String(model.into()));
        body.insert("messages".into(), Value::Array(Vec::new()));
        ChatRequest {
            body,
            include_usage: true,
        }
    }

    /// Appends a message (`{role, content, ...}`).
    #[must_use]
    pub fn message(mut self, message: Value) -> Self {
        if let Some(Value::Array(messages)) = self.body.get_mut("messages") {
            messages.push(message);
        }
        self
    }

    /// Appends a system message.
    #[must_use]
    pub fn system(self, content: &str) -> Self {
        self.message(json!({"role": "system", "content": content}))
    }

    /// Appends a user message.
    #[must_use]
    pub fn user(self, content: &str) -> Self {
        self.message(json!({"role": "user", "content": content}))
    }

    /// The tools the model may call (a JSON list, as the API takes it).
    #[must_use]
    pub fn tools(self, tools: Value) -> Self {
        self.field("tools", tools)
    }

    /// Asks for structured output: a `json_schema` response format named `name` (strict), the
    /// answer a JSON value that `schema` describes.
    ///
    /// ```
    /// use serde_json::json;
    /// use streaming_assistants_core::chat::ChatRequest;
    ///
    /// let schema = json!({"type": "object", "properties": {"city": {"type": "string"}}});
    /// let body = ChatRequest::new("gpt-4o").user("Where?").json_schema("place", schema.clone());
    /// let format = &body.to_json(true)["response_format"];
    /// assert_eq!(format["type"], "json_schema");
    /// assert_eq!(format["json_schema"], json!({"name": "place", "schema": schema, "strict": true}));
    /// ```
    #[must_use]
    pub fn json_schema(self, name: &str, schema: Value) -> Self {
        self.field(
            "response_format",
            json!({"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": true}}),
        )
    }

    /// [`ChatRequest::json_schema`] with the schema of `T` (the `schemars` feature), named
    /// after it and made strict ([`crate::json::strict_schema_for`]).
    #[cfg(feature = "schemars")]
    #[must_use]
    pub fn json_schema_for<T: schemars::JsonSchema>(self) -> Self {
        let (name, schema) = crate::json::strict_schema_for::<T>();
        self.json_schema(&name, schema)
    }

    /// Whether a streamed request asks for the final usage chunk (default: yes).
    #[must_use]
    pub fn include_usage(mut self, include: bool) -> Self {
        self.include_usage = include;
        self
    }

    /// Any other field of the body, as JSON.
    #[must_use]
    pub fn field(mut self, name: &str, value: Value) -> Self {
        self.body.insert(name.to_owned(), value);
        self
    }

    /// The messages so far.
    pub fn messages(&self) -> &[Value] {
        self.body
            .get("messages")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The body as JSON, streamed or not.
    pub fn to_json(&self, stream: bool) -> Value {
        let mut body = self.body.clone();
        if stream && self.include_usage && !body.contains_key("stream_options") {
            body.insert("stream_options".into(), json!({"include_usage": true}));
        }
        Value::Object(body)
    }
}

impl Request {
    /// `POST /chat/completions`, streamed when `stream`.
    pub fn create_chat_completion(body: &ChatRequest, stream: bool) -> Self {
        Self::new_api(Method::Post, "/chat/completions".into())
            .streaming(body.to_json(stream), stream)
    }
}
