//! The typed `ChatCompletion`: what `into_completion()` and the non-streamed `create` return.
//!
//! Every field the API documents is typed; anything else (Azure's filter results, a server's
//! reasoning fields, a field sent with another type) is kept in `extra`, and serializing gives
//! back exactly the JSON it was read from (see `typed_object!`).

use serde_json::{Map, Number, Value};

use super::FinishReason;

typed_object! {
    /// A chat completion.
    pub struct ChatCompletion {
        /// `chatcmpl-...`.
        id: String,
        /// Always `chat.completion`.
        object: String,
        /// Unix seconds.
        created: i64,
        /// The model that answered.
        model: String,
        /// The choices, by index.
        choices: Vec<Choice>,
        /// Token counts.
        usage: CompletionUsage,
        /// The backend configuration's fingerprint.
        system_fingerprint: String,
        /// The service tier used.
        service_tier: String,
    }
}

impl ChatCompletion {
    /// The choices (none when the field is missing).
    pub fn choices(&self) -> &[Choice] {
        self.choices.as_deref().unwrap_or_default()
    }

    /// The choice with this index.
    pub fn choice(&self, index: u64) -> Option<&Choice> {
        self.choices().iter().find(|c| c.index == Some(index))
    }

    /// Choice 0's message text.
    pub fn content(&self) -> Option<&str> {
        self.choice(0)?.message.as_ref()?.content.as_deref()
    }

    /// Choice 0's tool calls.
    pub fn tool_calls(&self) -> &[ToolCall] {
        self.choice(0)
            .and_then(|c| c.message.as_ref())
            .and_then(|m| m.tool_calls.as_deref())
            .unwrap_or_default()
    }

    /// The completion as JSON, exactly as read.
    pub fn into_value(self) -> Value {
        self.to_value()
    }
}

typed_object! {
    /// One choice of a completion.
    pub struct Choice {
        /// Its index.
        index: u64,
        /// The message.
        message: Message,
        /// Why it ended: `stop`, `length`, `tool_calls`, `content_filter`, ...
        finish_reason: FinishReason,
        /// Token log probabilities, when asked for.
        logprobs: Logprobs,
    }
}

typed_object! {
    /// The assistant's message of a choice.
    pub struct Message {
        /// Always `assistant`.
        role: String,
        /// Its text.
        content: String,
        /// Why the model refused, if it did.
        refusal: String,
        /// The tools it calls.
        tool_calls: Vec<ToolCall>,
        /// The audio it spoke.
        audio: Audio,
        /// The deprecated single function call.
        function_call: FunctionCall,
        /// URL citations.
        annotations: Vec<Value>,
    }
}

typed_object! {
    /// A tool call of a message.
    pub struct ToolCall {
        /// `call_...`: the `tool` message's `tool_call_id`.
        id: String,
        /// `function` (or `custom`).
        kind as "type": String,
        /// The function called.
        function: FunctionCall,
    }
}

typed_object! {
    /// A function's name and arguments.
    pub struct FunctionCall {
        /// The function's name.
        name: String,
        /// Its arguments, as the JSON text the model wrote.
        arguments: String,
    }
}

typed_object! {
    /// A message's audio.
    pub struct Audio {
        /// `audio_...`.
        id: String,
        /// The audio, base64.
        data: String,
        /// What it says.
        transcript: String,
        /// Unix seconds after which `id` is gone.
        expires_at: i64,
    }
}

typed_object! {
    /// A choice's log probabilities.
    pub struct Logprobs {
        /// Of the content's tokens.
        content: Vec<TokenLogprob>,
        /// Of the refusal's tokens.
        refusal: Vec<TokenLogprob>,
    }
}

typed_object! {
    /// A token's log probability.
    pub struct TokenLogprob {
        /// The token.
        token: String,
        /// Its log probability.
        logprob: Number,
        /// Its UTF-8 bytes.
        bytes: Vec<u8>,
        /// The most likely tokens in its place.
        top_logprobs: Vec<Map<String, Value>>,
    }
}

typed_object! {
    /// A completion's token counts.
    pub struct CompletionUsage {
        /// Tokens in the prompt.
        prompt_tokens: u64,
        /// Tokens generated.
        completion_tokens: u64,
        /// Both.
        total_tokens: u64,
        /// The prompt's breakdown (`cached_tokens`, ...).
        prompt_tokens_details: Map<String, Value>,
        /// The completion's breakdown (`reasoning_tokens`, ...).
        completion_tokens_details: Map<String, Value>,
    }
}
