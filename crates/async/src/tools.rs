//! The tool loop: the one pump over the protocol's tool session, the user's async function
//! asked for outputs.

use streaming_assistants_core::drive::{self, ToolSession};
use streaming_assistants_core::wire::protocol::Protocol;

use crate::pump::Pumped;
use crate::{Error, ToolLoop};

/// The tool of [`ResponsesClient::create_stream_resuming`](crate::ResponsesClient), never called.
pub type NoTools =
    fn(&streaming_assistants_core::responses::FunctionCall) -> std::future::Ready<String>;

pub(crate) fn no_tools(
    _: &streaming_assistants_core::responses::FunctionCall,
) -> std::future::Ready<String> {
    std::future::ready(String::new())
}

impl<F, S, P> ToolLoop<F, S, P>
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
            self.pump.session.accumulate(&mut acc, &event?)?;
        }
        Ok(acc.into_snapshot())
    }

    /// The next event, across legs; `None` once the last leg has ended. A failed call to
    /// start a leg ends the loop after its error.
    pub async fn next(&mut self) -> Option<Result<P::Event, Error>> {
        loop {
            match std::future::poll_fn(|cx| self.pump.poll_run(cx, |_| None, Some)).await {
                Pumped::Item(item) => return item,
                Pumped::Answer => {
                    let calls = self.pump.session.calls();
                    let mut outputs = Vec::with_capacity(calls.len());
                    for call in calls {
                        outputs.push((self.tool)(call).await);
                    }
                    self.pump.session.answered(outputs);
                }
            }
        }
    }
}
