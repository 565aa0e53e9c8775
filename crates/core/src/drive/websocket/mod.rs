//! The Responses API over one WebSocket (`wss://…/responses`) as a state machine: no I/O, as
//! the rest of `drive`. The transport opens the socket and pumps text frames; [`Connection`]
//! decides (the frames and the URL themselves are `responses::websocket`'s).
//!
//! - A client command is a text frame: [`Connection::create`] (a `response.create` with the
//!   same body as an HTTP create, minus `stream` and `background`) and
//!   [`Connection::steer`] (`response.steer`).
//! - Each server frame is one event, decoded by the Responses decoder's own types (no SSE
//!   framing), plus `error` frames (flat or nested, with `status`) and the
//!   `response.steer.accepted|pending|failed` acknowledgements; unknown types are kept.
//! - Events are routed by `stream_id` into [`Lane`]s. Each lane holds one response at a time
//!   and accumulates it exactly as the SSE [`Accumulator`](crate::responses::Accumulator) does; where a
//!   server leaves out SSE set-up events or a terminal `output`, the finalized items fill it,
//!   as openai-python's `ResponsesWebSocketAccumulator` does.
//! - Buffers are bounded by [`Limits`]; a close or a drop before a lane's terminal event is a
//!   truncation of that lane's response.
//!
//! ```
//! use streaming_assistants_core::drive::websocket::{Connection, LanePoll};
//! use streaming_assistants_core::responses::ResponseRequest;
//!
//! let mut connection = Connection::default();
//! let lane = connection.default_lane();
//! let frame = connection.create(&lane, &ResponseRequest::new("m").input("Hi"))?;
//! assert_eq!(frame, r#"{"type":"response.create","input":"Hi","model":"m"}"#);
//! connection.receive(r#"{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress","output":[]}}"#)?;
//! connection.receive(r#"{"type":"response.completed","sequence_number":1,"response":{"id":"resp_1","status":"completed","output":[]}}"#)?;
//! while let LanePoll::Event(event) = connection.poll(&lane) {
//!     event?;
//! }
//! assert_eq!(connection.response(&lane).unwrap().id.as_deref(), Some("resp_1"));
//! # Ok::<(), streaming_assistants_core::drive::Error>(())
//! ```

mod accumulate;
mod connection;
mod end;
mod lane;
mod limits;
mod options;
mod reconnect;
mod turns;

pub use crate::responses::websocket::{
    create_frame, steer_frame, upgrade_headers, upgrade_url, websocket_url, Handshake, Progress,
    Upgrade, UpgradeError,
};
pub use accumulate::LaneAccumulator;
pub use connection::{Connection, LanePoll};
pub use end::{Closed, End};
pub use lane::{Lane, LaneError};
pub use limits::{CapacityError, Limits};
pub use options::{OnReconnecting, Options};
pub use reconnect::{Reconnect, ReconnectEvent};
pub use turns::{ToolTurns, TurnStep};
