//! The Responses API: `client.responses()`, each call a request description from the core.

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
    pub fn create_stream(
        &self,
        request: &ResponseRequest,
    ) -> Result<EventStream<Responses>, Error> {
        self.client.stream(&Request::create_response(request, true))
    }

    /// Creates a response without streaming it.
    pub fn create(&self, request: &ResponseRequest) -> Result<Response, Error> {
        self.client.send(&Request::create_response(request, false))
    }

    /// Retrieves a response.
    pub fn retrieve(&self, id: &str) -> Result<Response, Error> {
        self.client.send(&Request::retrieve_response(id))
    }

    /// Cancels a background response.
    pub fn cancel(&self, id: &str) -> Result<Response, Error> {
        self.client.send(&Request::cancel_response(id))
    }

    /// Deletes a response.
    pub fn delete(&self, id: &str) -> Result<Value, Error> {
        self.client.send(&Request::delete_response(id))
    }

    /// A background response's stream again, from the event after `starting_after`.
    pub fn resume_stream(
        &self,
        id: &str,
        starting_after: Option<u64>,
    ) -> Result<EventStream<Responses>, Error> {
        self.client
            .stream(&Request::resume_response_stream(id, starting_after))
    }

    /// Creates a response and streams it; if the stream is cut and the response runs in the
    /// background, resumes it (`starting_after` the last event seen) without delivering any
    /// event twice. `into_snapshot()` ends equal to an uncut stream's.
    pub fn stream_resuming(
        &self,
        request: &ResponseRequest,
    ) -> ResponsesToolLoop<'a, fn(&FunctionCall) -> String> {
        let session = ResponsesSession::new(request.clone()).without_tools();
        ToolLoop::new(self.client, session, no_tools)
    }

    /// The tool loop: streams a response, answers its function calls with `tool(call)`'s
    /// output as `function_call_output` items with `previous_response_id`, and streams the
    /// next response, until one asks for nothing. Cut background responses are resumed.
    pub fn run_with_tools<F>(&self, request: &ResponseRequest, tool: F) -> ResponsesToolLoop<'a, F>
    where
        F: FnMut(&FunctionCall) -> String,
    {
        ToolLoop::new(self.client, ResponsesSession::new(request.clone()), tool)
    }
}

fn no_tools(_: &FunctionCall) -> String {
    String::new()
}

impl EventStream<Responses> {
    /// Reads the stream to its end and returns the typed [`Response`] (the terminal event's
    /// own when it carries its output); the first error ends it.
    pub fn into_response(self) -> Result<Response, Error> {
        self.into_snapshot()
    }
}
