//! The tool loop: a run streamed to its end, tool calls answered along the way.

use streaming_assistants_core::event::StreamEvent;
use streaming_assistants_core::types::RequiredToolCall;

use crate::{Client, Error, EventStream};

/// Every event of every leg of a run whose tool calls are answered by a function. Made by
/// [`Client::run_with_tools`].
pub struct ToolLoop<'a, F> {
    client: &'a Client,
    thread_id: String,
    assistant_id: String,
    tool: F,
    leg: Option<EventStream>,
    /// The run waiting for outputs when the current leg ended.
    waiting: Option<(String, Vec<RequiredToolCall>)>,
    started: bool,
    failed: bool,
}

impl<'a, F> ToolLoop<'a, F>
where
    F: FnMut(&RequiredToolCall) -> String,
{
    pub(crate) fn new(client: &'a Client, thread_id: &str, assistant_id: &str, tool: F) -> Self {
        ToolLoop {
            client,
            thread_id: thread_id.to_owned(),
            assistant_id: assistant_id.to_owned(),
            tool,
            leg: None,
            waiting: None,
            started: false,
            failed: false,
        }
    }

    fn next_leg(&mut self) -> Option<Result<EventStream, Error>> {
        if !self.started {
            self.started = true;
            return Some(
                self.client
                    .create_run_stream(&self.thread_id, &self.assistant_id),
            );
        }
        let (run_id, calls) = self.waiting.take()?;
        let outputs: Vec<(String, String)> = calls
            .iter()
            .map(|call| (call.id.clone(), (self.tool)(call)))
            .collect();
        Some(
            self.client
                .submit_tool_outputs_stream(&self.thread_id, &run_id, &outputs),
        )
    }
}

impl<F> Iterator for ToolLoop<'_, F>
where
    F: FnMut(&RequiredToolCall) -> String,
{
    type Item = Result<StreamEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.failed {
                return None;
            }
            if let Some(leg) = &mut self.leg {
                match leg.next() {
                    Some(Ok(event)) => {
                        if let Some(run) = event.requires_action() {
                            let calls = run.pending_tool_calls().to_vec();
                            self.waiting = Some((run.id.clone(), calls));
                        }
                        return Some(Ok(event));
                    }
                    Some(Err(err)) => return Some(Err(err)),
                    None => self.leg = None,
                }
            }
            match self.next_leg()? {
                Ok(leg) => self.leg = Some(leg),
                Err(err) => {
                    self.failed = true;
                    return Some(Err(err));
                }
            }
        }
    }
}
