//! The connection's state machine: commands out, frames in, routed into lanes.

use std::collections::VecDeque;

use super::lane::valid_stream_id;
use super::{CapacityError, End, Lane, LaneAccumulator, LaneError, Limits};
use crate::drive::{Error, StreamError};
use crate::responses::websocket::{create_frame, request_frame, steer_frame};
use crate::responses::{EventType, ResponseEvent, ResponseRequest};
use crate::wire::protocol::DecodeError;

/// What a lane has next.
// Returned by value once per event: boxing the event would allocate once per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum LanePoll {
    /// An event of the lane's response (an `error` frame comes as
    /// `Err(Error::Stream(StreamError::ErrorEvent))`, a close before the terminal event as
    /// `Err(Error::Truncated)`).
    Event(Result<ResponseEvent, Error>),
    /// Nothing queued and the response is in flight: read a frame, [`Connection::receive`] it,
    /// and poll again.
    Read,
    /// The lane has no response in flight and nothing queued.
    Idle,
}

/// A queued item: what the lane delivers, its frame's size, and whether it belongs to the lane's
/// own responses (not an unregistered lane's event kept in the default lane, which changes
/// nothing there).
#[derive(Debug)]
struct Queued {
    item: Result<ResponseEvent, Error>,
    size: usize,
    owned: bool,
}

#[derive(Debug)]
struct LaneState {
    lane: Lane,
    queue: VecDeque<Queued>,
    bytes: usize,
    /// A create was sent, or a `response.created` arrived, and its terminal event was not
    /// read yet.
    in_flight: bool,
    /// `response.created` events received and read (an accepted steer starts a successor).
    created_received: u64,
    created_read: u64,
    /// Frame bytes of the current response, for a truncation's offset.
    received: u64,
    /// A steer was accepted and neither its successor's `response.created` nor a
    /// `response.steer.pending|failed` was read yet: the lane waits for the successor after the
    /// terminal event.
    steered: bool,
    acc: LaneAccumulator,
}

impl LaneState {
    fn new(lane: Lane) -> Self {
        LaneState {
            lane,
            queue: VecDeque::new(),
            bytes: 0,
            in_flight: false,
            created_received: 0,
            created_read: 0,
            received: 0,
            steered: false,
            acc: LaneAccumulator::new(),
        }
    }
}

/// One WebSocket connection of the Responses API, without the socket: see the
/// [module docs](super). The transport sends the frames [`create`](Connection::create) and
/// [`steer`](Connection::steer) return, hands every text frame it reads to
/// [`receive`](Connection::receive) and the end of the socket to
/// [`ended`](Connection::ended), and reads a lane with [`poll`](Connection::poll).
#[derive(Debug)]
pub struct Connection {
    limits: Limits,
    /// The default lane first.
    lanes: Vec<LaneState>,
    events: usize,
    bytes: usize,
    position: u64,
    end: Option<End>,
}

