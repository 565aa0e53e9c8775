//! The client tests of `crates/testserver/client_tests/`, written once in async form, played by
//! the async client as written. Tests only the async client has are in `transport_only`.

use std::time::Duration;

use streaming_assistants_async::{
    Chat, ChatRequest, ChatRule, Client, Config, Error, EventStream, ResponseRequest, StreamError,
    Verdict,
};
use streaming_assistants_testserver::{Dialect, Script, TestServer};

/// A shared test: a `#[tokio::test]`, as written.
macro_rules! client_test {
    ($(#[$($attr:tt)*])* async fn $name:ident() { $($body:tt)* }) => {
        $(#[$($attr)*])*
        #[tokio::test]
        async fn $name() {
            $($body)*
        }
    };
}

/// A shared helper written in async form, as written.
macro_rules! client_helper {
    ($($item:tt)*) => {
        $($item)*
    };
}

/// The test server for `script`, in OpenAI's dialect.
async fn serve(script: Script) -> TestServer {
    TestServer::start(script).await.unwrap()
}

/// The test server for `script`, in `dialect`.
async fn serve_with(script: Script, dialect: Dialect) -> TestServer {
    TestServer::start_with(script, dialect, 0).await.unwrap()
}

/// Sleeps on the runtime's timer (the test server goes on meanwhile).
async fn pause(duration: Duration) {
    tokio::time::sleep(duration).await;
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

/// Tests of what only the async client has: being dropped by `tokio::select!` mid-read, and
/// its reqwest builder.
mod transport_only {
    use serde_json::json;
    use streaming_assistants_core::assistants::event::StreamEvent;
    use streaming_assistants_testserver::{Delivery, RunScript};

    use super::*;

    fn client(server: &TestServer) -> Client {
        Client::new(Config::new("sk-async-secret").base_url(server.base_url())).unwrap()
    }

    #[tokio::test]
    async fn dropping_under_select_closes_the_connection_and_keeps_yielded_events() {
        let slow = Delivery {
            pause_ms: Some(50),
            ..Delivery::default()
        };
        let server = serve(Script::new().run(RunScript::text(["x"; 40]).delivered(slow))).await;
        let client = client(&server);
        let (assistant, thread) = super::loopback::thread_with_message(&client, json!([])).await;
        let mut stream = client
            .threads()
            .runs()
            .create_stream(&thread, &assistant)
            .await
            .unwrap();
        let mut yielded = Vec::new();
        let deadline = tokio::time::sleep(Duration::from_millis(300));
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                item = stream.next() => match item {
                    Some(item) => yielded.push(item.unwrap()),
                    None => break,
                },
                _ = &mut deadline => break,
            }
        }
        assert!(
            matches!(yielded.first(), Some(StreamEvent::RunCreated(_))),
            "events yielded before the timeout are kept"
        );
        drop(stream);
        let give_up = tokio::time::Instant::now() + Duration::from_secs(5);
        while server.abandoned_streams() == 0 && tokio::time::Instant::now() < give_up {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(server.abandoned_streams(), 1);
    }

    /// A reqwest builder that cannot build is an error, never a silent default client (which
    /// would follow redirects and have no connect timeout).
    #[test]
    fn a_failing_http_builder_is_an_error() {
        use streaming_assistants_async::Timeouts;
        let impossible = reqwest::Client::builder().max_tls_version(reqwest::tls::Version::TLS_1_0);
        let made = Client::with_http(Config::new("k"), Timeouts::default(), impossible);
        assert!(matches!(made, Err(Error::Transport(_))), "{made:?}");
    }
}
