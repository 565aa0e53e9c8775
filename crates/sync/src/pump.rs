//! The one pump loop: performs what the core's [`Session`] asks — send a request, sleep, read
//! the body, hand an event over, ask the tools — for every stream and tool loop of this crate.

use std::io::Read;
use std::time::Instant;

use streaming_assistants_core::drive::{Reader, Session, Step, ToolSession};
use streaming_assistants_core::wire::protocol::Protocol;

use crate::client::{sleep_until, Answer};
use crate::error::from_io;
use crate::{Client, Error};

/// A [`Session`] and the socket under it.
pub(crate) struct Pump<S: ToolSession, P: Protocol> {
    client: Client,
    pub(crate) session: Session<S, P>,
    /// The clock as the session last needed it: read again only after a send or a wait (the
    /// session compares it with a retry's deadline only), not once per event.
    now: Instant,
    /// The last answer, until its body is read.
    answer: Option<Answer>,
    body: Option<Box<dyn Read + Send>>,
    buf: Box<[u8]>,
}

impl<S, P> Pump<S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
{
    pub(crate) fn new(client: &Client, session: S) -> Self {
        Pump {
            session: Session::new(session, client.retries),
            now: Instant::now(),
            client: client.clone(),
            answer: None,
            body: None,
            buf: Box::default(),
        }
    }

    /// Performs the session's steps until `take` finds something in the body being read (the
    /// hot path), an event is delivered that `event` keeps, or an error or the end comes.
    /// Calls are answered by `tool`.
    pub(crate) fn run<T>(
        &mut self,
        mut take: impl FnMut(&mut Reader<P>) -> Option<Result<T, Error>>,
        mut event: impl FnMut(P::Event) -> Option<T>,
        tool: &mut dyn FnMut(&S::Call) -> String,
    ) -> Option<Result<T, Error>> {
        loop {
            if let Some(found) = self.session.reader_mut().and_then(&mut take) {
                return Some(found);
            }
            match self.session.poll(self.now) {
                Step::Send(request) => {
                    let outcome = self.client.attempt::<P>(request).map(|answer| {
                        self.answer = Some(answer);
                        self.body = None;
                    });
                    self.now = Instant::now();
                    self.session.sent(outcome, self.now);
                }
                Step::Wait(at) => {
                    sleep_until(at);
                    self.now = Instant::now();
                }
                Step::Read => self.read_more(),
                Step::Deliver(Ok(item)) => {
                    if let Some(found) = event(item) {
                        return Some(Ok(found));
                    }
                }
                Step::Deliver(Err(err)) => return Some(Err(err)),
                Step::Answer(calls) => {
                    let outputs = calls.iter().map(&mut *tool).collect();
                    self.session.answered(outputs);
                }
                Step::Done => return None,
            }
        }
    }

    /// The next event if it is already decoded from the bytes received: never reads, sends or
    /// sleeps.
    pub(crate) fn next_buffered(&mut self) -> Option<Result<P::Event, Error>> {
        match self.session.poll(self.now) {
            Step::Deliver(item) => Some(item),
            _ => None,
        }
    }

    /// Sends the session's first request until it is answered (retries included): the answer,
    /// or the error that ended the call.
    pub(crate) fn open(&mut self) -> Result<(), Error> {
        match self.run(|_| Some(Ok(())), |_| None, &mut |_| String::new()) {
            Some(Err(err)) => Err(err),
            _ => Ok(()),
        }
    }

    /// The answer of the last request sent, its body unread (a non-streamed call's).
    pub(crate) fn take_answer(&mut self) -> Option<Answer> {
        self.answer.take()
    }

    /// Reads the next bytes of the body into the session.
    fn read_more(&mut self) {
        if self.body.is_none() {
            self.body = self
                .answer
                .take()
                .map(|answer| Box::new(answer.into_body().into_reader()) as Box<dyn Read + Send>);
            if self.buf.is_empty() {
                self.buf = vec![0; 16 * 1024].into_boxed_slice();
            }
        }
        let Some(body) = &mut self.body else {
            return self.session.end();
        };
        loop {
            return match body.read(&mut self.buf) {
                Ok(0) => self.session.end(),
                Ok(n) => self.session.push(self.buf.get(..n).unwrap_or_default()),
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => self.session.fail(from_io(err)),
            };
        }
    }
}
