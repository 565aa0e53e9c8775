//! `crates/testserver/client_tests/websocket_logs.rs`, played by the sync client in a process
//! of its own (its logger is the process's).
#![recursion_limit = "1024"]

use streaming_assistants_sync::{Client, Config, ResponseRequest};
use streaming_assistants_testserver::{BlockingTestServer, Script};

macro_rules! client_test {
    ($(#[$($attr:tt)*])* async fn $name:ident() { $($body:tt)* }) => {
        $(#[$($attr)*])*
        #[test]
        fn $name() {
            streaming_assistants_testserver::sync_twin! { $($body)* }
        }
    };
}

fn serve(script: Script) -> BlockingTestServer {
    BlockingTestServer::start(script).unwrap()
}

include!("../../testserver/client_tests/websocket_logs.rs");
