//! `ResponseEvent`: one event of a Responses stream, dispatched on its JSON `type`.

use serde_json::Value;

use crate::wire::protocol::DecodeError;
use crate::wire::ErrorObject;

wire_enum! {
    /// The `type` of a Responses stream event: the 59 the official SDKs know, `keepalive`, the
    /// WebSocket mode's 3 steering acknowledgements, and
    /// any other kept as `Unknown` (never an error: new types appear every few months).
    pub enum EventType {
        /// `response.created`: the snapshot starts from its `response`.
        Created = "response.created",
        /// `response.queued` (background responses).
        Queued = "response.queued",
        /// `response.in_progress`.
        InProgress = "response.in_progress",
        /// `response.completed`: the stream is over.
        Completed = "response.completed",
        /// `response.failed`: the stream is over.
        Failed = "response.failed",
        /// `response.incomplete`: the stream is over.
        Incomplete = "response.incomplete",
        /// `response.output_item.added`.
        OutputItemAdded = "response.output_item.added",
        /// `response.output_item.done`.
        OutputItemDone = "response.output_item.done",
        /// `response.content_part.added`.
        ContentPartAdded = "response.content_part.added",
        /// `response.content_part.done`.
        ContentPartDone = "response.content_part.done",
        /// `response.output_text.delta`: the hot path.
        OutputTextDelta = "response.output_text.delta",
        /// `response.output_text.done`.
        OutputTextDone = "response.output_text.done",
        /// `response.output_text.annotation.added`.
        OutputTextAnnotationAdded = "response.output_text.annotation.added",
        /// `response.refusal.delta`.
        RefusalDelta = "response.refusal.delta",
        /// `response.refusal.done`.
        RefusalDone = "response.refusal.done",
        /// `response.function_call_arguments.delta`.
        FunctionCallArgumentsDelta = "response.function_call_arguments.delta",
        /// `response.function_call_arguments.done`.
        FunctionCallArgumentsDone = "response.function_call_arguments.done",
        /// `response.custom_tool_call_input.delta`.
        CustomToolCallInputDelta = "response.custom_tool_call_input.delta",
        /// `response.custom_tool_call_input.done`.
        CustomToolCallInputDone = "response.custom_tool_call_input.done",
        /// `response.mcp_call_arguments.delta`.
        McpCallArgumentsDelta = "response.mcp_call_arguments.delta",
        /// `response.mcp_call_arguments.done`.
        McpCallArgumentsDone = "response.mcp_call_arguments.done",
        /// `response.reasoning_text.delta`.
        ReasoningTextDelta = "response.reasoning_text.delta",
        /// `response.reasoning_text.done`.
        ReasoningTextDone = "response.reasoning_text.done",
        /// `response.reasoning_summary_part.added`.
        ReasoningSummaryPartAdded = "response.reasoning_summary_part.added",
        /// `response.reasoning_summary_part.done`.
        ReasoningSummaryPartDone = "response.reasoning_summary_part.done",
        /// `response.reasoning_summary_text.delta`.
        ReasoningSummaryTextDelta = "response.reasoning_summary_text.delta",
        /// `response.reasoning_summary_text.done`.
        ReasoningSummaryTextDone = "response.reasoning_summary_text.done",
        /// `response.code_interpreter_call_code.delta`.
        CodeInterpreterCallCodeDelta = "response.code_interpreter_call_code.delta",
        /// `response.code_interpreter_call_code.done`.
        CodeInterpreterCallCodeDone = "response.code_interpreter_call_code.done",
        /// `response.code_interpreter_call.in_progress`.
        CodeInterpreterCallInProgress = "response.code_interpreter_call.in_progress",
        /// `response.code_interpreter_call.interpreting`.
        CodeInterpreterCallInterpreting = "response.code_interpreter_call.interpreting",
        /// `response.code_interpreter_call.completed`.
        CodeInterpreterCallCompleted = "response.code_interpreter_call.completed",
        /// `response.file_search_call.in_progress`.
        FileSearchCallInProgress = "response.file_search_call.in_progress",
        /// `response.file_search_call.searching`.
        FileSearchCallSearching = "response.file_search_call.searching",
        /// `response.file_search_call.completed`.
        FileSearchCallCompleted = "response.file_search_call.completed",
        /// `response.web_search_call.in_progress`.
        WebSearchCallInProgress = "response.web_search_call.in_progress",
        /// `response.web_search_call.searching`.
        WebSearchCallSearching = "response.web_search_call.searching",
        /// `response.web_search_call.completed`.
        WebSearchCallCompleted = "response.web_search_call.completed",
        /// `response.image_generation_call.in_progress`.
        ImageGenerationCallInProgress = "response.image_generation_call.in_progress",
        /// `response.image_generation_call.generating`.
        ImageGenerationCallGenerating = "response.image_generation_call.generating",
        /// `response.image_generation_call.completed`.
        ImageGenerationCallCompleted = "response.image_generation_call.completed",
        /// `response.image_generation_call.partial_image`.
        ImageGenerationCallPartialImage = "response.image_generation_call.partial_image",
        /// `response.mcp_call.in_progress`.
        McpCallInProgress = "response.mcp_call.in_progress",
        /// `response.mcp_call.completed`.
        McpCallCompleted = "response.mcp_call.completed",
        /// `response.mcp_call.failed`.
        McpCallFailed = "response.mcp_call.failed",
        /// `response.mcp_list_tools.in_progress`.
        McpListToolsInProgress = "response.mcp_list_tools.in_progress",
        /// `response.mcp_list_tools.completed`.
        McpListToolsCompleted = "response.mcp_list_tools.completed",
        /// `response.mcp_list_tools.failed`.
        McpListToolsFailed = "response.mcp_list_tools.failed",
        /// `response.shell_call_command.added`.
        ShellCallCommandAdded = "response.shell_call_command.added",
        /// `response.shell_call_command.delta`.
        ShellCallCommandDelta = "response.shell_call_command.delta",
        /// `response.shell_call_command.done`.
        ShellCallCommandDone = "response.shell_call_command.done",
        /// `response.shell_call_output_content.delta`.
        ShellCallOutputContentDelta = "response.shell_call_output_content.delta",
        /// `response.shell_call_output_content.done`.
        ShellCallOutputContentDone = "response.shell_call_output_content.done",
        /// `response.audio.delta`.
        AudioDelta = "response.audio.delta",
        /// `response.audio.done`.
        AudioDone = "response.audio.done",
        /// `response.audio.transcript.delta`.
        AudioTranscriptDelta = "response.audio.transcript.delta",
        /// `response.audio.transcript.done`.
        AudioTranscriptDone = "response.audio.transcript.done",
        /// `response.compaction.compacting`.
        CompactionCompacting = "response.compaction.compacting",
        /// `error`: flat `{code, message, param}` as documented, or nested `{error: {...}}` as
        /// sent.
        Error = "error",
        /// `keepalive`: changes nothing.
        Keepalive = "keepalive",
        /// `response.steer.accepted` (WebSocket mode): steering input was queued.
        SteerAccepted = "response.steer.accepted",
        /// `response.steer.pending` (WebSocket mode): queued steering waits for tool outputs.
        SteerPending = "response.steer.pending",
        /// `response.steer.failed` (WebSocket mode): steering input could not be committed.
        SteerFailed = "response.steer.failed",
    }
}

