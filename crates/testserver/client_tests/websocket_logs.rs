// No log line carries the API key: a logger at trace level records what every crate logs
// (tungstenite, rustls, the HTTP clients) while a WebSocket connects, streams a response and
// is refused an upgrade. The upgrade request is written by the core, not by tungstenite, whose
// handshake logs the request it writes at trace level. Written once in async form, included
// by a test file of its own in each transport (the logger is the process's).

use std::sync::Mutex;

use streaming_assistants_testserver::raw_websocket::{RawWebSocketServer, Reply};

const KEY: &str = "sk-log-secret-0123456789";
const PROJECT: &str = "proj-log-secret-9876";

struct Recorder(Mutex<Vec<String>>);

impl log::Log for Recorder {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        if let Ok(mut lines) = self.0.lock() {
            lines.push(format!("{} {}", record.target(), record.args()));
        }
    }
    fn flush(&self) {}
}

static RECORDER: Recorder = Recorder(Mutex::new(Vec::new()));

client_test! {
    async fn no_log_line_carries_the_key() {
        log::set_logger(&RECORDER).unwrap();
        log::set_max_level(log::LevelFilter::Trace);
        let server = serve(Script::new()).await;
        let config = Config::new(KEY).base_url(server.base_url()).header("OpenAI-Project", PROJECT);
        let client = Client::new(config).unwrap();
        let mut connection = client.responses().connect().await.unwrap();
        let response = connection.create(&ResponseRequest::new("m")).await.unwrap().into_response().await.unwrap();
        assert_eq!(response.output_text(), "Hello! How can I help you today?");
        let refusing = RawWebSocketServer::start(vec![Reply::Refuse(401, "{}".into())]);
        let config = Config::new(KEY).base_url(refusing.base_url());
        let err = Client::new(config).unwrap().responses().connect().await.unwrap_err();
        assert_eq!(err.status(), Some(401));
        let lines = RECORDER.0.lock().unwrap().clone();
        assert!(lines.iter().any(|l| l.starts_with("tungstenite")), "the logger records: {lines:?}");
        for line in &lines {
            assert!(!line.contains(KEY) && !line.contains(PROJECT), "{line}");
        }
    }
}
