//! The peer of `streaming-assistants replay FILE` (text mode), as a whole process: what a Rust
//! user would write today with `eventsource-stream` (the framing under `reqwest-eventsource`)
//! and `async-openai` 0.40's types — read the file 64 KiB at a time, frame, decode every event,
//! print each text delta through a buffered stdout. Timed beside `replay` in
//! `docs/benchmarks.md`:
//!
//! ```sh
//! cargo run --release -p streaming-assistants-benches --example peer_replay -- big.sse
//! ```

use std::fs::File;
use std::io::{Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use async_openai::types::assistants::{AssistantStreamEvent, MessageDeltaContent};
use eventsource_stream::Eventsource;
use futures_core::Stream;
use streaming_assistants_benches::peer;

/// A file's bytes as a `Stream` of 64 KiB reads (blocking: the file is local).
struct Reads(File);

impl Stream for Reads {
    type Item = Result<Vec<u8>, std::io::Error>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut buf = vec![0; 64 * 1024];
        Poll::Ready(match self.0.read(&mut buf) {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some(Ok(buf))
            }
            Err(err) => Some(Err(err)),
        })
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: peer_replay FILE")?;
    let mut events = Reads(File::open(path)?).eventsource();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut cx = Context::from_waker(Waker::noop());
    while let Poll::Ready(Some(event)) = Pin::new(&mut events).poll_next(&mut cx) {
        if let Ok(AssistantStreamEvent::ThreadMessageDelta(delta)) = peer::decode(&event?) {
            for part in delta.delta.content.unwrap_or_default() {
                if let MessageDeltaContent::Text(text) = part {
                    if let Some(value) = text.text.and_then(|t| t.value) {
                        out.write_all(value.as_bytes())?;
                    }
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}