impl EventType {
    /// Whether the stream is over after this event: a terminal lifecycle event or `error`.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            EventType::Completed | EventType::Failed | EventType::Incomplete | EventType::Error
        )
    }

    /// Whether the event carries a whole `response` (the lifecycle events).
    pub fn is_lifecycle(&self) -> bool {
        matches!(
            self,
            EventType::Created
                | EventType::Queued
                | EventType::InProgress
                | EventType::Completed
                | EventType::Failed
                | EventType::Incomplete
        )
    }
}

wire_object! {
    /// One event of a Responses stream. Its `type` says which of the fields are set; each is
    /// typed where its shape is fixed and kept as JSON where it is a whole object of the API
    /// (a response, an output item, a content part, an annotation). Fields this version does
    /// not know are kept in `extra` and written back.
    pub struct ResponseEvent (append) {
        required {
            /// The event's type (the JSON `type`, not the SSE `event:` line).
            kind as "type": EventType,
        }
        optional {
            /// 0 for the first event, one more per event.
            sequence_number: u64,
            /// The output item the event is about.
            output_index: u64,
            /// The content part, within the item.
            content_index: u64,
            /// The reasoning summary part, within the item.
            summary_index: u64,
            /// The annotation, within the content part.
            annotation_index: u64,
            /// The shell command, within the call.
            command_index: u64,
            /// The output item's id.
            item_id: String,
            /// The whole response (lifecycle events).
            response: Value,
            /// The whole output item (`output_item.*`).
            item: Value,
            /// The whole content or summary part (`content_part.*`, `reasoning_summary_part.*`).
            part: Value,
            /// The new piece: a string, or (shell output) an object.
            delta: Value,
            /// The final text (`.done` of output text, reasoning text and summaries).
            text: String,
            /// The final refusal.
            refusal: String,
            /// The final arguments of a function or MCP call.
            arguments: String,
            /// The final input of a custom tool call.
            input: String,
            /// The final code of a code interpreter call; a flat `error`'s code.
            code: String,
            /// The annotation added.
            annotation: Value,
            /// Log probabilities of the output text.
            logprobs: Value,
            /// A shell command (`shell_call_command.added`/`.done`).
            command: String,
            /// Shell output (`shell_call_output_content.done`).
            output: Value,
            /// The error, nested as the service sends it.
            error: ErrorObject,
            /// A flat `error`'s message.
            message: String,
            /// A flat `error`'s parameter.
            param: String,
            /// Random padding the service adds to delta events.
            obfuscation: String,
            /// WebSocket mode: the lane (the `stream_id` its `response.create` named).
            stream_id: String,
            /// WebSocket mode: an `error`'s HTTP status (a number); `reasoning_summary_part.done`:
            /// `"incomplete"` when generation was interrupted.
            status: Value,
            /// WebSocket mode: the steering submission (`response.steer.*`).
            steer: Value,
            /// WebSocket mode: why steering is pending (`response.steer.pending`).
            reason: String,
            /// WebSocket mode: the inputs pending steering waits for (`response.steer.pending`).
            required_input: Value,
        }
    }
}

