//! What the scripted model does in each run: a Rust builder, and the same as JSON.

use serde::{Deserialize, Serialize};

/// The model's behaviour, run by run: the first run created uses `runs[0]`, the next `runs[1]`,
/// and so on; past the end (or with an empty script) the built-in default applies: when the
/// assistant declares function tools, call the first of them (arguments streamed in pieces)
/// and, once outputs are submitted, reply with a text citing one file; otherwise just the text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    /// One entry per run, in order of creation.
    #[serde(default)]
    pub runs: Vec<RunScript>,
    /// How the built-in default runs are written (e.g. paced, for a demo).
    #[serde(default)]
    pub default_delivery: Delivery,
    /// After the last entry of `runs`, start again from the first (for benches and load
    /// tests) instead of falling back to the built-in default.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeat: bool,
}

impl Script {
    /// An empty script: every run uses the built-in default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the built-in default runs this way.
    #[must_use]
    pub fn default_delivery(mut self, delivery: Delivery) -> Self {
        self.default_delivery = delivery;
        self
    }

    /// Plays `runs` again from the first once they are used up.
    #[must_use]
    pub fn repeat(mut self) -> Self {
        self.repeat = true;
        self
    }

    /// Adds the script of the next run.
    #[must_use]
    pub fn run(mut self, run: RunScript) -> Self {
        self.runs.push(run);
        self
    }
}

/// One run: an optional function call first (the run then requires action, and the submitted
/// outputs continue it), then the text reply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunScript {
    /// A function call made before the reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call: Option<ToolCallScript>,
    /// A code interpreter step made first (before any function call).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeScript>,
    /// A file search step made first (after any code step).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub file_search: bool,
    /// The reply, as the pieces its text deltas carry.
    #[serde(default)]
    pub text: Vec<String>,
    /// Responses API: a reasoning summary streamed before the reply, as its pieces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasoning: Vec<String>,
    /// Responses API: a refusal streamed instead of the text, as its pieces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refusal: Vec<String>,
    /// A file the reply cites (a `file_citation` annotation on the last piece).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite_file: Option<String>,
    /// How the run ends, after the text (default: completed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<RunEnd>,
    /// How the body is written.
    #[serde(default)]
    pub delivery: Delivery,
}

/// How a run ends other than `completed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RunEnd {
    /// The run fails with this `last_error`: message incomplete, step and run failed.
    Failed {
        /// e.g. `server_error`.
        code: String,
        /// Human-readable description.
        message: String,
    },
    /// The run ends incomplete for this reason (e.g. `max_completion_tokens`).
    Incomplete {
        /// `incomplete_details.reason`.
        reason: String,
    },
    /// The run is cancelled mid-reply: `cancelling`, the message incomplete, the step and the
    /// run `cancelled`.
    Cancelled,
    /// The run expires mid-reply: the message incomplete, the step and the run `expired`.
    Expired,
    /// The server sends `event: error` with this message mid-stream, and the body ends there
    /// (no completion events, no `done`).
    ErrorEvent {
        /// The error's message.
        message: String,
    },
}

/// How the body of a streamed leg is written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// Bytes per write (default: one write per event). `1` writes byte by byte; without a
    /// pause, larger sizes cut the whole body into writes of that size across events.
    pub chunk_size: Option<usize>,
    /// A pause before each event after the first, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_ms: Option<u64>,
    /// Drop the connection after this many bytes of the body (a truncated stream).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnect_after: Option<usize>,
    /// Drop the connection at this point of the frames (the client sees an I/O error: the
    /// chunked body never ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut: Option<Cut>,
    /// End the body cleanly after this many frames: a server that stops early, so the
    /// protocol's own end (`done`, a terminal event, `[DONE]`) never comes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_after: Option<usize>,
}

/// Where [`Delivery::cut`] drops the connection, counted in frames as the dialect writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cut {
    /// Halfway through frame `n` (0-based).
    InsideEvent(usize),
    /// After the first `n` frames, between two events.
    AfterEvents(usize),
    /// After the last frame: OpenAI's `done`, Astra's terminal run event, the legacy stream's
    /// last chunk.
    AfterEnd,
}

impl Cut {
    /// The byte offset of the cut in the body made of `frames`.
    pub(crate) fn offset(self, frames: &[String]) -> usize {
        let upto = |n: usize| frames.iter().take(n).map(String::len).sum::<usize>();
        match self {
            Cut::InsideEvent(n) => upto(n) + frames.get(n).map_or(0, |f| f.len() / 2),
            Cut::AfterEvents(n) => upto(n),
            Cut::AfterEnd => upto(frames.len()),
        }
    }
}

impl RunScript {
    /// A run that replies with these text pieces.
    pub fn text<I: IntoIterator<Item = S>, S: Into<String>>(pieces: I) -> Self {
        RunScript {
            text: pieces.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// Calls `name` first, its arguments streamed as these pieces.
    #[must_use]
    pub fn call<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        name: &str,
        arguments: I,
    ) -> Self {
        self.tool_call = Some(ToolCallScript {
            name: name.to_owned(),
            arguments: arguments.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Runs code first.
    #[must_use]
    pub fn with_code(mut self, code: CodeScript) -> Self {
        self.code = Some(code);
        self
    }

    /// Searches files first.
    #[must_use]
    pub fn with_file_search(mut self) -> Self {
        self.file_search = true;
        self
    }

    /// Ends the run this way instead of `completed`.
    #[must_use]
    pub fn ending(mut self, end: RunEnd) -> Self {
        self.end = Some(end);
        self
    }

    /// Writes the body this way.
    #[must_use]
    pub fn delivered(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// Cites this file id in the reply.
    #[must_use]
    pub fn citing(mut self, file_id: &str) -> Self {
        self.cite_file = Some(file_id.to_owned());
        self
    }
}

/// A code interpreter call: its code streamed in pieces, then what it printed and drew.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeScript {
    /// The code, as the pieces the step deltas carry.
    pub input: Vec<String>,
    /// What it printed (a `logs` output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<String>,
    /// A file id it drew (an `image` output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_file: Option<String>,
}

/// A function call the model makes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolCallScript {
    /// The function's name.
    pub name: String,
    /// Its arguments, as the pieces the step deltas carry.
    pub arguments: Vec<String>,
}

/// The default reply text, in pieces.
pub(crate) const DEFAULT_TEXT: [&str; 7] = [
    "The",
    " forecast",
    " says",
    " sunny",
    ", 21°C",
    " today",
    " 【0†weather.txt】.",
];
