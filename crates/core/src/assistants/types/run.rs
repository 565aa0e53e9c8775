//! Runs: an assistant working on a thread.

use serde_json::Value;

use super::{IncompleteDetails, LastError, Metadata, Tool, Usage};

wire_enum! {
    /// A run's status.
    pub enum RunStatus {
        /// `queued`.
        Queued = "queued",
        /// `in_progress`.
        InProgress = "in_progress",
        /// `requires_action`: tool outputs must be submitted.
        RequiresAction = "requires_action",
        /// `cancelling`.
        Cancelling = "cancelling",
        /// `cancelled`.
        Cancelled = "cancelled",
        /// `failed`: see `last_error`.
        Failed = "failed",
        /// `completed`.
        Completed = "completed",
        /// `incomplete`: see `incomplete_details`.
        Incomplete = "incomplete",
        /// `expired`.
        Expired = "expired",
        /// `generating`: Astra's status while tokens are produced (its legacy stream).
        Generating = "generating",
    }
}

impl RunStatus {
    /// Whether the run has stopped: nothing more will stream for it without a new call
    /// (`requires_action` included: it waits for tool outputs).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            RunStatus::RequiresAction
                | RunStatus::Cancelled
                | RunStatus::Failed
                | RunStatus::Completed
                | RunStatus::Incomplete
                | RunStatus::Expired
        )
    }
}

wire_object! {
    /// A run.
    pub struct Run (append) {
        required {
            /// `run_...`.
            id: String,
            /// Always `thread.run`.
            object: String,
            /// Unix time.
            created_at: i64,
            /// The thread it runs on.
            thread_id: String,
            /// The assistant it runs.
            assistant_id: String,
            /// Its status.
            status: RunStatus,
        }
        optional {
            /// What the run waits for when `requires_action`.
            required_action: RequiredAction,
            /// Why it failed.
            last_error: LastError,
            /// When it expires.
            expires_at: i64,
            /// When it started.
            started_at: i64,
            /// When it was cancelled.
            cancelled_at: i64,
            /// When it failed.
            failed_at: i64,
            /// When it completed.
            completed_at: i64,
            /// Why it is incomplete.
            incomplete_details: IncompleteDetails,
            /// The model used.
            model: String,
            /// The instructions used.
            instructions: String,
            /// The tools available.
            tools: Vec<Tool>,
            /// Files available to the tools, as sent.
            tool_resources: Value,
            /// Key-value pairs.
            metadata: Metadata,
            /// Tokens used, once it has ended.
            usage: Usage,
            /// Sampling temperature.
            temperature: f64,
            /// Nucleus sampling.
            top_p: f64,
            /// Prompt token budget.
            max_prompt_tokens: u64,
            /// Completion token budget.
            max_completion_tokens: u64,
            /// How the thread is truncated for the model.
            truncation_strategy: TruncationStrategy,
            /// `none`, `auto`, `required` or a tool object, as sent.
            tool_choice: Value,
            /// Whether tools may be called in parallel.
            parallel_tool_calls: bool,
            /// `auto` or a format object, as sent.
            response_format: Value,
        }
    }
}

impl Run {
    /// The tool calls the run waits for, when it `requires_action`.
    pub fn pending_tool_calls(&self) -> &[RequiredToolCall] {
        self.required_action
            .as_ref()
            .and_then(|a| a.submit_tool_outputs.as_ref())
            .and_then(|s| s.tool_calls.as_deref())
            .unwrap_or_default()
    }
}

wire_object! {
    /// How the thread is truncated for the model.
    pub struct TruncationStrategy (append) {
        required {}
        optional {
            /// `auto` or `last_messages`.
            kind as "type": String,
            /// How many messages are kept, for `last_messages`.
            last_messages: u64,
        }
    }
}

wire_object! {
    /// What a `requires_action` run waits for.
    pub struct RequiredAction (append) {
        required {}
        optional {
            /// Always `submit_tool_outputs`.
            kind as "type": String,
            /// The calls to answer.
            submit_tool_outputs: SubmitToolOutputs,
        }
    }
}

wire_object! {
    /// The calls a run waits for.
    pub struct SubmitToolOutputs (append) {
        required {}
        optional {
            /// One per call; answer each by its `id`.
            tool_calls: Vec<RequiredToolCall>,
        }
    }
}

wire_object! {
    /// A function call the run waits for.
    pub struct RequiredToolCall (append) {
        required {
            /// The id to answer with (`tool_call_id`).
            id: String,
        }
        optional {
            /// Always `function`.
            kind as "type": String,
            /// The function and its arguments.
            function: FunctionCall,
        }
    }
}

wire_object! {
    /// A function called with arguments (a JSON string).
    pub struct FunctionCall (append) {
        required {}
        optional {
            /// The function's name.
            name: String,
            /// Its arguments, as a JSON string.
            arguments: String,
        }
    }
}
