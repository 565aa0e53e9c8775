//! The closed choices of the command line (`--api`, `--transport`, `--dialect`), as
//! `clap::ValueEnum`s: `--help` lists their values and a typo is a usage error (exit 2).

use clap::ValueEnum;
use streaming_assistants_testserver::Dialect;

/// Which of the three APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Api {
    /// The Assistants API: a run of an assistant on a thread.
    Assistants,
    /// The Responses API.
    Responses,
    /// Chat Completions.
    Chat,
}

/// Which client carries the requests; both print the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Transport {
    /// The blocking client (ureq).
    Sync,
    /// The async client (reqwest + tokio).
    Async,
}

/// How the test server bends the wire, as that server does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DialectArg {
    /// OpenAI's own format.
    Openai,
    /// DataStax Astra (Assistants: wrapped framing with no `done`, the legacy `generating`
    /// flow and message stream, no `OpenAI-Beta` required).
    Astra,
    /// Azure OpenAI's Chat Completions.
    Azure,
    /// Gemini's compatibility layer (Chat Completions).
    Gemini,
    /// Ollama (Chat Completions).
    Ollama,
    /// vLLM (Chat Completions).
    Vllm,
    /// llama.cpp's server (Chat Completions).
    Llamacpp,
}

impl From<DialectArg> for Dialect {
    fn from(arg: DialectArg) -> Dialect {
        match arg {
            DialectArg::Openai => Dialect::OpenAi,
            DialectArg::Astra => Dialect::Astra,
            DialectArg::Azure => Dialect::Azure,
            DialectArg::Gemini => Dialect::Gemini,
            DialectArg::Ollama => Dialect::Ollama,
            DialectArg::Vllm => Dialect::Vllm,
            DialectArg::Llamacpp => Dialect::LlamaCpp,
        }
    }
}

/// What the partial JSON parser does with what has not ended yet (`--partial`), as `jiter`'s
/// `partial_mode` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PartialArg {
    /// An unfinished string is left out (openai-python's `parsed`).
    On,
    /// An unfinished string is kept as it stands.
    TrailingStrings,
}

impl From<PartialArg> for streaming_assistants_core::json::PartialMode {
    fn from(arg: PartialArg) -> Self {
        match arg {
            PartialArg::On => Self::On,
            PartialArg::TrailingStrings => Self::TrailingStrings,
        }
    }
}
