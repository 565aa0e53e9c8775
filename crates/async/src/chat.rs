//! Chat Completions: `client.chat()`, each call a request description from the core.

use streaming_assistants_core::chat::{Accumulator, Chat, ChatCompletion, Rule};
use streaming_assistants_core::drive::{ChatSession, ChatToolCall};
use streaming_assistants_core::request::{ChatRequest, Request};

use crate::{Client, Error, EventStream, ToolLoop};

/// Chat Completions of a [`Client`], from [`Client::chat`]. Any base URL and headers: Azure's
/// `api-key` header and `api-version` query come from the [`Config`](crate::Config).
#[derive(Debug, Clone, Copy)]
pub struct ChatClient<'a> {
    client: &'a Client,
}

/// A tool loop over Chat Completions, as [`ChatClient::run_with_tools`] makes it.
pub type ChatToolLoop<'a, F> = ToolLoop<'a, F, ChatSession, Chat>;

impl Client {
    /// Chat Completions.
    pub fn chat(&self) -> ChatClient<'_> {
        ChatClient { client: self }
    }
}

impl<'a> ChatClient<'a> {
    /// Streams a chat completion: [`ChatEvent`]s (chunks) as they arrive, then `.text()`
    /// (choice 0's content), `.into_text()` or [`EventStream::into_completion`].
    ///
    /// [`ChatEvent`]: streaming_assistants_core::chat::ChatEvent
    pub async fn create_stream(&self, request: &ChatRequest) -> Result<EventStream<Chat>, Error> {
        self.client
            .stream(&Request::create_chat_completion(request, true))
            .await
    }

    /// A chat completion, not streamed.
    pub async fn create(&self, request: &ChatRequest) -> Result<ChatCompletion, Error> {
        self.client
            .send(&Request::create_chat_completion(request, false))
            .await
    }

    /// The tool loop: streams a completion; when choice 0 ends with tool calls, appends the
    /// assistant's message and one `tool` message per call with the async `tool(call)`'s output, and
    /// streams again, until a final answer.
    pub fn run_with_tools<F>(&self, request: &ChatRequest, tool: F) -> ChatToolLoop<'a, F>
    where
        F: AsyncFnMut(&ChatToolCall) -> String,
    {
        ToolLoop::new(self.client, ChatSession::new(request.clone()), tool)
    }
}

impl EventStream<Chat> {
    /// Reads the stream to its end and returns the typed [`ChatCompletion`] (lenient rule);
    /// the first error ends it.
    pub async fn into_completion(self) -> Result<ChatCompletion, Error> {
        self.into_snapshot().await
    }

    /// As [`EventStream::into_completion`], by `rule` (`Rule::Strict`: exactly what
    /// openai-node's `ChatCompletionStream` builds; see `docs/chat.md`).
    pub async fn into_completion_with(self, rule: Rule) -> Result<ChatCompletion, Error> {
        self.into_snapshot_with(Accumulator::new(rule)).await
    }
}
