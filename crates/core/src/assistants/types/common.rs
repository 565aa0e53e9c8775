//! Small shapes shared by several objects: usage, errors, tools, list pages.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

wire_object! {
    /// Token counts of a run or a run step.
    pub struct Usage (append) {
        required {}
        optional {
            /// Tokens in the prompt.
            prompt_tokens: u64,
            /// Tokens generated.
            completion_tokens: u64,
            /// Both.
            total_tokens: u64,
        }
    }
}

wire_object! {
    /// Why a run or step failed: `{code, message}`.
    pub struct LastError (append) {
        required {}
        optional {
            /// e.g. `server_error`, `rate_limit_exceeded`.
            code: String,
            /// Human-readable description.
            message: String,
        }
    }
}

wire_object! {
    /// Why a run or message ended incomplete: `{reason}`.
    pub struct IncompleteDetails (append) {
        required {}
        optional {
            /// e.g. `max_completion_tokens`, `max_prompt_tokens`.
            reason: String,
        }
    }
}

wire_enum! {
    /// The type of a tool an assistant or run can use.
    pub enum ToolType {
        /// `code_interpreter`.
        CodeInterpreter = "code_interpreter",
        /// `file_search`.
        FileSearch = "file_search",
        /// `function`.
        Function = "function",
    }
}

wire_object! {
    /// A tool an assistant or run can use.
    pub struct Tool (append) {
        required {}
        optional {
            /// Its type.
            kind as "type": ToolType,
            /// For `function` tools: the function's name, description and JSON schema.
            function: FunctionDefinition,
            /// For `file_search` tools: their options, as sent.
            file_search: Value,
        }
    }
}

wire_object! {
    /// A function a model may call.
    pub struct FunctionDefinition (append) {
        required {}
        optional {
            /// The function's name.
            name: String,
            /// What it does.
            description: String,
            /// Its parameters, as a JSON schema.
            parameters: Value,
            /// Whether the model must follow the schema exactly.
            strict: bool,
        }
    }
}

/// Free-form key-value pairs attached to an object.
pub type Metadata = Map<String, Value>;

/// A page of a list endpoint: `{object: "list", data, first_id, last_id, has_more}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListPage<T> {
    /// Always `list`.
    #[serde(default)]
    pub object: String,
    /// The objects of this page.
    pub data: Vec<T>,
    /// The first object's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_id: Option<String>,
    /// The last object's id: pass it as `after` to get the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_id: Option<String>,
    /// Whether more objects follow.
    #[serde(default)]
    pub has_more: bool,
}
