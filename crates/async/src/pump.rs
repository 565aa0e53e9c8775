//! The one pump loop: performs what the core's [`Session`] asks — send a request, sleep, read
//! the body, hand an event over — for every stream and tool loop of this crate, polled in
//! place (no spawned task, no channel: backpressure is the socket's). Asking the user's tools
//! is left to the caller ([`Pumped::Answer`]): their futures borrow the tool.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use streaming_assistants_core::drive::{Reader, Session, Step, ToolSession};
use streaming_assistants_core::wire::protocol::Protocol;

use crate::body::Body;
use crate::client::{Attempt, Outcome};
use crate::{Client, Error};

/// What a pump stops for.
pub(crate) enum Pumped<T> {
    /// Something for the user (`None`: the end).
    Item(Option<Result<T, Error>>),
    /// The session waits for tool outputs ([`Session::answered`]).
    Answer,
}

/// A [`Session`] and the socket under it.
pub(crate) struct Pump<S: ToolSession, P: Protocol> {
    client: Client,
    pub(crate) session: Session<S, P>,
    /// The clock as the session last needed it: read again only after a send or a wait (the
    /// session compares it with a retry's deadline only), not once per event.
    now: Instant,
    sending: Option<Attempt>,
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
    /// The last answer, until its body is read.
    answer: Option<reqwest::Response>,
    body: Option<Pin<Box<Body>>>,
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
            sending: None,
            waiting: None,
            answer: None,
            body: None,
        }
    }

    /// Performs the session's steps until `take` finds something in the body being read (the
    /// hot path), an event is delivered that `event` keeps, an error or the end comes, or the
    /// session waits for tool outputs.
    pub(crate) fn poll_run<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut take: impl FnMut(&mut Reader<P>) -> Option<Result<T, Error>>,
        mut event: impl FnMut(P::Event) -> Option<T>,
    ) -> Poll<Pumped<T>> {
        loop {
            if let Some(found) = self.session.reader_mut().and_then(&mut take) {
                return Poll::Ready(Pumped::Item(Some(found)));
            }
            match self.session.poll(self.now) {
                Step::Send(request) => {
                    let client = &self.client;
                    let attempt = self
                        .sending
                        .get_or_insert_with(|| client.attempt::<P>(request));
                    let outcome: Outcome = std::task::ready!(attempt.as_mut().poll(cx));
                    self.sending = None;
                    let outcome = outcome.map(|answer| {
                        self.answer = Some(answer);
                        self.body = None;
                    });
                    self.now = Instant::now();
                    self.session.sent(outcome, self.now);
                }
                Step::Wait(at) => {
                    let sleep = self
                        .waiting
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(at.into())));
                    std::task::ready!(sleep.as_mut().poll(cx));
                    self.waiting = None;
                    self.now = Instant::now();
                }
                Step::Read => std::task::ready!(self.poll_read_more(cx)),
                Step::Deliver(Ok(item)) => {
                    if let Some(found) = event(item) {
                        return Poll::Ready(Pumped::Item(Some(Ok(found))));
                    }
                }
                Step::Deliver(Err(err)) => return Poll::Ready(Pumped::Item(Some(Err(err)))),
                Step::Answer(_) => return Poll::Ready(Pumped::Answer),
                Step::Done => return Poll::Ready(Pumped::Item(None)),
            }
        }
    }

    /// [`Pump::poll_run`] as a future, for a session with no tools.
    pub(crate) async fn run<T>(
        &mut self,
        mut take: impl FnMut(&mut Reader<P>) -> Option<Result<T, Error>>,
        mut event: impl FnMut(P::Event) -> Option<T>,
    ) -> Option<Result<T, Error>> {
        loop {
            match std::future::poll_fn(|cx| self.poll_run(cx, &mut take, &mut event)).await {
                Pumped::Item(item) => return item,
                // A session with no calls never asks; were it to, no output is the answer.
                Pumped::Answer => self.session.answered(Vec::new()),
            }
        }
    }

    /// Sends the session's first request until it is answered (retries included): the answer,
    /// or the error that ended the call.
    pub(crate) async fn open(&mut self) -> Result<(), Error> {
        match self.run(|_| Some(Ok(())), |_| None).await {
            Some(Err(err)) => Err(err),
            _ => Ok(()),
        }
    }

    /// The answer of the last request sent, its body unread (a non-streamed call's).
    pub(crate) fn take_answer(&mut self) -> Option<reqwest::Response> {
        self.answer.take()
    }

    /// Polls the body for its next bytes and pushes them into the session.
    fn poll_read_more(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.body.is_none() {
            let idle = self.client.idle;
            self.body = self.answer.take().map(|answer| Body::new(answer, idle));
        }
        let Some(body) = &mut self.body else {
            self.session.end();
            return Poll::Ready(());
        };
        match std::task::ready!(body.as_mut().poll_chunk(cx)) {
            Some(Ok(chunk)) => self.session.push(&chunk),
            Some(Err(err)) => self.session.fail(err),
            None => self.session.end(),
        }
        Poll::Ready(())
    }
}
