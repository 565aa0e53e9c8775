//! Threads and assistants.

use serde_json::Value;

use super::{Metadata, Tool};

wire_object! {
    /// A conversation thread.
    pub struct Thread (append) {
        required {
            /// `thread_...`.
            id: String,
            /// Always `thread`.
            object: String,
            /// Unix time (seconds; Astra sends milliseconds).
            created_at: i64,
        }
        optional {
            /// Key-value pairs.
            metadata: Metadata,
            /// Files available to the thread's tools, as sent.
            tool_resources: Value,
        }
    }
}

wire_object! {
    /// An assistant: a model with instructions and tools.
    pub struct Assistant (append) {
        required {
            /// `asst_...`.
            id: String,
            /// Always `assistant`.
            object: String,
            /// Unix time.
            created_at: i64,
        }
        optional {
            /// Its name.
            name: String,
            /// Its description.
            description: String,
            /// The model it uses.
            model: String,
            /// Its system instructions.
            instructions: String,
            /// The tools it may call.
            tools: Vec<Tool>,
            /// Files available to its tools, as sent.
            tool_resources: Value,
            /// Key-value pairs.
            metadata: Metadata,
            /// Sampling temperature.
            temperature: f64,
            /// Nucleus sampling.
            top_p: f64,
            /// `auto` or a format object, as sent.
            response_format: Value,
        }
    }
}
