//! The Responses API's calls, and a typed builder for the body of `POST /responses`.

use serde_json::{Map, Value};

use crate::wire::{Method, Request};

/// The body of `POST /responses`: the typed fields, plus any other JSON field.
///
/// ```
/// use serde_json::json;
/// use streaming_assistants_core::responses::ResponseRequest;
/// use streaming_assistants_core::wire::Request;
///
/// let body = ResponseRequest::new("gpt-4o-mini")
///     .input("What's the weather in Paris?")
///     .instructions("Be brief.")
///     .tools(json!([{"type": "function", "name": "get_weather", "parameters": {}}]))
///     .field("temperature", json!(0.2));
/// let request = Request::create_response(&body, true);
/// assert_eq!(request.path, "/responses");
/// let sent = request.body.unwrap();
/// assert_eq!((sent["stream"].clone(), sent["model"].clone()), (json!(true), json!("gpt-4o-mini")));
/// assert_eq!(sent["temperature"], 0.2);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseRequest {
    body: Map<String, Value>,
}

impl ResponseRequest {
    /// A request to `model`.
    pub fn new(model: impl Into<String>) -> Self {
        ResponseRequest::default().field("model", Value::String(model.into()))
    }

    /// The input as text (one user message).
    #[must_use]
    pub fn input(self, text: impl Into<String>) -> Self {
        self.field("input", Value::String(text.into()))
    }

    /// The input as a list of items: messages `{role, content}`, `function_call_output
    /// {call_id, output}`, ...
    #[must_use]
    pub fn input_items(self, items: Vec<Value>) -> Self {
        self.field("input", Value::Array(items))
    }

    /// System instructions.
    #[must_use]
    pub fn instructions(self, text: impl Into<String>) -> Self {
        self.field("instructions", Value::String(text.into()))
    }

    /// The tools the model may call (a JSON list, as the API takes it).
    #[must_use]
    pub fn tools(self, tools: Value) -> Self {
        self.field("tools", tools)
    }

    /// Continue from this response (its output and input are the context).
    #[must_use]
    pub fn previous_response_id(self, id: impl Into<String>) -> Self {
        self.field("previous_response_id", Value::String(id.into()))
    }

    /// Run in the background: the stream can be resumed after a cut.
    #[must_use]
    pub fn background(self, background: bool) -> Self {
        self.field("background", Value::Bool(background))
    }

    /// Store the response (needed to retrieve it, resume it or continue from it).
    #[must_use]
    pub fn store(self, store: bool) -> Self {
        self.field("store", Value::Bool(store))
    }

    /// Asks for structured output: a `json_schema` text format named `name` (strict), the
    /// answer's text a JSON value that `schema` describes (other `text` settings are kept).
    #[must_use]
    pub fn json_schema(self, name: &str, schema: Value) -> Self {
        let mut text = match self.get("text") {
            Some(Value::Object(text)) => text.clone(),
            _ => serde_json::Map::new(),
        };
        text.insert(
            "format".into(),
            serde_json::json!({"type": "json_schema", "name": name, "schema": schema, "strict": true}),
        );
        self.field("text", Value::Object(text))
    }

    /// [`ResponseRequest::json_schema`] with the schema of `T` (the `schemars` feature),
    /// named after it and made strict ([`crate::json::strict_schema_for`]).
    #[cfg(feature = "schemars")]
    #[must_use]
    pub fn json_schema_for<T: schemars::JsonSchema>(self) -> Self {
        let (name, schema) = crate::json::strict_schema_for::<T>();
        self.json_schema(&name, schema)
    }

    /// Any other field of the body, as JSON.
    #[must_use]
    pub fn field(mut self, name: &str, value: Value) -> Self {
        self.body.insert(name.to_owned(), value);
        self
    }

    /// A field of the body.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.body.get(name)
    }

    /// The body as JSON.
    pub fn to_json(&self) -> Value {
        Value::Object(self.body.clone())
    }
}

impl Request {
    /// `POST /responses`, streamed when `stream` (the body gets `"stream": true`).
    pub fn create_response(body: &ResponseRequest, stream: bool) -> Self {
        Self::new_api(Method::Post, "/responses".into()).streaming(body.to_json(), stream)
    }

    /// `GET /responses/{id}`.
    pub fn retrieve_response(id: &str) -> Self {
        Self::new_api(Method::Get, format!("/responses/{id}"))
    }

    /// `GET /responses/{id}?stream=true&starting_after=N`: a background response's stream
    /// again, from the event after sequence number `N` (all of it when `None`).
    pub fn resume_response_stream(id: &str, starting_after: Option<u64>) -> Self {
        let mut request = Self::retrieve_response(id).query("stream", "true");
        if let Some(after) = starting_after {
            request = request.query("starting_after", after.to_string());
        }
        request.stream = true;
        request
    }

    /// `POST /responses/{id}/cancel` (background responses).
    pub fn cancel_response(id: &str) -> Self {
        Self::new_api(Method::Post, format!("/responses/{id}/cancel"))
    }

    /// `DELETE /responses/{id}`.
    pub fn delete_response(id: &str) -> Self {
        Self::new_api(Method::Delete, format!("/responses/{id}"))
    }
}
