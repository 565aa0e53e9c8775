//! Output flushed when the stream waits, not per event: once per arrival from the network, so
//! piped output still appears live without a `write` per delta.

use std::future::Future;
use std::io;
use std::task::Poll;

use streaming_assistants_core::drive::ToolSession;
use streaming_assistants_core::protocol::Protocol;
use streaming_assistants_sync::{Error, EventStream, ToolLoop};

/// A sync stream of events that can say what it already holds without reading.
pub(crate) trait Buffered: Iterator {
    /// The next item if it needs no read.
    fn next_buffered(&mut self) -> Option<Self::Item>;
}

impl<P: Protocol> Buffered for EventStream<P> {
    fn next_buffered(&mut self) -> Option<Self::Item> {
        EventStream::next_buffered(self)
    }
}

impl<F, S, P> Buffered for ToolLoop<'_, F, S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
    F: FnMut(&S::Call) -> String,
{
    fn next_buffered(&mut self) -> Option<Result<P::Event, Error>> {
        ToolLoop::next_buffered(self)
    }
}

/// The next item: a buffered one at once, else `flush`, then the read.
pub(crate) fn next<I: Buffered>(
    items: &mut I,
    flush: impl FnOnce() -> io::Result<()>,
) -> io::Result<Option<I::Item>> {
    if let Some(item) = items.next_buffered() {
        return Ok(Some(item));
    }
    flush()?;
    Ok(items.next())
}

/// Awaits `next`, calling `flush` once if it has to wait.
pub(crate) async fn next_async<T>(
    next: impl Future<Output = T>,
    mut flush: impl FnMut() -> io::Result<()>,
) -> io::Result<T> {
    let mut next = std::pin::pin!(next);
    let mut flushed = false;
    std::future::poll_fn(|cx| match next.as_mut().poll(cx) {
        Poll::Ready(item) => Poll::Ready(Ok(item)),
        Poll::Pending if flushed => Poll::Pending,
        Poll::Pending => {
            flushed = true;
            match flush() {
                Ok(()) => Poll::Pending,
                Err(err) => Poll::Ready(Err(err)),
            }
        }
    })
    .await
}
