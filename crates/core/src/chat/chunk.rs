//! `ChatChunk`: one `chat.completion.chunk`, and what else a Chat Completions stream carries.

use serde_json::Value;

use crate::wire::protocol::DecodeError;
use crate::wire::ErrorObject;

wire_enum! {
    /// Why a choice stopped. Open: servers add their own.
    pub enum FinishReason {
        /// The model finished.
        Stop = "stop",
        /// The token limit.
        Length = "length",
        /// The model called tools.
        ToolCalls = "tool_calls",
        /// A content filter.
        ContentFilter = "content_filter",
        /// The legacy function call.
        FunctionCall = "function_call",
    }
}

wire_object! {
    /// A tool call's function in a delta.
    pub struct FunctionDelta (append) {
        required {}
        optional {
            /// The function's name (whole, or repeated, depending on the server).
            name: String,
            /// A piece of the arguments.
            arguments: String,
        }
    }
}

wire_object! {
    /// A piece of a tool call. `index` says which call (missing on some servers: Gemini,
    /// Ollama).
    pub struct ToolCallDelta (append) {
        required {}
        optional {
            /// Which call of the message.
            index: i64,
            /// The call's id.
            id: String,
            /// `function`.
            kind as "type": String,
            /// The function.
            function: FunctionDelta,
        }
    }
}

wire_object! {
    /// The new part of a choice's message.
    pub struct Delta (append) {
        required {}
        optional {
            /// `assistant`.
            role: String,
            /// A piece of the text.
            content: String,
            /// A piece of a refusal.
            refusal: String,
            /// A piece of reasoning, as vLLM, DeepSeek and SGLang send it.
            reasoning_content: String,
            /// A piece of reasoning, as Ollama and newer vLLM send it.
            reasoning: String,
            /// Pieces of tool calls.
            tool_calls: Vec<ToolCallDelta>,
            /// Audio: `id`, `data`, `transcript`, `expires_at`.
            audio: Value,
            /// The legacy function call.
            function_call: Value,
        }
    }
}

wire_object! {
    /// One choice of a chunk.
    pub struct ChunkChoice (append) {
        required {}
        optional {
            /// Which choice (`n` ≥ 2): the snapshot's choices are found by it.
            index: i64,
            /// The new part of the message (missing on Azure's filter-only choices).
            delta: Delta,
            /// Log probabilities of the new tokens: `{content, refusal}` lists.
            logprobs: Value,
            /// Why the choice stopped, once it has.
            finish_reason: FinishReason,
        }
    }
}

wire_object! {
    /// A `chat.completion.chunk`. Every field is optional: servers leave out `choices`
    /// (audio models, usage chunks), `id` (Azure's first chunk), and more.
    pub struct ChatChunk (append) {
        required {}
        optional {
            /// The completion's id.
            id: String,
            /// `chat.completion.chunk` (or, on some servers, `chat.completions.chunk`).
            object: String,
            /// Unix time.
            created: i64,
            /// The model.
            model: String,
            /// The backend's fingerprint.
            system_fingerprint: String,
            /// The tier that served it.
            service_tier: String,
            /// The choices this chunk adds to.
            choices: Vec<ChunkChoice>,
            /// Token usage (the last chunk, with `stream_options.include_usage`).
            usage: Value,
            /// Random padding.
            obfuscation: String,
        }
    }
}

/// What a Chat Completions stream carries.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ChatEvent {
    /// A chunk.
    Chunk(Box<ChatChunk>),
    /// `data: {"error": {...}}`: the server reports a failure mid-stream.
    Error(Box<ErrorObject>),
    /// `data: [DONE]`: the clean end.
    Done,
}

impl ChatEvent {
    /// Decodes an event's data. `position` only labels a decode error.
    pub fn decode(name: &str, data: &str, position: u64) -> Result<ChatEvent, DecodeError> {
        if data.trim() == "[DONE]" {
            return Ok(ChatEvent::Done);
        }
        let chunk: ChatChunk =
            serde_json::from_str(data).map_err(|err| DecodeError::new(name, position, &err))?;
        if chunk.choices.is_none() {
            if let Some(error) = chunk
                .extra
                .get("error")
                .and_then(super::decoder::error_object)
            {
                return Ok(ChatEvent::Error(Box::new(error)));
            }
        }
        Ok(ChatEvent::Chunk(Box::new(chunk)))
    }

    /// The text of choice 0's `delta.content`, if any.
    pub fn content(&self) -> Option<&str> {
        match self {
            ChatEvent::Chunk(chunk) => chunk
                .choices
                .as_ref()?
                .iter()
                .find(|c| c.index.unwrap_or(0) == 0)?
                .delta
                .as_ref()?
                .content
                .as_deref(),
            _ => None,
        }
    }
}
