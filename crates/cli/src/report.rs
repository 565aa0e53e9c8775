//! `run --verbose`: token usage and timings on stderr at the end, the same two lines for every
//! API (`[usage] prompt P + completion C = T tokens`, Responses' input and output tokens as
//! prompt and completion, summed over a tool loop's legs; `[timing] first event after X ms, N
//! events in Y ms`).

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::terminal::{paint, Style};

/// What `--verbose` reports, counted as the events arrive.
#[derive(Debug)]
pub(crate) struct Report {
    verbose: bool,
    started: Instant,
    first_event: Option<Duration>,
    events: u64,
    /// Prompt, completion and total tokens, once a usage came.
    usage: Option<[u64; 3]>,
}

impl Report {
    pub(crate) fn new(verbose: bool) -> Self {
        Report {
            verbose,
            started: Instant::now(),
            first_event: None,
            events: 0,
            usage: None,
        }
    }

    /// An event arrived.
    pub(crate) fn event(&mut self) {
        self.first_event
            .get_or_insert_with(|| self.started.elapsed());
        self.events += 1;
    }

    /// Adds a usage object's tokens: `prompt_tokens`/`completion_tokens` (Assistants, Chat) or
    /// `input_tokens`/`output_tokens` (Responses), and `total_tokens`.
    pub(crate) fn usage(&mut self, usage: &Value) {
        let count = |keys: [&str; 2]| keys.iter().find_map(|k| usage.get(*k)?.as_u64());
        let (Some(prompt), Some(completion)) = (
            count(["prompt_tokens", "input_tokens"]),
            count(["completion_tokens", "output_tokens"]),
        ) else {
            return;
        };
        let total = usage
            .get("total_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(prompt + completion);
        let sum = self.usage.get_or_insert([0; 3]);
        for (slot, n) in sum.iter_mut().zip([prompt, completion, total]) {
            *slot = slot.saturating_add(n);
        }
    }

    /// Prints the two lines on stderr, if `--verbose`.
    pub(crate) fn print(&self) {
        if !self.verbose {
            return;
        }
        if let Some([prompt, completion, total]) = self.usage {
            let line =
                format!("[usage] prompt {prompt} + completion {completion} = {total} tokens");
            eprintln!("{}", paint(Style::Dim, &line));
        }
        let line = format!(
            "[timing] first event after {} ms, {} events in {} ms",
            self.first_event.unwrap_or_default().as_millis(),
            self.events,
            self.started.elapsed().as_millis()
        );
        eprintln!("{}", paint(Style::Dim, &line));
    }
}
