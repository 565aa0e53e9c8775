//! The typed `Response`: what `into_response()` and the non-streamed calls return.
//!
//! Every field the API documents is typed; anything else (new fields, a server's extras, a
//! field sent with another type) is kept in `extra`, and serializing gives back exactly the
//! JSON it was read from (see `typed_object!`).

use serde_json::{Map, Number, Value};

use super::FunctionCall;

wire_enum! {
    /// A response's status.
    pub enum ResponseStatus {
        /// `queued` (background).
        Queued = "queued",
        /// `in_progress`.
        InProgress = "in_progress",
        /// `completed`.
        Completed = "completed",
        /// `failed`.
        Failed = "failed",
        /// `incomplete`.
        Incomplete = "incomplete",
        /// `cancelled`.
        Cancelled = "cancelled",
    }
}

typed_object! {
    /// A response of the Responses API.
    pub struct Response {
        /// `resp_...`.
        id: String,
        /// Always `response`.
        object: String,
        /// Unix seconds.
        created_at: Number,
        /// Unix seconds, once completed.
        completed_at: Number,
        /// Its status.
        status: ResponseStatus,
        /// Why it failed.
        error: ResponseError,
        /// Why it is incomplete.
        incomplete_details: IncompleteDetails,
        /// The model that answered.
        model: String,
        /// The output items, in order.
        output: Vec<OutputItem>,
        /// Token counts.
        usage: ResponseUsage,
        /// The system message of the request (text or items).
        instructions: Value,
        /// The request's metadata.
        metadata: Map<String, Value>,
        /// Whether tool calls may run in parallel.
        parallel_tool_calls: bool,
        /// Sampling temperature.
        temperature: Number,
        /// Nucleus sampling.
        top_p: Number,
        /// How the model chose tools.
        tool_choice: Value,
        /// The tools it could use.
        tools: Vec<Value>,
        /// Whether it ran in the background.
        background: bool,
        /// The conversation it belongs to.
        conversation: Value,
        /// Output token limit.
        max_output_tokens: u64,
        /// Tool call limit.
        max_tool_calls: u64,
        /// The response this one follows.
        previous_response_id: String,
        /// The prompt template used.
        prompt: Value,
        /// Prompt cache key.
        prompt_cache_key: String,
        /// Prompt cache retention.
        prompt_cache_retention: String,
        /// Reasoning configuration.
        reasoning: Value,
        /// End-user identifier for safety.
        safety_identifier: String,
        /// The service tier used.
        service_tier: String,
        /// Whether it is stored.
        store: bool,
        /// Text output configuration (`format`, `verbosity`).
        text: Value,
        /// Top log probabilities asked for.
        top_logprobs: u64,
        /// Truncation strategy.
        truncation: String,
        /// End-user identifier.
        user: String,
    }
}

impl Response {
    /// The response's id.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The response's status.
    pub fn status(&self) -> Option<&ResponseStatus> {
        self.status.as_ref()
    }

    /// The output items (none when the field is missing).
    pub fn output(&self) -> &[OutputItem] {
        self.output.as_deref().unwrap_or_default()
    }

    /// The reply's text: every `output_text` part of every message, in order (the SDKs'
    /// `output_text`).
    pub fn output_text(&self) -> String {
        let mut text = String::new();
        for item in self.output() {
            if let OutputItem::Message(message) = item {
                for part in message.content.iter().flatten() {
                    if let ContentPart::OutputText(part) = part {
                        text.push_str(part.text.as_deref().unwrap_or_default());
                    }
                }
            }
        }
        text
    }

    /// The text that structured output is parsed from, by openai-python's rule for
    /// `output_parsed`: the first `output_text` part of a message whose `phase` is absent or
    /// `final_answer` (a `commentary` message is not the answer).
    pub fn output_parsed_text(&self) -> Option<&str> {
        self.output().iter().find_map(|item| match item {
            OutputItem::Message(message)
                if message.phase.as_deref().is_none_or(|p| p == "final_answer") =>
            {
                message
                    .content
                    .iter()
                    .flatten()
                    .find_map(|part| match part {
                        ContentPart::OutputText(part) => part.text.as_deref(),
                        _ => None,
                    })
            }
            _ => None,
        })
    }

