//! The one machine a transport polls: a call's retries, its stream's reading and verdict, the
//! resumes and the tool loop, composed. The transport asks [`Session::poll`] what to do next
//! and performs it; every decision is here, so each transport has one pump loop.

use std::time::Instant;

use super::{Error, Failure, Reader, Retries, StreamError, ToolLoop, ToolStep};
use crate::wire::protocol::{Protocol, ToolSession, Verdict};
use crate::wire::Request;

/// What the transport does next ([`Session::poll`]).
#[derive(Debug)]
pub enum Step<'a, E, C> {
    /// Send this request (one attempt), then report with [`Session::sent`].
    Send(&'a Request),
    /// Wait until then (a retry's backoff), then poll again.
    Wait(Instant),
    /// Read more of the answer's body: [`Session::push`] what arrives, [`Session::end`] at its
    /// end, [`Session::fail`] when reading fails.
    Read,
    /// Hand this to the user: an event, or an error (after a stream error the stream goes on;
    /// after a failed call or a cut nothing follows but [`Step::Done`] or a resume).
    Deliver(Result<E, Error>),
    /// Ask the user's function for each call's output, then [`Session::answered`].
    Answer(&'a [C]),
    /// Over.
    Done,
}

/// The session of one request streamed, with no tool calls: what a plain `EventStream` is.
#[derive(Debug, Clone)]
pub struct Single<E> {
    request: Request,
    event: std::marker::PhantomData<fn(&E)>,
}

impl<E> Single<E> {
    /// The session that streams `request` once.
    pub fn new(request: Request) -> Self {
        Single {
            request,
            event: std::marker::PhantomData,
        }
    }
}

impl<E> ToolSession for Single<E> {
    type Event = E;
    type Call = std::convert::Infallible;
    fn start(&mut self) -> Request {
        self.request.clone()
    }
    fn observe(&mut self, _: &E) {}
    fn take_calls(&mut self) -> Vec<Self::Call> {
        Vec::new()
    }
    fn answer(&mut self, _: &[Self::Call], _: Vec<String>) -> Request {
        self.request.clone()
    }
}

enum State<P: Protocol> {
    /// Between legs: the tool loop says what comes next.
    Idle,
    /// A request to send, after `attempts` failed ones, not before `at`.
    Send {
        request: Request,
        attempts: u32,
        at: Option<Instant>,
    },
    /// A leg's body being read; `pending` is how it ended when not cleanly, delivered after
    /// its last event.
    Read {
        reader: Reader<P>,
        pending: Option<Error>,
    },
    /// A call failed for good: its error, then the end.
    Failed(Error),
}

/// A call, its stream and its tool loop, as one machine with time passed in (the way
/// `quinn-proto`'s `Connection` is driven by `quinn`).
///
/// ```
/// use std::time::Instant;
/// use streaming_assistants_core::assistants::Assistants;
/// use streaming_assistants_core::drive::{Retries, Session, Single, Step};
/// use streaming_assistants_core::wire::Request;
///
/// let request = Request::run_assistant("thread_1", "asst_1", true);
/// let mut session = Session::<_, Assistants>::new(Single::new(request), Retries::default());
/// let now = Instant::now();
/// assert!(matches!(session.poll(now), Step::Send(r) if r.path == "/threads/thread_1/runs"));
/// session.sent(Ok(()), now); // the answer is an event stream
/// assert!(matches!(session.poll(now), Step::Read));
/// session.push(b"event: thread.run.created\ndata: {\"id\":\"run_1\"}\n\nevent: done\ndata: [DONE]\n\n");
/// assert!(matches!(session.poll(now), Step::Deliver(Ok(_))));
/// assert!(matches!(session.poll(now), Step::Deliver(Ok(_)))); // `done`
/// assert!(matches!(session.poll(now), Step::Read));
/// session.end();
/// assert!(matches!(session.poll(now), Step::Done));
/// ```
pub struct Session<S: ToolSession, P: Protocol> {
    tools: ToolLoop<S>,
    retries: Retries,
    state: State<P>,
    verdict: Option<Verdict>,
}

impl<P: Protocol> std::fmt::Debug for State<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            State::Idle => f.write_str("Idle"),
            State::Send {
                request,
                attempts,
                at,
            } => f
                .debug_struct("Send")
                .field("request", request)
                .field("attempts", attempts)
                .field("at", at)
                .finish(),
            State::Read { reader, pending } => f
                .debug_struct("Read")
                .field("reader", reader)
                .field("pending", pending)
                .finish(),
            State::Failed(err) => f.debug_tuple("Failed").field(err).finish(),
        }
    }
}

impl<S: ToolSession, P: Protocol> std::fmt::Debug for Session<S, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("state", &self.state)
            .field("verdict", &self.verdict)
            .finish_non_exhaustive()
    }
}

