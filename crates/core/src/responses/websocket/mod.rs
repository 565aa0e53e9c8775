//! The Responses API's WebSocket mode on the wire: the client's commands as text frames
//! (`response.create`, `response.steer`), and the opening handshake (its URL, headers and
//! bytes, and the answer's head). Each server
//! frame is one [`ResponseEvent`](super::ResponseEvent), decoded by its own `decode` (the
//! `stream_id`, `status` and `response.steer.*` fields are part of it). The connection's state
//! machine, which routes frames into lanes, is `drive::websocket`.

mod command;
mod upgrade;
mod url;

pub(crate) use command::request_frame;
pub use command::{create_frame, steer_frame};
pub use upgrade::{Handshake, Progress, Upgrade, UpgradeError};
pub use url::{upgrade_headers, upgrade_url, websocket_url};
