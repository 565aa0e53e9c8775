//! The tool loop as a state machine: stream a leg, collect the tool calls the model waits for,
//! ask the user for their outputs, send them and stream the next leg — until a leg ends with no
//! call waiting. Protocol-specific parts (which event carries calls, which request answers
//! them, whether a cut leg can be resumed) are a [`ToolSession`].

use super::{Error, StreamError};
use crate::wire::protocol::{Accumulate, Protocol, ToolSession, Verdict};
use crate::wire::Request;

/// What a tool loop's events accumulate to ([`ToolLoop::accumulate`]).
pub struct LoopAccumulator<P: Protocol> {
    acc: P::Accumulator,
    number: u64,
}

impl<P: Protocol> Default for LoopAccumulator<P> {
    fn default() -> Self {
        LoopAccumulator {
            acc: P::Accumulator::default(),
            number: 0,
        }
    }
}

impl<P: Protocol> LoopAccumulator<P> {
    /// The snapshot of the last object.
    pub fn into_snapshot(self) -> P::Snapshot {
        self.acc.finish()
    }
}

/// What the transport does next.
#[derive(Debug, PartialEq)]
pub enum ToolStep<'a, C> {
    /// Send this streaming request and hand each of its events to [`ToolLoop::event`], then
    /// call [`ToolLoop::leg_ended`].
    Send(Request),
    /// Ask the user's function for each call's output, then call [`ToolLoop::answered`].
    Answer(&'a [C]),
    /// The loop is over.
    Done,
}

#[derive(Debug)]
enum State<C> {
    Start,
    Send(Request),
    Leg,
    Calls(Vec<C>),
    Over,
}

/// The tool loop over a [`ToolSession`].
///
/// ```
/// use streaming_assistants_core::assistants::AssistantsTools;
/// use streaming_assistants_core::drive::{ToolLoop, ToolStep};
///
/// let mut tools = ToolLoop::new(AssistantsTools::new("thread_1", "asst_1"));
/// let ToolStep::Send(first) = tools.step() else { panic!() };
/// assert_eq!(first.path, "/threads/thread_1/runs");
/// // ... each event of the leg goes to `tools.event(&event)` ...
/// tools.leg_ended(); // no run asked for outputs:
/// assert_eq!(tools.step(), ToolStep::Done);
/// ```
#[derive(Debug)]
pub struct ToolLoop<S: ToolSession> {
    session: S,
    state: State<S::Call>,
    answers: u64,
}

impl<S: ToolSession> ToolLoop<S> {
    /// A loop that has not sent anything yet.
    pub fn new(session: S) -> Self {
        ToolLoop {
            session,
            state: State::Start,
            answers: 0,
        }
    }

    /// What to do next.
    pub fn step(&mut self) -> ToolStep<'_, S::Call> {
        match std::mem::replace(&mut self.state, State::Leg) {
            State::Start => ToolStep::Send(self.session.start()),
            State::Send(request) => ToolStep::Send(request),
            // Asked again while a leg was streaming: the leg is over.
            State::Leg => {
                self.leg_ended();
                self.step()
            }
            State::Calls(calls) => {
                self.state = State::Calls(calls);
                match &self.state {
                    State::Calls(calls) => ToolStep::Answer(calls),
                    _ => ToolStep::Done,
                }
            }
            State::Over => {
                self.state = State::Over;
                ToolStep::Done
            }
        }
    }

    /// The calls of the current [`ToolStep::Answer`] (none at any other step).
    pub fn calls(&self) -> &[S::Call] {
        match &self.state {
            State::Calls(calls) => calls,
            _ => &[],
        }
    }

    /// An event of the current leg: whether to hand it to the user.
    pub fn event(&mut self, event: &S::Event) -> bool {
        let deliver = self.session.deliver(event);
        if deliver {
            self.session.observe(event);
        }
        deliver
    }

    /// The current leg's stream was cut (its verdict `Truncated` or `Failed`): whether the
    /// session resumes it — then the cut is no error, and [`ToolLoop::step`] sends the resuming
    /// request; otherwise the leg ended as by [`ToolLoop::leg_ended`].
    pub fn leg_cut(&mut self, verdict: Verdict) -> bool {
        if matches!(self.state, State::Leg) {
            if let Some(request) = self.session.resume(verdict) {
                self.state = State::Send(request);
                return true;
            }
        }
        self.leg_ended();
        false
    }

    /// The current leg's stream ended.
    pub fn leg_ended(&mut self) {
        if matches!(self.state, State::Leg) {
            let calls = self.session.take_calls();
            self.state = if calls.is_empty() {
                State::Over
            } else {
                State::Calls(calls)
            };
        }
    }

    /// The outputs of the calls of the last [`ToolStep::Answer`], in order.
    pub fn answered(&mut self, outputs: Vec<String>) {
        self.answers += 1;
        if let State::Calls(calls) = std::mem::replace(&mut self.state, State::Over) {
            self.state = State::Send(self.session.answer(&calls, outputs));
        }
    }

    /// Applies an event the loop handed over to `acc` (a tool loop's `into_snapshot`): where a
    /// leg starts a new object ([`ToolSession::new_snapshot_per_answer`]) the accumulator starts
    /// afresh, so it ends with the last object (the final response), never leg 1's with leg
    /// 2's events rejected.
    pub fn accumulate<P: Protocol>(
        &self,
        acc: &mut LoopAccumulator<P>,
        event: &P::Event,
    ) -> Result<(), StreamError> {
        let number = if self.session.new_snapshot_per_answer() {
            self.answers
        } else {
            0
        };
        if acc.number != number {
            *acc = LoopAccumulator {
                acc: P::Accumulator::default(),
                number,
            };
        }
        acc.acc.apply_event(event).map_err(StreamError::from)
    }

    /// A request failed: the loop is over.
    pub fn failed(&mut self) {
        self.state = State::Over;
    }

    /// [`ToolLoop::read`] for a transport's own errors: a truncation the session gave up
    /// resuming says how many resumes it tried ([`Error::after_resumes`]).
    pub(crate) fn read_leg<L>(
        &mut self,
        leg: &mut Option<L>,
        item: Option<Result<S::Event, Error>>,
        verdict: Option<Verdict>,
    ) -> Option<Result<S::Event, Error>> {
        let item = self.read(leg, item, verdict)?;
        let resumes = self.resumed();
        Some(item.map_err(|err| err.after_resumes(resumes)))
    }

    /// How many resumes the session sent in all (to say so when it gives up).
    pub fn resumed(&self) -> u32 {
        self.session.resumed()
    }

    /// One item of the current leg's stream (`None`: its end), with the stream's verdict once
    /// it has one: what to hand the user, if anything; `leg` is emptied once the leg is over
    /// (then ask [`ToolLoop::step`]). All a transport's loop decides is here: an event already
    /// delivered before a cut is skipped, a cut the session resumes is no error, an error
    /// inside a stream that goes on is handed over with the leg kept.
    pub(crate) fn read<L, X>(
        &mut self,
        leg: &mut Option<L>,
        item: Option<Result<S::Event, X>>,
        verdict: Option<Verdict>,
    ) -> Option<Result<S::Event, X>> {
        match item {
            Some(Ok(event)) => self.event(&event).then_some(Ok(event)),
            Some(Err(err)) => match verdict {
                Some(verdict) if verdict != Verdict::Clean => {
                    *leg = None;
                    (!self.leg_cut(verdict)).then_some(Err(err))
                }
                _ => Some(Err(err)),
            },
            None => {
                *leg = None;
                self.leg_ended();
                None
            }
        }
    }
}
