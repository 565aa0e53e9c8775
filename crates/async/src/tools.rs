//! The tool loop: the core's [`ToolLoop`](streaming_assistants_core::drive::ToolLoop) machine,
//! performed — legs streamed, the user's async function asked for outputs.

use streaming_assistants_core::drive::{self, ToolSession, ToolStep};
use streaming_assistants_core::wire::protocol::Protocol;

use crate::{Error, ToolLoop};

/// The tool of [`ResponsesClient::create_stream_resuming`](crate::ResponsesClient), never called.
pub type NoTools =
    fn(&streaming_assistants_core::responses::FunctionCall) -> std::future::Ready<String>;

pub(crate) fn no_tools(
    _: &streaming_assistants_core::responses::FunctionCall,
) -> std::future::Ready<String> {
    std::future::ready(String::new())
}

impl<F, S, P> ToolLoop<'_, F, S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
    F: AsyncFnMut(&S::Call) -> String,
{
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
                match self.machine.read_leg(&mut self.leg, item, verdict) {
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
