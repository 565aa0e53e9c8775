//! The tool loop: the core's [`ToolLoop`](streaming_assistants_core::drive::ToolLoop) machine,
//! performed — legs streamed, the user's async function asked for outputs.

use streaming_assistants_core::assistants::Assistants;
use streaming_assistants_core::drive::{self, ToolSession, ToolStep};
use streaming_assistants_core::protocol::Protocol;

use crate::{Client, Error, EventStream};

/// Every event of every leg of a tool loop, the calls answered by an async function; a cut
/// leg is resumed where the protocol can (a background response). Made by
/// [`Client::run_with_tools`] and [`ResponsesClient`](crate::ResponsesClient)'s
/// `run_with_tools` and `stream_resuming`; read it with [`ToolLoop::next`].
pub struct ToolLoop<'a, F, S: ToolSession = drive::AssistantsTools, P: Protocol = Assistants> {
    client: &'a Client,
    machine: drive::ToolLoop<S>,
    tool: F,
    leg: Option<EventStream<P>>,
}

impl<F, S: ToolSession, P: Protocol> std::fmt::Debug for ToolLoop<'_, F, S, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToolLoop")
            .field("leg", &self.leg)
            .finish_non_exhaustive()
    }
}

impl<'a, F, S, P> ToolLoop<'a, F, S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
    F: AsyncFnMut(&S::Call) -> String,
{
    pub(crate) fn new(client: &'a Client, session: S, tool: F) -> Self {
        ToolLoop {
            client,
            machine: drive::ToolLoop::new(session),
            tool,
            leg: None,
        }
    }

    /// Reads every leg to its end and returns what the events accumulate to (for Responses and
    /// Chat, the last leg's response or completion: the final answer); the first error ends
    /// it, including an event the accumulator rejects (`StreamError::Rejected`).
    pub async fn into_snapshot(mut self) -> Result<P::Snapshot, Error> {
        let mut acc = drive::LoopAccumulator::<P>::default();
        while let Some(event) = self.next().await {
            self.machine.accumulate(&mut acc, &event?)?;
        }
        Ok(acc.into_snapshot())
    }

    /// The next event, across legs; `None` once the last leg has ended. A failed call to
    /// start a leg ends the loop after its error.
    pub async fn next(&mut self) -> Option<Result<P::Event, Error>> {
        loop {
            if let Some(leg) = &mut self.leg {
                let (item, verdict) = (leg.next().await, leg.verdict());
                match self.machine.read(&mut self.leg, item, verdict) {
                    Some(item) => return Some(item),
                    None => continue,
                }
            }
            match self.machine.step() {
                ToolStep::Send(request) => {
                    let sent = self.client.stream(&request).await;
                    if let Some(err) = self.machine.sent(&mut self.leg, sent) {
                        return Some(Err(err));
                    }
                }
                ToolStep::Answer(calls) => {
                    let mut outputs = Vec::with_capacity(calls.len());
                    for call in calls {
                        outputs.push((self.tool)(call).await);
                    }
                    self.machine.answered(outputs);
                }
                ToolStep::Done => return None,
            }
        }
    }
}
