//! How a connection ended: what each lane with a response in flight is told.

use std::fmt;

use super::CapacityError;

/// The end of a connection, as the transport saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum End {
    /// A close frame arrived (even a clean one: before a response's terminal event it cuts
    /// that response).
    Closed(Closed),
    /// The connection dropped with no close frame: the transport's error, as text.
    Dropped(String),
    /// A lane went past its buffer budget.
    Capacity(CapacityError),
}

/// The close frame's code and reason (`code` is `None` when the frame had none).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Closed {
    /// The close code (1000 normal, 1001 going away, 1011 server error, ...).
    pub code: Option<u16>,
    /// The reason text.
    pub reason: String,
}

impl Closed {
    /// A close frame with this code and reason.
    pub fn new(code: Option<u16>, reason: impl Into<String>) -> Self {
        Closed {
            code,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for End {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            End::Closed(Closed { code, reason }) => {
                f.write_str("the server closed the WebSocket")?;
                if let Some(code) = code {
                    write!(f, " (code {code})")?;
                }
                if !reason.is_empty() {
                    write!(f, ": {reason}")?;
                }
                Ok(())
            }
            End::Dropped(cause) => write!(f, "the WebSocket connection dropped: {cause}"),
            End::Capacity(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for End {}

impl End {
    /// The close code as openai-python's reconnect policy sees it: a drop is 1006.
    pub fn close_code(&self) -> u16 {
        match self {
            End::Closed(Closed { code, .. }) => code.unwrap_or(1005),
            End::Dropped(_) => 1006,
            End::Capacity(_) => 1009,
        }
    }
}
