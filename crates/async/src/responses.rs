//! The Responses API: `client.responses()`, each call a request description from the core
//! (the sync crate's, as async functions).

use serde_json::Value;
use streaming_assistants_core::drive::ResponsesSession;
use streaming_assistants_core::request::{Request, ResponseRequest};
use streaming_assistants_core::responses::{FunctionCall, Response, Responses};

use crate::{Client, Error, EventStream, ToolLoop};

/// The Responses API of a [`Client`], from [`Client::responses`].
#[derive(Debug, Clone, Copy)]
pub struct ResponsesClient<'a> {
    client: &'a Client,
}

/// A tool loop over Responses, as [`ResponsesClient::run_with_tools`] makes it.
pub type ResponsesToolLoop<'a, F> = ToolLoop<'a, F, ResponsesSession, Responses>;

/// The tool of [`ResponsesClient::stream_resuming`], never called.
pub type NoTools = fn(&FunctionCall) -> std::future::Ready<String>;

impl Client {
    /// The Responses API.
    pub fn responses(&self) -> ResponsesClient<'_> {
        ResponsesClient { client: self }
    }
}

impl<'a> ResponsesClient<'a> {
    /// Creates a response and streams it: [`ResponseEvent`]s as they arrive, then `.text()`,
    /// `.into_text()` or [`EventStream::into_response`].
    ///
    /// [`ResponseEvent`]: streaming_assistants_core::responses::ResponseEvent
    pub async fn create_stream(
        &self,
        request: &ResponseRequest,
    ) -> Result<EventStream<Responses>, Error> {
        self.client
            .stream(&Request::create_response(request, true))
            .await
    }

    /// Creates a response without streaming it.
    pub async fn create(&self, request: &ResponseRequest) -> Result<Response, Error> {
        self.client
            .send(&Request::create_response(request, false))
            .await
    }

    /// Retrieves a response.
    pub async fn retrieve(&self, id: &str) -> Result<Response, Error> {
        self.client.send(&Request::retrieve_response(id)).await
    }

    /// Cancels a background response.
    pub async fn cancel(&self, id: &str) -> Result<Response, Error> {
        self.client.send(&Request::cancel_response(id)).await
    }

    /// Deletes a response.
    pub async fn delete(&self, id: &str) -> Result<Value, Error> {
        self.client.send(&Request::delete_response(id)).await
    }

    /// A background response's stream again, from the event after `starting_after`.
    pub async fn resume_stream(
        &self,
        id: &str,
        starting_after: Option<u64>,
    ) -> Result<EventStream<Responses>, Error> {
        self.client
            .stream(&Request::resume_response_stream(id, starting_after))
            .await
    }

    /// Creates a response and streams it; if the stream is cut and the response runs in the
    /// background, resumes it (`starting_after` the last event seen) without delivering any
    /// event twice. `into_snapshot()` ends equal to an uncut stream's.
    pub fn stream_resuming(&self, request: &ResponseRequest) -> ResponsesToolLoop<'a, NoTools> {
        let session = ResponsesSession::new(request.clone()).without_tools();
        let no_tools: NoTools = |_| std::future::ready(String::new());
        ToolLoop::new(self.client, session, no_tools)
    }

    /// The tool loop: streams a response, answers its function calls with the async
    /// `tool(call)`'s output as `function_call_output` items with `previous_response_id`, and
    /// streams the next response, until one asks for nothing. Cut background responses are
    /// resumed.
    pub fn run_with_tools<F>(&self, request: &ResponseRequest, tool: F) -> ResponsesToolLoop<'a, F>
    where
        F: AsyncFnMut(&FunctionCall) -> String,
    {
        ToolLoop::new(self.client, ResponsesSession::new(request.clone()), tool)
    }
}

impl EventStream<Responses> {
    /// Reads the stream to its end and returns the typed [`Response`] (the terminal event's
    /// own when it carries its output); the first error ends it.
    pub async fn into_response(self) -> Result<Response, Error> {
        self.into_snapshot().await
    }
}