    /// The function calls the model asks for, in order.
    pub fn function_calls(&self) -> Vec<FunctionCall> {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        self.output()
            .iter()
            .filter_map(|item| match item {
                OutputItem::FunctionCall(call) => Some(FunctionCall {
                    call_id: text(&call.call_id),
                    name: text(&call.name),
                    arguments: text(&call.arguments),
                    item: call.to_value(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The response as JSON, exactly as read.
    pub fn into_value(self) -> Value {
        self.to_value()
    }
}

typed_object! {
    /// Why a response failed.
    pub struct ResponseError {
        /// e.g. `server_error`.
        code: String,
        /// What happened.
        message: String,
    }
}

typed_object! {
    /// Why a response is incomplete.
    pub struct IncompleteDetails {
        /// e.g. `max_output_tokens`, `content_filter`.
        reason: String,
    }
}

typed_object! {
    /// A response's token counts.
    pub struct ResponseUsage {
        /// Input tokens.
        input_tokens: u64,
        /// Their breakdown (`cached_tokens`, ...).
        input_tokens_details: Map<String, Value>,
        /// Output tokens.
        output_tokens: u64,
        /// Their breakdown (`reasoning_tokens`, ...).
        output_tokens_details: Map<String, Value>,
        /// Both.
        total_tokens: u64,
    }
}

typed_union! {
    /// An output item, by its `type`: every item type openai-python 3.57 documents.
    pub enum OutputItem {
        /// `message`: the assistant's text or refusal.
        Message(OutputMessage) = "message",
        /// `function_call`: a call of the user's function.
        FunctionCall(FunctionToolCall) = "function_call",
        /// `function_call_output`.
        FunctionCallOutput(ToolItem) = "function_call_output",
        /// `reasoning`: summaries and reasoning text.
        Reasoning(ReasoningItem) = "reasoning",
        /// `file_search_call`.
        FileSearchCall(ToolItem) = "file_search_call",
        /// `web_search_call`.
        WebSearchCall(ToolItem) = "web_search_call",
        /// `computer_call`.
        ComputerCall(ToolItem) = "computer_call",
        /// `computer_call_output`.
        ComputerCallOutput(ToolItem) = "computer_call_output",
        /// `program`.
        Program(ToolItem) = "program",
        /// `program_output`.
        ProgramOutput(ToolItem) = "program_output",
        /// `tool_search_call`.
        ToolSearchCall(ToolItem) = "tool_search_call",
        /// `tool_search_output`.
        ToolSearchOutput(ToolItem) = "tool_search_output",
        /// `additional_tools`.
        AdditionalTools(ToolItem) = "additional_tools",
        /// `compaction`.
        Compaction(ToolItem) = "compaction",
        /// `image_generation_call`.
        ImageGenerationCall(ToolItem) = "image_generation_call",
        /// `code_interpreter_call`.
        CodeInterpreterCall(ToolItem) = "code_interpreter_call",
        /// `local_shell_call`.
        LocalShellCall(ToolItem) = "local_shell_call",
        /// `local_shell_call_output`.
        LocalShellCallOutput(ToolItem) = "local_shell_call_output",
        /// `shell_call`.
        ShellCall(ToolItem) = "shell_call",
        /// `shell_call_output`.
        ShellCallOutput(ToolItem) = "shell_call_output",
        /// `apply_patch_call`.
        ApplyPatchCall(ToolItem) = "apply_patch_call",
        /// `apply_patch_call_output`.
        ApplyPatchCallOutput(ToolItem) = "apply_patch_call_output",
        /// `mcp_call`.
        McpCall(ToolItem) = "mcp_call",
        /// `mcp_list_tools`.
        McpListTools(ToolItem) = "mcp_list_tools",
        /// `mcp_approval_request`.
        McpApprovalRequest(ToolItem) = "mcp_approval_request",
        /// `mcp_approval_response`.
        McpApprovalResponse(ToolItem) = "mcp_approval_response",
        /// `custom_tool_call`.
        CustomToolCall(ToolItem) = "custom_tool_call",
        /// `custom_tool_call_output`.
        CustomToolCallOutput(ToolItem) = "custom_tool_call_output",
    }
}

typed_object! {
    /// A `message` output item.
    pub struct OutputMessage {
        /// `msg_...`.
        id: String,
        /// Always `message`.
        kind as "type": String,
        /// Always `assistant`.
        role: String,
        /// `in_progress`, `completed`, `incomplete`.
        status: String,
        /// `commentary` or `final_answer`, where the model says.
        phase: String,
        /// Its text and refusal parts.
        content: Vec<ContentPart>,
    }
}

typed_union! {
    /// A part of a message's content.
    pub enum ContentPart {
        /// `output_text`.
        OutputText(OutputText) = "output_text",
        /// `refusal`.
        Refusal(Refusal) = "refusal",
    }
}

typed_object! {
    /// An `output_text` part.
    pub struct OutputText {
        /// Always `output_text`.
        kind as "type": String,
        /// The text.
        text: String,
        /// Citations and file paths in it.
        annotations: Vec<Value>,
        /// Token log probabilities, when asked for.
        logprobs: Vec<Value>,
    }
}

typed_object! {
    /// A `refusal` part.
    pub struct Refusal {
        /// Always `refusal`.
        kind as "type": String,
        /// Why the model refused.
        refusal: String,
    }
}

typed_object! {
    /// A `function_call` output item.
    pub struct FunctionToolCall {
        /// `fc_...`.
        id: String,
        /// Always `function_call`.
        kind as "type": String,
        /// The id its output goes back with.
        call_id: String,
        /// The function's name.
        name: String,
        /// Its arguments, as the JSON text the model wrote.
        arguments: String,
        /// The function's namespace, if any.
        namespace: String,
        /// `in_progress`, `completed`, `incomplete`.
        status: String,
    }
}

typed_object! {
    /// A `reasoning` output item.
    pub struct ReasoningItem {
        /// `rs_...`.
        id: String,
        /// Always `reasoning`.
        kind as "type": String,
        /// Summary parts (`summary_text`).
        summary: Vec<Value>,
        /// Reasoning text parts (`reasoning_text`).
        content: Vec<Value>,
        /// The reasoning, encrypted, to pass back.
        encrypted_content: String,
        /// `in_progress`, `completed`, `incomplete`.
        status: String,
    }
}

typed_object! {
    /// Any other output item: its common fields typed, the rest in `extra`.
    pub struct ToolItem {
        /// The item's id.
        id: String,
        /// Its type.
        kind as "type": String,
        /// The call it belongs to.
        call_id: String,
        /// Its status.
        status: String,
        /// The tool's name (MCP, custom tools).
        name: String,
        /// Its output (call outputs).
        output: Value,
    }
}
