//! Output flushed when the stream waits, not per event: once per arrival from the network, so
//! piped output still appears live without a `write` per delta.

use std::future::Future;
use std::io;
use std::task::Poll;

use streaming_assistants_core::drive::ToolSession;
use streaming_assistants_core::wire::protocol::Protocol;
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

impl<F, S, P> Buffered for ToolLoop<F, S, P>
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

/// Where `run` prints a stream's events: each protocol's printer.
pub(crate) trait Sink<E> {
    /// Prints one event (text to the buffered output).
    fn event(&mut self, event: &E) -> io::Result<()>;
    /// Flushes the output.
    fn flush(&mut self) -> io::Result<()>;
    /// Ends the last line, before an error is said.
    fn end_line(&mut self) -> io::Result<()>;
}

/// What an error turns into once the line is ended: its message.
fn failed<E>(sink: &mut impl Sink<E>, err: impl std::fmt::Display) -> String {
    let _ = sink.end_line();
    err.to_string()
}

/// Prints sync events to the end, flushing when none is left decoded; the first error ends it.
pub(crate) fn print<E, X: std::fmt::Display>(
    sink: &mut impl Sink<E>,
    mut events: impl Buffered<Item = Result<E, X>>,
) -> Result<(), String> {
    loop {
        match next(&mut events, || sink.flush()).map_err(|e| e.to_string())? {
            Some(Ok(event)) => sink.event(&event).map_err(|e| e.to_string())?,
            Some(Err(err)) => return Err(failed(sink, err)),
            None => return Ok(()),
        }
    }
}

/// An async source of events: a stream or a tool loop.
pub(crate) trait AsyncEvents {
    /// The event.
    type Event;
    /// The next event, `None` at the end.
    fn next_event(
        &mut self,
    ) -> impl Future<Output = Option<Result<Self::Event, streaming_assistants_async::Error>>>;
}

impl<P: Protocol> AsyncEvents for streaming_assistants_async::EventStream<P> {
    type Event = P::Event;
    fn next_event(
        &mut self,
    ) -> impl Future<Output = Option<Result<P::Event, streaming_assistants_async::Error>>> {
        self.next()
    }
}

impl<F, S, P> AsyncEvents for streaming_assistants_async::ToolLoop<F, S, P>
where
    S: ToolSession<Event = P::Event>,
    P: Protocol,
    F: AsyncFnMut(&S::Call) -> String,
{
    type Event = P::Event;
    fn next_event(
        &mut self,
    ) -> impl Future<Output = Option<Result<P::Event, streaming_assistants_async::Error>>> {
        self.next()
    }
}

/// Prints async events to the end, flushing when the next one has to wait; the first error
/// ends it.
pub(crate) async fn print_async<A: AsyncEvents>(
    sink: &mut impl Sink<A::Event>,
    mut events: A,
) -> Result<(), String> {
    loop {
        let event = next_async(events.next_event(), || sink.flush())
            .await
            .map_err(|e| e.to_string())?;
        match event {
            Some(Ok(event)) => sink.event(&event).map_err(|e| e.to_string())?,
            Some(Err(err)) => return Err(failed(sink, err)),
            None => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::next_async;

    #[test]
    fn it_flushes_once_when_the_next_item_waits_and_never_when_it_is_ready() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut flushes = 0;
            let ready = next_async(std::future::ready(7), || {
                flushes += 1;
                Ok(())
            });
            assert_eq!(ready.await.unwrap(), 7);
            assert_eq!(flushes, 0, "a ready item is not a wait");
            // Pending three times, then ready: one flush.
            let mut left = 3;
            let waits = std::future::poll_fn(|cx| {
                if left == 0 {
                    return std::task::Poll::Ready(());
                }
                left -= 1;
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            });
            next_async(waits, || {
                flushes += 1;
                Ok(())
            })
            .await
            .unwrap();
            assert_eq!(flushes, 1);
        });
    }
}
