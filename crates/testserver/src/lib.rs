//! An HTTP server speaking the Assistants API, the Responses API and Chat Completions (in each
//! compatible server's dialect) with a scripted model, on loopback.
//!
//! Start it in a test, point any client at its base URL, and runs, responses and completions
//! stream exactly as the real services stream them, offline and deterministically:
//!
//! ```
//! use streaming_assistants_testserver::{RunScript, Script, TestServer};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
//! let server = TestServer::start(Script::new().run(RunScript::text(["Hello", "!"]))).await?;
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! // ... create an assistant, a thread, a message and a streamed run against it ...
//! # Ok(()) }
//! ```
//!
//! Dropping the server shuts it down.

mod body;
mod chat;
mod error;
pub mod faults;
mod full;
mod model;
pub mod raw;
pub mod raw_websocket;
mod responses;
mod routes;
pub mod scenarios;
mod script;
mod store;
mod twin;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use script::{CodeScript, Cut, Delivery, RunEnd, RunScript, Script, ToolCallScript};

/// Which server the test server behaves like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// OpenAI's Assistants v2: `event:` lines, `done`, `OpenAI-Beta: assistants=v2` required.
    #[default]
    OpenAi,
    /// DataStax Astra: v2 streams framed `data: {"event", "data"}` with no `done` and no
    /// `error` event; a run created without `stream` goes to `generating` and
    /// `GET /threads/{id}/messages?limit=1&stream=true` streams its legacy chunks; the
    /// `OpenAI-Beta` header is not required.
    Astra,
    /// Chat Completions as Azure OpenAI bends it: an empty first chunk with
    /// `prompt_filter_results`, `content_filter_results` on every choice and a filter-only
    /// choice without `delta` at the end, tool-call ids repeated on every delta. (Assistants:
    /// as `OpenAi`.)
    Azure,
    /// Chat Completions as Gemini's compatibility layer: tool calls without `index`, each whole,
    /// with `extra_content`; `finish_reason: "stop"` after tool calls.
    Gemini,
    /// Chat Completions as Ollama: tool calls without `index`, each whole in one chunk;
    /// reasoning in `delta.reasoning`.
    Ollama,
    /// Chat Completions as vLLM: `delta.reasoning_content`, `"tool_calls": []` on text
    /// chunks, `usage` on every chunk.
    Vllm,
    /// Chat Completions as llama.cpp's server: the function name repeated on every tool delta,
    /// arguments from the first, usage on the finish chunk.
    LlamaCpp,
}

/// A running test server. Dropping it shuts it down.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    counters: Arc<body::Counters>,
    store: Arc<Mutex<store::Store>>,
}

impl TestServer {
    /// Binds `127.0.0.1:0` and serves the script on a background task of the current tokio
    /// runtime.
    pub async fn start(script: Script) -> std::io::Result<TestServer> {
        Self::bind(script, 0).await
    }

    /// Binds `127.0.0.1:port` (`0`: any free port) and serves the script.
    pub async fn bind(script: Script, port: u16) -> std::io::Result<TestServer> {
        Self::start_with(script, Dialect::OpenAi, port).await
    }

    /// Binds `127.0.0.1:port` (`0`: any free port) and serves the script in the dialect.
    pub async fn start_with(
        script: Script,
        dialect: Dialect,
        port: u16,
    ) -> std::io::Result<TestServer> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let counters = Arc::new(body::Counters::default());
        let addr = listener.local_addr()?;
        let store = Arc::new(Mutex::new(store::Store::default()));
        let app = routes::router(routes::Shared {
            store: store.clone(),
            script: Arc::new(script),
            dialect,
            counters: counters.clone(),
        });
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            // Each write goes out at once, as a streaming service's do: without it, Nagle's
            // algorithm holds a body's last small write until the client's delayed ACK (40 ms).
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(TestServer {
            addr,
            shutdown: Some(shutdown),
            counters,
            store,
        })
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// How many streams were abandoned: their client closed the connection before the end
    /// (e.g. by dropping its stream early).
    pub fn abandoned_streams(&self) -> usize {
        self.counters.abandoned.load(Ordering::SeqCst)
    }

    /// How many bytes of stream bodies the server has handed to its connections so far. Each
    /// write waits until the connection took the previous one, so a client that stops reading
    /// stops this count (once the socket buffers are full).
    pub fn body_bytes_sent(&self) -> usize {
        self.counters.body_bytes.load(Ordering::SeqCst)
    }

    /// How many WebSocket connections clients opened (`GET /v1/responses` upgrades).
    pub fn websocket_connections(&self) -> usize {
        self.counters.websockets.load(Ordering::SeqCst)
    }

    /// The bytes of the text frames clients sent over WebSockets.
    pub fn websocket_bytes_received(&self) -> usize {
        self.counters.bytes_received.load(Ordering::SeqCst)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Creates an assistant in the server's store, as `POST /v1/assistants` with this body
    /// would (`model` required; `name`, `instructions`, `tools` optional), without a client or
    /// an HTTP round trip. The error is the API's, e.g. `HTTP 400: Missing required parameter:
    /// 'model'.`
    ///
    /// ```
    /// use streaming_assistants_testserver::{BlockingTestServer, Script};
    ///
    /// let server = BlockingTestServer::start(Script::new())?;
    /// let assistant = server.create_assistant(serde_json::json!({"model": "scripted"})).unwrap();
    /// assert!(assistant.id.starts_with("asst_"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn create_assistant(
        &self,
        body: serde_json::Value,
    ) -> Result<streaming_assistants_core::assistants::types::Assistant, String> {
        // A handler that panicked holding the lock leaves consistent data behind (every write
        // is a whole insert), so the poison flag carries no information here.
        let mut store = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        routes::assistants::create(&mut store, body).map_err(|err| err.to_string())
    }
}

/// A [`TestServer`] on a runtime of its own, for blocking code (the sync client, a plain
/// `#[test]`): no async runtime needed by the caller. Dropping it shuts both down.
///
/// ```
/// use streaming_assistants_testserver::{BlockingTestServer, Script};
///
/// let server = BlockingTestServer::start(Script::new())?;
/// assert!(server.base_url().ends_with("/v1"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct BlockingTestServer {
    // Declared first so it is dropped (and shut down) before its runtime.
    server: TestServer,
    _runtime: tokio::runtime::Runtime,
}

impl BlockingTestServer {
    /// Starts a server for `script` on `127.0.0.1:0`.
    pub fn start(script: Script) -> std::io::Result<Self> {
        Self::start_with(script, Dialect::OpenAi)
    }

    /// Starts a server for `script` in `dialect` on `127.0.0.1:0`.
    pub fn start_with(script: Script, dialect: Dialect) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Runtime::new()?;
        let server = runtime.block_on(TestServer::start_with(script, dialect, 0))?;
        Ok(BlockingTestServer {
            server,
            _runtime: runtime,
        })
    }
}

impl std::ops::Deref for BlockingTestServer {
    type Target = TestServer;
    fn deref(&self) -> &TestServer {
        &self.server
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// `docs/testserver.md`, compiled and run as a doctest so that its example stays true.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/testserver.md")]
pub struct TestserverDocDoctests;

/// This crate's README example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
