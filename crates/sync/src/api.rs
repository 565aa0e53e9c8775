//! The client surface, as the core writes it once for both transports
//! ([`streaming_assistants_core::surface`]): `client.assistants()`, `client.threads()` (with
//! `messages()`, `runs()`, `runs().steps()`), `client.responses()`, `client.chat()`.

use crate::tools::NoTools;
use crate::{Client, Error, EventStream, ResponsesConnection, WebSocketOptions};

streaming_assistants_core::transport_surface!([] [] [FnMut]);
