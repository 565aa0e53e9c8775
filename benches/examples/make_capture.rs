//! Writes one of the benches' long streams to a file, for timing whole processes on it
//! (`docs/benchmarks.md`): an Assistants run (the default), a Responses or a Chat stream.
//!
//! ```sh
//! cargo run --release -p streaming-assistants-benches --example make_capture -- big.sse 400000
//! cargo run --release -p streaming-assistants-benches --example make_capture -- big-responses.sse 400000 responses
//! ```

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "big.sse".into());
    let deltas = args.next().and_then(|n| n.parse().ok()).unwrap_or(400_000);
    let body = match args.next().as_deref() {
        Some("responses") => streaming_assistants_benches::responses_stream(deltas),
        Some("chat") => streaming_assistants_benches::chat_stream(deltas),
        _ => streaming_assistants_benches::assistants_stream(deltas),
    };
    std::fs::write(path, body)
}
