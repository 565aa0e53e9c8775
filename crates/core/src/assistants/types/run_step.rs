//! Run steps (message creation, tool calls) and their deltas.

use serde_json::Value;

use super::{DeltaObject, LastError, Metadata, Usage};

wire_enum! {
    /// A run step's type.
    pub enum RunStepType {
        /// `message_creation`.
        MessageCreation = "message_creation",
        /// `tool_calls`.
        ToolCalls = "tool_calls",
    }
}

wire_enum! {
    /// A run step's status.
    pub enum RunStepStatus {
        /// `in_progress`.
        InProgress = "in_progress",
        /// `cancelled`.
        Cancelled = "cancelled",
        /// `failed`.
        Failed = "failed",
        /// `completed`.
        Completed = "completed",
        /// `expired`.
        Expired = "expired",
    }
}

wire_object! {
    /// A step of a run.
    pub struct RunStep (append) {
        required {
            /// `step_...`.
            id: String,
            /// Always `thread.run.step`.
            object: String,
            /// Unix time.
            created_at: i64,
            /// The run it belongs to.
            run_id: String,
            /// The assistant of the run.
            assistant_id: String,
            /// The thread of the run.
            thread_id: String,
            /// Its type.
            kind as "type": RunStepType,
            /// Its status.
            status: RunStepStatus,
        }
        optional {
            /// What it does.
            step_details: StepDetails,
            /// Why it failed.
            last_error: LastError,
            /// When it expired.
            expired_at: i64,
            /// When it was cancelled.
            cancelled_at: i64,
            /// When it failed.
            failed_at: i64,
            /// When it completed.
            completed_at: i64,
            /// Key-value pairs.
            metadata: Metadata,
            /// Tokens used.
            usage: Usage,
        }
    }
}

wire_enum! {
    /// The type of a step's details.
    pub enum StepDetailsType {
        /// `message_creation`.
        MessageCreation = "message_creation",
        /// `tool_calls`.
        ToolCalls = "tool_calls",
    }
}

wire_object! {
    /// What a step does (in a snapshot or a delta).
    pub struct StepDetails (append) {
        required {}
        optional {
            /// Which payload is set.
            kind as "type": StepDetailsType,
            /// The message the step creates.
            message_creation: MessageCreation,
            /// The tool calls the step makes.
            tool_calls: Vec<ToolCall>,
        }
    }
}

wire_object! {
    /// The message a step creates.
    pub struct MessageCreation (append) {
        required {}
        optional {
            /// Its id.
            message_id: String,
        }
    }
}

wire_enum! {
    /// The type of a tool call.
    pub enum ToolCallType {
        /// `code_interpreter`.
        CodeInterpreter = "code_interpreter",
        /// `file_search`.
        FileSearch = "file_search",
        /// `function`.
        Function = "function",
    }
}

wire_object! {
    /// A tool call of a step (in a snapshot or a delta).
    pub struct ToolCall (indexed) {
        required {}
        optional {
            /// Its position (deltas only).
            index: i64,
            /// `call_...`.
            id: String,
            /// Which payload is set.
            kind as "type": ToolCallType,
            /// Code run by the code interpreter, and what it printed or drew.
            code_interpreter: CodeInterpreterCall,
            /// A file search, as sent (ranking options, results).
            file_search: Value,
            /// A function call, and its output once submitted.
            function: FunctionToolCall,
        }
    }
}

wire_object! {
    /// A function call in a step.
    pub struct FunctionToolCall (append) {
        required {}
        optional {
            /// The function's name.
            name: String,
            /// Its arguments, a JSON string (streamed in pieces).
            arguments: String,
            /// The output submitted for it.
            output: String,
        }
    }
}

wire_object! {
    /// A code interpreter call.
    pub struct CodeInterpreterCall (append) {
        required {}
        optional {
            /// The code (streamed in pieces).
            input: String,
            /// What it printed or drew.
            outputs: Vec<CodeInterpreterOutput>,
        }
    }
}

wire_enum! {
    /// The type of a code interpreter output.
    pub enum CodeInterpreterOutputType {
        /// `logs`.
        Logs = "logs",
        /// `image`.
        Image = "image",
    }
}

wire_object! {
    /// One output of a code interpreter call.
    pub struct CodeInterpreterOutput (indexed) {
        required {}
        optional {
            /// Its position (deltas only).
            index: i64,
            /// Which payload is set.
            kind as "type": CodeInterpreterOutputType,
            /// Printed text.
            logs: String,
            /// A drawn image.
            image: ImageOutput,
        }
    }
}

wire_object! {
    /// An image file a tool produced.
    pub struct ImageOutput (append) {
        required {}
        optional {
            /// The file's id.
            file_id: String,
        }
    }
}

wire_object! {
    /// The data of a `thread.run.step.delta` event.
    pub struct RunStepDelta (append) {
        required {
            /// The step's id.
            id: String,
            /// Always `thread.run.step.delta`.
            object: DeltaObject,
            /// What changed.
            delta: RunStepDeltaBody,
        }
        optional {}
    }
}

wire_object! {
    /// What a run step delta changes.
    pub struct RunStepDeltaBody (append) {
        required {}
        optional {
            /// Step details fragments.
            step_details: StepDetails,
        }
    }
}
