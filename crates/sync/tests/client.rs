//! The client tests of `crates/testserver/client_tests/`, written once in async form, played by
//! the sync client: `sync_twin!` strips their `async` and `.await` (the sync API is the async
//! one without `.await`). Tests only the sync client has would go in `transport_only`.

// `sync_twin!` takes two levels of macro expansion for each token of a test body.
#![recursion_limit = "4096"]
// The blocking twin of the async `while let Some(x) = stream.next().await` is a `while let` on
// an iterator: written once, it cannot be a `for` loop.
#![allow(clippy::while_let_on_iterator)]

use std::time::Duration;

use streaming_assistants_sync::{
    Chat, ChatRequest, ChatRule, Client, Config, Error, EventStream, ResponseRequest, StreamError,
    Verdict,
};
use streaming_assistants_testserver::{BlockingTestServer, Dialect, Script};

/// A shared test: a `#[test]`, its body stripped of `async` and `.await`.
macro_rules! client_test {
    ($(#[$($attr:tt)*])* async fn $name:ident() { $($body:tt)* }) => {
        $(#[$($attr)*])*
        #[test]
        fn $name() {
            streaming_assistants_testserver::sync_twin! { $($body)* }
        }
    };
}

/// A shared helper written in async form: its blocking twin.
macro_rules! client_helper {
    ($($item:tt)*) => {
        streaming_assistants_testserver::sync_twin! { $($item)* }
    };
}

/// The test server for `script`, in OpenAI's dialect.
fn serve(script: Script) -> BlockingTestServer {
    BlockingTestServer::start(script).unwrap()
}

/// The test server for `script`, in `dialect`.
fn serve_with(script: Script, dialect: Dialect) -> BlockingTestServer {
    BlockingTestServer::start_with(script, dialect).unwrap()
}

/// Sleeps, blocking the thread.
fn pause(duration: Duration) {
    std::thread::sleep(duration);
}

mod chat {
    use super::*;
    include!("../../testserver/client_tests/chat.rs");
}

mod loopback {
    use super::*;
    include!("../../testserver/client_tests/loopback.rs");
}

mod responses {
    use super::*;
    include!("../../testserver/client_tests/responses.rs");
}

mod websocket {
    use super::*;
    include!("../../testserver/client_tests/websocket.rs");
}