impl ResponseEvent {
    /// Decodes an event's data, dispatching on its JSON `type`. `position` (the event's index
    /// in the stream) and `name` (its SSE `event:` line) only label a decode error.
    pub fn decode(name: &str, data: &str, position: u64) -> Result<ResponseEvent, DecodeError> {
        serde_json::from_str(data).map_err(|err| DecodeError::new(name, position, &err))
    }

    /// The new text of a string `delta` (text, refusal, arguments, reasoning, code...).
    pub fn delta_str(&self) -> Option<&str> {
        self.delta.as_ref().and_then(Value::as_str)
    }

    /// The reply's new text: the `delta` of a `response.output_text.delta`.
    pub fn output_text_delta(&self) -> Option<&str> {
        (self.kind == EventType::OutputTextDelta)
            .then(|| self.delta_str())
            .flatten()
    }

    /// The error an `error` event reports, nested (as the service sends it) or flat (as
    /// documented).
    pub fn error_object(&self) -> Option<ErrorObject> {
        if self.kind != EventType::Error {
            return None;
        }
        if let Some(nested) = &self.error {
            return Some(nested.clone());
        }
        let mut flat = ErrorObject::default();
        flat.message.clone_from(&self.message);
        flat.code.clone_from(&self.code);
        flat.param.clone_from(&self.param);
        Some(flat)
    }
}
