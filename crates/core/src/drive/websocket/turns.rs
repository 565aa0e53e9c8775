//! The tool loop over one connection: each turn a `response.create` on the same lane with
//! `previous_response_id` and only the new `function_call_output` items.

use super::{Connection, Lane, LanePoll};
use crate::drive::{Error, ToolLoop, ToolStep};
use crate::responses::{FunctionCall, ResponseEvent, ResponseRequest, ResponsesSession};

/// What the transport does next for a [`ToolTurns`].
// Returned by value once per event: boxing the event would allocate once per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum TurnStep<'a> {
    /// Send this text frame (the next turn's create).
    Send(String),
    /// Read a frame and hand it to [`Connection::receive`] (or the socket's end to
    /// [`Connection::ended`]).
    Read,
    /// An event of the current turn, or an error (one that ends the response ends the loop).
    Event(Result<ResponseEvent, Error>),
    /// Ask the user's function for each call's output, then call [`ToolTurns::answered`].
    Answer(&'a [FunctionCall]),
    /// The last turn asked for no call: the loop is over.
    Done,
}

/// The Responses tool loop of [`ResponsesSession`] (the HTTP loop's own rules) played over a
/// lane of a [`Connection`]: no request is re-sent and no conversation re-uploaded, the server
/// keeps the previous response in the connection's cache.
#[derive(Debug)]
pub struct ToolTurns {
    tools: ToolLoop<ResponsesSession>,
    lane: Lane,
    in_turn: bool,
    over: bool,
    turns: u32,
}

impl ToolTurns {
    /// A loop that starts with `request` on `lane`.
    pub fn new(request: ResponseRequest, lane: Lane) -> Self {
        ToolTurns {
            tools: ToolLoop::new(ResponsesSession::new(request).resumes(0)),
            lane,
            in_turn: false,
            over: false,
            turns: 0,
        }
    }

    /// The lane the turns run on.
    pub fn lane(&self) -> &Lane {
        &self.lane
    }

    /// Turns sent so far.
    pub fn turns(&self) -> u32 {
        self.turns
    }

    /// Whether a turn is being read (between turns, the next poll may send): a transport
    /// reopens an ended socket only between turns.
    pub fn in_turn(&self) -> bool {
        self.in_turn
    }

    /// What to do next.
    pub fn poll(&mut self, connection: &mut Connection) -> TurnStep<'_> {
        loop {
            if self.over {
                return TurnStep::Done;
            }
            if self.in_turn {
                match connection.poll(&self.lane) {
                    // An unregistered lane's event kept in this lane's queue is handed over as it
                    // is, but is no part of the loop's responses.
                    LanePoll::Event(Ok(event))
                        if event.stream_id.as_deref() != self.lane.stream_id() =>
                    {
                        return TurnStep::Event(Ok(event));
                    }
                    LanePoll::Event(Ok(event)) => {
                        if self.tools.event(&event) {
                            return TurnStep::Event(Ok(event));
                        }
                        continue;
                    }
                    LanePoll::Event(Err(err)) => {
                        self.over = !connection.is_in_flight(&self.lane);
                        return TurnStep::Event(Err(err));
                    }
                    LanePoll::Read => return TurnStep::Read,
                    LanePoll::Idle => {
                        self.in_turn = false;
                        self.tools.leg_ended();
                    }
                }
            }
            match self.tools.step() {
                ToolStep::Send(request) => {
                    let body = request.body.unwrap_or_default();
                    match connection.create_from_body(&self.lane, &body) {
                        Ok(frame) => {
                            self.in_turn = true;
                            self.turns += 1;
                            return TurnStep::Send(frame);
                        }
                        Err(err) => {
                            self.over = true;
                            return TurnStep::Event(Err(err.into()));
                        }
                    }
                }
                ToolStep::Answer(_) => break,
                ToolStep::Done => {
                    self.over = true;
                    return TurnStep::Done;
                }
            }
        }
        TurnStep::Answer(self.tools.calls())
    }

    /// The outputs of the calls of the last [`TurnStep::Answer`], in order.
    pub fn answered(&mut self, outputs: Vec<String>) {
        self.tools.answered(outputs);
    }
}
