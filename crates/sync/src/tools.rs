//! The tool loop: the one pump over the protocol's tool session, the user's function asked
//! for outputs.

use streaming_assistants_core::drive::{self, ToolSession};
use streaming_assistants_core::wire::protocol::Protocol;

use crate::{Error, ToolLoop};

/// The tool of [`ResponsesClient::create_stream_resuming`](crate::ResponsesClient), never called.
pub type NoTools = fn(&streaming_assistants_core::responses::FunctionCall) -> String;

pub(crate) fn no_tools(_: &streaming_assistants_core::responses::FunctionCall) -> String {
    String::new()
}

impl<F, S, P> ToolLoop<F, S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
    F: FnMut(&S::Call) -> String,
{
    /// The next event if it is already decoded from the bytes received, without reading or
    /// starting a leg (as [`EventStream::next_buffered`](crate::EventStream::next_buffered)): lets a caller flush its output
    /// before [`Iterator::next`] blocks on the network.
    pub fn next_buffered(&mut self) -> Option<Result<P::Event, Error>> {
        self.pump.next_buffered()
    }

    /// Reads every leg to its end and returns what the events accumulate to (for Responses and
    /// Chat, the last leg's response or completion: the final answer); the first error ends
    /// it, including an event the accumulator rejects (`StreamError::Rejected`).
    pub fn into_snapshot(mut self) -> Result<P::Snapshot, Error> {
        let mut acc = drive::LoopAccumulator::<P>::default();
        while let Some(event) = self.next() {
            self.pump.session.accumulate(&mut acc, &event?)?;
        }
        Ok(acc.into_snapshot())
    }
}

impl<F, S, P> Iterator for ToolLoop<F, S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
    F: FnMut(&S::Call) -> String,
{
    type Item = Result<P::Event, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.pump.run(|_| None, Some, &mut self.tool)
    }
}
