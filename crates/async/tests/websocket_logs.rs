//! `crates/testserver/client_tests/websocket_logs.rs`, played by the async client in a process
//! of its own (its logger is the process's).

use streaming_assistants_async::{Client, Config, ResponseRequest};
use streaming_assistants_testserver::{Script, TestServer};

macro_rules! client_test {
    ($(#[$($attr:tt)*])* async fn $name:ident() { $($body:tt)* }) => {
        $(#[$($attr)*])*
        #[tokio::test]
        async fn $name() {
            $($body)*
        }
    };
}

async fn serve(script: Script) -> TestServer {
    TestServer::start(script).await.unwrap()
}

include!("../../testserver/client_tests/websocket_logs.rs");
