//! Astra's legacy flow as a state machine: create a run without streaming, poll it until it
//! is `generating` (or has ended), then stream its reply from the message stream.

use std::time::{Duration, Instant};

use crate::assistants::types::{Run, RunStatus};
use crate::wire::Request;

/// What the transport does next.
#[derive(Debug, PartialEq)]
pub enum LegacyStep {
    /// Send this request and hand the [`Run`] it answers to [`LegacyFlow::run`].
    Send(Request),
    /// Wait until this instant, then ask again.
    Wait(Instant),
    /// Stream the reply with this request (through [`Legacy`](crate::assistants::Legacy)).
    Stream(Request),
}

#[derive(Debug, Clone)]
enum State {
    Create,
    Asked,
    Poll(Instant),
    Stream,
}

/// The legacy flow of one run.
///
/// ```
/// use std::time::{Duration, Instant};
/// use streaming_assistants_core::assistants::{LegacyFlow, LegacyStep};
///
/// let t0 = Instant::now();
/// let mut flow = LegacyFlow::new("thread_1", "asst_1", Duration::from_millis(200));
/// assert!(matches!(flow.step(t0), LegacyStep::Send(_))); // create the run
/// let run = serde_json::from_str(r#"{"id": "run_1", "status": "queued"}"#).unwrap();
/// flow.run(&run, t0);
/// assert_eq!(flow.step(t0), LegacyStep::Wait(t0 + Duration::from_millis(200)));
/// ```
#[derive(Debug, Clone)]
pub struct LegacyFlow {
    thread_id: String,
    assistant_id: String,
    poll: Duration,
    run_id: Option<String>,
    state: State,
}

impl LegacyFlow {
    /// A run of `assistant_id` on `thread_id`, polled every `poll`.
    pub fn new(thread_id: &str, assistant_id: &str, poll: Duration) -> Self {
        LegacyFlow {
            thread_id: thread_id.to_owned(),
            assistant_id: assistant_id.to_owned(),
            poll,
            run_id: None,
            state: State::Create,
        }
    }

    /// What to do at `now`.
    pub fn step(&mut self, now: Instant) -> LegacyStep {
        match (&self.state, &self.run_id) {
            (State::Create, _) | (_, None) => {
                self.state = State::Asked;
                LegacyStep::Send(Request::run_assistant(
                    &self.thread_id,
                    &self.assistant_id,
                    false,
                ))
            }
            (State::Poll(at), Some(_)) if now < *at => LegacyStep::Wait(*at),
            (State::Poll(_) | State::Asked, Some(run_id)) => {
                let request = Request::retrieve_run(&self.thread_id, run_id);
                self.state = State::Asked;
                LegacyStep::Send(request)
            }
            (State::Stream, Some(_)) => {
                LegacyStep::Stream(Request::legacy_message_stream(&self.thread_id))
            }
        }
    }

    /// The run a [`LegacyStep::Send`] answered, at `now`: poll again while it is queued or in
    /// progress, stream once it is generating or has ended.
    pub fn run(&mut self, run: &Run, now: Instant) {
        self.run_id = Some(run.id.clone());
        self.state = if matches!(run.status, RunStatus::Queued | RunStatus::InProgress) {
            State::Poll(now + self.poll)
        } else {
            State::Stream
        };
    }

    /// The run, once created.
    pub fn run_id(&self) -> Option<&str> {
        self.run_id.as_deref()
    }
}
