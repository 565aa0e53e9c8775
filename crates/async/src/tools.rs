//! The tool loop: a run streamed to its end, tool calls answered along the way by an async
//! closure.

use streaming_assistants_core::event::StreamEvent;
use streaming_assistants_core::types::RequiredToolCall;

use crate::{Client, Error, EventStream};

/// Every event of every leg of a run whose tool calls are answered by an async closure. Made by
/// [`Client::run_with_tools`]; read it with [`ToolLoop::next`].
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

impl<F> std::fmt::Debug for ToolLoop<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToolLoop")
            .field("thread_id", &self.thread_id)
            .field("leg", &self.leg)
            .finish_non_exhaustive()
    }
}

impl<'a, F> ToolLoop<'a, F>
where
    F: AsyncFnMut(&RequiredToolCall) -> String,
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

    /// The next event of the run, across its legs; `None` once the last leg has ended. A
    /// failed call to start a leg ends the loop after its error.
    pub async fn next(&mut self) -> Option<Result<StreamEvent, Error>> {
        loop {
            if self.failed {
                return None;
            }
            if let Some(leg) = &mut self.leg {
                match leg.next().await {
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
            match self.next_leg().await? {
                Ok(leg) => self.leg = Some(leg),
                Err(err) => {
                    self.failed = true;
                    return Some(Err(err));
                }
            }
        }
    }

    async fn next_leg(&mut self) -> Option<Result<EventStream, Error>> {
        if !self.started {
            self.started = true;
            let leg = self
                .client
                .create_run_stream(&self.thread_id, &self.assistant_id);
            return Some(leg.await);
        }
        let (run_id, calls) = self.waiting.take()?;
        let mut outputs = Vec::with_capacity(calls.len());
        for call in &calls {
            outputs.push((call.id.clone(), (self.tool)(call).await));
        }
        let leg = self
            .client
            .submit_tool_outputs_stream(&self.thread_id, &run_id, &outputs);
        Some(leg.await)
    }
}