impl Default for Connection {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

impl Connection {
    /// A connection with these limits and only its default lane.
    pub fn new(limits: Limits) -> Self {
        Connection {
            limits,
            lanes: vec![LaneState::new(Lane::default_lane())],
            events: 0,
            bytes: 0,
            position: 0,
            end: None,
        }
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The default lane.
    pub fn default_lane(&self) -> Lane {
        Lane::default_lane()
    }

    /// Registers the named lane `stream_id`. Registered lanes stay until the connection ends.
    pub fn lane(&mut self, stream_id: &str) -> Result<Lane, LaneError> {
        if !valid_stream_id(stream_id) {
            return Err(LaneError::InvalidStreamId(stream_id.to_owned()));
        }
        if self.end.is_some() {
            return Err(LaneError::Closed);
        }
        let lane = Lane(Some(stream_id.to_owned()));
        if self.lanes.iter().any(|state| state.lane == lane) {
            return Err(LaneError::Duplicate(stream_id.to_owned()));
        }
        if self.lanes.len() >= self.limits.max_lanes {
            return Err(LaneError::TooManyLanes(self.limits.max_lanes));
        }
        self.lanes.push(LaneState::new(lane.clone()));
        Ok(lane)
    }

    fn index(&self, lane: &Lane) -> Result<usize, LaneError> {
        self.lanes
            .iter()
            .position(|state| state.lane == *lane)
            .ok_or_else(|| LaneError::Unknown(lane.0.clone().unwrap_or_default()))
    }

    /// The `response.create` frame for `request` on `lane`, the lane now holding its response;
    /// an error, and nothing to send, when the lane has a response in flight.
    pub fn create(&mut self, lane: &Lane, request: &ResponseRequest) -> Result<String, LaneError> {
        self.start(lane)?;
        Ok(request_frame(request, lane.stream_id()))
    }

    /// [`create`](Connection::create) from an HTTP create's JSON body (`stream` and
    /// `background` are left out).
    pub fn create_from_body(
        &mut self,
        lane: &Lane,
        body: &serde_json::Value,
    ) -> Result<String, LaneError> {
        self.start(lane)?;
        Ok(create_frame(body, lane.stream_id()))
    }

    fn start(&mut self, lane: &Lane) -> Result<(), LaneError> {
        let index = self.index(lane)?;
        if self.end.is_some() {
            return Err(LaneError::Closed);
        }
        let Some(state) = self.lanes.get_mut(index) else {
            return Err(LaneError::Unknown(lane.0.clone().unwrap_or_default()));
        };
        if state.in_flight {
            return Err(LaneError::Busy(lane.0.clone()));
        }
        state.in_flight = true;
        state.received = 0;
        state.acc = LaneAccumulator::new();
        Ok(())
    }

    /// The `response.steer` frame: `input` queued for a continuation of the response
    /// `previous_response_id` (its lane receives the acknowledgement and any successor).
    pub fn steer(
        &mut self,
        previous_response_id: &str,
        input: serde_json::Value,
    ) -> Result<String, LaneError> {
        if self.end.is_some() {
            return Err(LaneError::Closed);
        }
        Ok(steer_frame(previous_response_id, input))
    }

    /// Takes one text frame from the server and queues its event in its lane (by `stream_id`;
    /// the default lane for none or an unregistered one, as openai-python routes them). An
    /// error means a buffer budget was exceeded: the connection has ended (the transport
    /// should close the socket), and every lane in flight reports it.
    pub fn receive(&mut self, frame: &str) -> Result<(), CapacityError> {
        if self.end.is_some() {
            return Ok(());
        }
        let position = self.position;
        self.position += 1;
        let size = frame.len();
        match ResponseEvent::decode("websocket", frame, position) {
            Ok(event) => {
                let index = self.lane_of(event.stream_id.as_deref());
                let owned = self.owns(index, event.stream_id.as_deref());
                let created = event.kind == EventType::Created;
                let item = match event.error_object() {
                    Some(error) => Err(Error::Stream(StreamError::ErrorEvent(Box::new(error)))),
                    None => Ok(event),
                };
                self.enqueue(index, Queued { item, size, owned }, created)
            }
            Err(err) => {
                // Still routed by its `stream_id` when the frame is JSON at all.
                let stream_id = serde_json::from_str::<serde_json::Value>(frame)
                    .ok()
                    .and_then(|v| v.get("stream_id")?.as_str().map(str::to_owned));
                let index = match &stream_id {
                    Some(id) => self.lane_of(Some(id)),
                    None => self.undirected(),
                };
                let item = Err(Error::Stream(StreamError::Decode(err)));
                self.enqueue(
                    index,
                    Queued {
                        item,
                        size,
                        owned: true,
                    },
                    false,
                )
            }
        }
    }

    /// Takes a binary frame: UTF-8 text is a text frame; anything else is a decode error in
    /// the lane a frame with no `stream_id` would go to.
    pub fn receive_binary(&mut self, frame: &[u8]) -> Result<(), CapacityError> {
        match std::str::from_utf8(frame) {
            Ok(text) => self.receive(text),
            Err(err) => {
                if self.end.is_some() {
                    return Ok(());
                }
                let position = self.position;
                self.position += 1;
                let json = serde_json::Error::io(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    err,
                ));
                let err = DecodeError::new("websocket", position, &json);
                let index = self.undirected();
                let item = Err(Error::Stream(StreamError::Decode(err)));
                let size = frame.len();
                self.enqueue(
                    index,
                    Queued {
                        item,
                        size,
                        owned: true,
                    },
                    false,
                )
            }
        }
    }

    /// The index of the lane named `stream_id`: the default lane for none or an unregistered
    /// one.
    fn lane_of(&self, stream_id: Option<&str>) -> usize {
        self.lanes
            .iter()
            .position(|state| state.lane.stream_id() == stream_id)
            .unwrap_or(0)
    }

    /// Whether an event naming `stream_id` belongs to the responses of lane `index`.
    fn owns(&self, index: usize, stream_id: Option<&str>) -> bool {
        self.lanes
            .get(index)
            .is_some_and(|state| state.lane.stream_id() == stream_id)
    }

    /// The lane of a frame that could not be read: the default lane's response if one is in
    /// flight, else the first lane in flight, else the default lane.
    fn undirected(&self) -> usize {
        if self.default_in_flight() {
            return 0;
        }
        self.lanes.iter().position(|s| s.in_flight).unwrap_or(0)
    }

    fn enqueue(
        &mut self,
        index: usize,
        queued: Queued,
        created: bool,
    ) -> Result<(), CapacityError> {
        let limits = self.limits;
        let size = queued.size;
        let (count, bytes) = self
            .lanes
            .get(index)
            .map_or((0, 0), |s| (s.queue.len(), s.bytes));
        let over = if count >= limits.max_events_per_lane {
            Some(("max_events_per_lane", limits.max_events_per_lane))
        } else if bytes + size > limits.max_bytes_per_lane {
            Some(("max_bytes_per_lane", limits.max_bytes_per_lane))
        } else if self.events >= limits.max_events {
            Some(("max_events", limits.max_events))
        } else if self.bytes + size > limits.max_bytes {
            Some(("max_bytes", limits.max_bytes))
        } else {
            None
        };
        if let Some((limit, value)) = over {
            let err = CapacityError { limit, value };
            self.ended(End::Capacity(err.clone()));
            return Err(err);
        }
        if let Some(state) = self.lanes.get_mut(index).filter(|_| queued.owned) {
            if created {
                // A new response (an accepted steer's successor among them) on this lane.
                state.created_received += 1;
                state.in_flight = true;
                state.received = 0;
            }
            state.received += size as u64;
        }
        self.push(index, queued);
        Ok(())
    }

