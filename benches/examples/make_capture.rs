//! Writes the benches' long run stream to a file, for timing whole processes on it
//! (`docs/benchmarks.md`):
//!
//! ```sh
//! cargo run --release -p streaming-assistants-benches --example make_capture -- big.sse 400000
//! ```

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "big.sse".into());
    let deltas = args.next().and_then(|n| n.parse().ok()).unwrap_or(400_000);
    std::fs::write(
        path,
        streaming_assistants_benches::assistants_stream(deltas),
    )
}
