//! Every loop of a client, as a state machine with time passed in (the way `quinn-proto`
//! holds a connection's state and `quinn` only drives sockets and timers).
//!
//! [`Session`] is the one a transport polls: it composes the others and says what to do next —
//! send this request, wait until then, read more, hand this event to the user, ask the user
//! for tool outputs, done ([`Step`]) — so each transport has one pump loop and performs it.
//! Its parts:
//!
//! - [`Reader`]: a stream read to its one [`Verdict`] (clean, truncated at byte N, failed);
//! - [`Retry`]: one call's retries with backoff and `retry-after`, under [`Retries`];
//! - [`ToolLoop`]: legs streamed and tool calls answered until a final answer, a cut leg
//!   resumed where the protocol can, driving a protocol's [`ToolSession`] (each protocol's
//!   `session.rs`: `assistants::AssistantsTools`, `responses::ResponsesSession`,
//!   `chat::ChatSession`; Astra's create → poll → stream is `assistants::LegacyFlow`).
//!
//! - [`websocket::Connection`]: the Responses API over one WebSocket, frames routed into lanes
//!   (each a response accumulated as over SSE), and [`websocket::ToolTurns`], the tool loop over
//!   one connection.
//!
//! All are tested here with no sockets, against a fake clock.

mod error;
mod reader;
mod retry;
mod session;
mod tool_loop;
pub mod websocket;

pub use crate::wire::protocol::{ToolSession, Verdict};
pub use error::{Cause, Error, StreamError};
pub use reader::Reader;
pub use retry::{retry_after, Failure, Retries, Retry, Timeouts};
pub use session::{Session, Single, Step};
pub use tool_loop::{LoopAccumulator, ToolLoop, ToolStep};
