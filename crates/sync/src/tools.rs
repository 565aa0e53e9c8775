//! The tool loop: the core's [`ToolLoop`](streaming_assistants_core::drive::ToolLoop) machine,
//! performed — legs streamed, the user's function asked for outputs.

use streaming_assistants_core::assistants::Assistants;
use streaming_assistants_core::drive::{self, ToolSession, ToolStep, Verdict};
use streaming_assistants_core::protocol::Protocol;

use crate::{Client, Error, EventStream};

/// Every event of every leg of a tool loop, the calls answered by a function; a cut leg is
/// resumed where the protocol can (a background response). Made by [`Client::run_with_tools`]
/// and [`ResponsesClient`](crate::ResponsesClient)'s `run_with_tools` and `stream_resuming`.
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
    F: FnMut(&S::Call) -> String,
{
    pub(crate) fn new(client: &'a Client, session: S, tool: F) -> Self {
        ToolLoop {
            client,
            machine: drive::ToolLoop::new(session),
            tool,
            leg: None,
        }
    }
}

impl<F, S, P> ToolLoop<'_, F, S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
    F: FnMut(&S::Call) -> String,
{
    /// Reads every leg to its end and returns what the events accumulate to (for Responses,
    /// the last response); the first error ends it.
    pub fn into_snapshot(self) -> Result<P::Snapshot, Error> {
        let mut acc = P::Accumulator::default();
        for event in self {
            P::apply_event(&mut acc, &event?);
        }
        Ok(P::snapshot(acc))
    }
}

impl<F, S, P> Iterator for ToolLoop<'_, F, S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
    F: FnMut(&S::Call) -> String,
{
    type Item = Result<P::Event, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(leg) = &mut self.leg {
                match leg.next() {
                    Some(Ok(event)) => {
                        if self.machine.event(&event) {
                            return Some(Ok(event));
                        }
                        // Already delivered before a cut: the next one.
                        continue;
                    }
                    Some(Err(err)) => match leg.verdict() {
                        // The leg was cut: resumed (the cut is no error), or the error ends it.
                        Some(verdict) if verdict != Verdict::Clean => {
                            self.leg = None;
                            if !self.machine.leg_cut(verdict) {
                                return Some(Err(err));
                            }
                        }
                        _ => return Some(Err(err)),
                    },
                    None => {
                        self.leg = None;
                        self.machine.leg_ended();
                    }
                }
            }
            match self.machine.step() {
                ToolStep::Send(request) => match self.client.stream(&request) {
                    Ok(leg) => self.leg = Some(leg),
                    Err(err) => {
                        self.machine.failed();
                        return Some(Err(err));
                    }
                },
                ToolStep::Answer(calls) => {
                    let outputs = calls.iter().map(&mut self.tool).collect();
                    self.machine.answered(outputs);
                }
                ToolStep::Done => return None,
            }
        }
    }
}