    /// Queues an item in lane `index`, counted in the connection's totals.
    fn push(&mut self, index: usize, queued: Queued) {
        let Some(state) = self.lanes.get_mut(index) else {
            return;
        };
        state.bytes += queued.size;
        self.events += 1;
        self.bytes += queued.size;
        state.queue.push_back(queued);
    }

    /// The socket ended (a close frame, a drop, a capacity error): each lane with a response
    /// in flight gets a truncation error after what it has queued. Commands fail from now on,
    /// until [`reconnected`](Connection::reconnected).
    pub fn ended(&mut self, end: End) {
        if self.end.is_some() {
            return;
        }
        for index in 0..self.lanes.len() {
            let Some(state) = self.lanes.get(index).filter(|s| s.in_flight) else {
                continue;
            };
            let err = match &end {
                End::Capacity(err) => Error::Stream(StreamError::Capacity(err.clone())),
                end => Error::Truncated {
                    at: state.received,
                    cause: Some(Box::new(end.clone())),
                    resumes: 0,
                },
            };
            let queued = Queued {
                item: Err(err),
                size: 0,
                owned: true,
            };
            self.push(index, queued);
        }
        self.end = Some(end);
    }

    /// How the connection ended, once it has.
    pub fn end(&self) -> Option<&End> {
        self.end.as_ref()
    }

    /// A new socket took the ended one's place: lanes stay registered, with no response in
    /// flight (the server's cache of the old connection is gone).
    /// What the lanes still held of the old connection is dropped: none of it belongs to a
    /// response of the new one.
    pub fn reconnected(&mut self) {
        self.end = None;
        self.events = 0;
        self.bytes = 0;
        for state in &mut self.lanes {
            state.queue.clear();
            state.bytes = 0;
            state.in_flight = false;
            state.created_received = 0;
            state.created_read = 0;
            state.steered = false;
        }
    }

    fn default_in_flight(&self) -> bool {
        self.lanes.first().is_some_and(|s| s.in_flight)
    }

    /// Whether any lane has a response in flight.
    pub fn any_in_flight(&self) -> bool {
        self.lanes.iter().any(|s| s.in_flight)
    }

    /// Whether `lane` has a response in flight.
    pub fn is_in_flight(&self, lane: &Lane) -> bool {
        self.index(lane)
            .ok()
            .and_then(|i| self.lanes.get(i))
            .is_some_and(|s| s.in_flight)
    }

    /// The next event of `lane`: queued, to be read, or none in flight (a lane of another
    /// connection has none).
    pub fn poll(&mut self, lane: &Lane) -> LanePoll {
        let Ok(index) = self.index(lane) else {
            return LanePoll::Idle;
        };
        let Some(state) = self.lanes.get_mut(index) else {
            return LanePoll::Idle;
        };
        let Some(Queued { item, size, owned }) = state.queue.pop_front() else {
            return match (state.in_flight, &self.end) {
                (true, None) => LanePoll::Read,
                _ => LanePoll::Idle,
            };
        };
        state.bytes = state.bytes.saturating_sub(size);
        self.events = self.events.saturating_sub(1);
        self.bytes = self.bytes.saturating_sub(size);
        let successor_waits = state.created_received > state.created_read;
        match &item {
            _ if !owned => {}
            Ok(event) => {
                state.acc.apply(event);
                match event.kind {
                    EventType::Created => {
                        state.created_read += 1;
                        state.in_flight = true;
                        state.steered = false;
                    }
                    EventType::SteerAccepted => state.steered = true,
                    EventType::SteerPending | EventType::SteerFailed => {
                        state.steered = false;
                        state.in_flight = successor_waits || state.acc.is_running();
                    }
                    ref kind if kind.is_terminal() => {
                        state.in_flight = successor_waits || state.steered;
                    }
                    _ => {}
                }
            }
            // A decode error leaves the response going.
            Err(Error::Stream(StreamError::Decode(_))) => {}
            // An error frame, a truncation or a capacity error ends it.
            Err(_) => state.in_flight = successor_waits,
        }
        LanePoll::Event(item)
    }

    /// The lane's response so far (`None` before its `response.created`): after its terminal
    /// event, the final one.
    pub fn response(&self, lane: &Lane) -> Option<crate::responses::Response> {
        let index = self.index(lane).ok()?;
        self.lanes.get(index)?.acc.response()
    }
}
