//! Wire types of the Assistants API, as `serde` types.
//!
//! Decoding is tolerant: unknown fields are kept in each object's `extra` map (and written back
//! when serialized), unknown enum values decode to an `Unknown` variant holding the string,
//! absent or null required fields take their default. Serializing a decoded object gives back
//! the fields it had (nulls dropped). Content parts, annotations, tool calls and step details
//! are flat structs whose `kind` says which payload is set, so that one type serves snapshots
//! and deltas, merged by the rules in [`merge`].

mod common;
mod message;
mod run;
mod run_step;
mod thread;

pub use crate::wire::{merge, ErrorObject, Extra};
pub use common::{
    FunctionDefinition, IncompleteDetails, LastError, ListPage, Metadata, Tool, ToolType, Usage,
};
pub use message::{
    Annotation, AnnotationType, ContentType, DeltaObject, FileCitation, FilePath, ImageFile,
    ImageUrl, Message, MessageContent, MessageDelta, MessageDeltaBody, MessageStatus, Role, Text,
};
pub use run::{
    FunctionCall, RequiredAction, RequiredToolCall, Run, RunStatus, SubmitToolOutputs,
    TruncationStrategy,
};
pub use run_step::{
    CodeInterpreterCall, CodeInterpreterOutput, CodeInterpreterOutputType, FunctionToolCall,
    ImageOutput, MessageCreation, RunStep, RunStepDelta, RunStepDeltaBody, RunStepStatus,
    RunStepType, StepDetails, StepDetailsType, ToolCall, ToolCallType,
};
pub use thread::{Assistant, Thread};