impl<S, P> Session<S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
{
    /// A session that has sent nothing yet, retrying under `retries`.
    pub fn new(session: S, retries: Retries) -> Self {
        Session {
            tools: ToolLoop::new(session),
            retries,
            state: State::Idle,
            verdict: None,
        }
    }

    /// What to do next, at `now`. Polling never loses anything: a step not performed is asked
    /// for again.
    pub fn poll(&mut self, now: Instant) -> Step<'_, S::Event, S::Call> {
        loop {
            match &mut self.state {
                State::Idle => match self.tools.step() {
                    ToolStep::Send(request) => {
                        self.state = State::Send {
                            request,
                            attempts: 0,
                            at: None,
                        }
                    }
                    ToolStep::Answer(_) => break,
                    ToolStep::Done => return Step::Done,
                },
                State::Send { at: Some(at), .. } if now < *at => return Step::Wait(*at),
                State::Send { .. } => break,
                State::Failed(_) => {
                    if let State::Failed(err) = std::mem::replace(&mut self.state, State::Idle) {
                        return Step::Deliver(Err(err));
                    }
                }
                State::Read { reader, pending } => {
                    let item = match reader.next_event() {
                        Some(item) => Some(item.map_err(Error::from)),
                        None if reader.verdict().is_none() => return Step::Read,
                        None => pending.take().map(Err),
                    };
                    let verdict = reader.verdict();
                    self.verdict = verdict.or(self.verdict);
                    let mut leg = Some(());
                    let out = self.tools.read_leg(&mut leg, item, verdict);
                    if leg.is_none() {
                        self.state = State::Idle;
                    }
                    if let Some(out) = out {
                        return Step::Deliver(out);
                    }
                }
            }
        }
        // Built here, after the loop, so that the borrow handed out is the only one.
        match &self.state {
            State::Send { request, .. } => Step::Send(request),
            _ => Step::Answer(self.tools.calls()),
        }
    }

    /// How the [`Step::Send`] request went: `Ok` when the answer is the stream expected (its
    /// body is read next), or why not — with the [`Failure`] when sending again may mend it
    /// (`None`: it cannot), and the error to report if it is not sent again.
    pub fn sent(&mut self, outcome: Result<(), (Option<Failure>, Error)>, now: Instant) {
        let State::Send {
            request,
            attempts,
            at,
        } = &mut self.state
        else {
            return;
        };
        match outcome {
            Ok(()) => {
                self.state = State::Read {
                    reader: Reader::new(),
                    pending: None,
                }
            }
            Err((failure, err)) => {
                *attempts += 1;
                match failure.and_then(|f| self.retries.wait(request, *attempts, f)) {
                    Some(wait) => *at = Some(now + wait),
                    None => {
                        self.tools.failed();
                        self.state = State::Failed(err);
                    }
                }
            }
        }
    }

    /// The next bytes of the body being read.
    pub fn push(&mut self, chunk: &[u8]) {
        if let State::Read { reader, .. } = &mut self.state {
            reader.push(chunk);
        }
    }

    /// The body being read ended.
    pub fn end(&mut self) {
        if let State::Read { reader, pending } = &mut self.state {
            *pending = reader.end().map(Error::from);
        }
    }

    /// Reading the body failed with the transport's `error`: a cut (see
    /// [`Reader::fail_body`]), unless the stream was already over.
    pub fn fail(&mut self, error: Error) {
        if let State::Read { reader, pending } = &mut self.state {
            *pending = reader.fail_body(error);
        }
    }

    /// The calls of the current [`Step::Answer`] (none at any other step): for a transport
    /// whose tools' futures cannot be held across polls.
    pub fn calls(&self) -> &[S::Call] {
        self.tools.calls()
    }

    /// The outputs of the calls of the last [`Step::Answer`], in order.
    pub fn answered(&mut self, outputs: Vec<String>) {
        self.tools.answered(outputs);
    }

    /// The body being read, for a protocol's borrowed hot path (`text()`, `into_snapshot()`):
    /// what it takes from the reader is not polled again.
    pub fn reader_mut(&mut self) -> Option<&mut Reader<P>> {
        match &mut self.state {
            State::Read { reader, .. } => Some(reader),
            _ => None,
        }
    }

    /// How the current (or else the last) stream ended, once it has.
    pub fn verdict(&self) -> Option<Verdict> {
        match &self.state {
            State::Read { reader, .. } => reader.verdict(),
            _ => self.verdict,
        }
    }

    /// Applies a delivered event to `acc` (a tool loop's `into_snapshot`), as
    /// [`ToolLoop::accumulate`] does.
    pub fn accumulate(
        &self,
        acc: &mut super::LoopAccumulator<P>,
        event: &P::Event,
    ) -> Result<(), StreamError> {
        self.tools.accumulate(acc, event)
    }
}
