//! A response body read with an idle timeout: an error when no byte arrives for `idle`.
//!
//! reqwest's own `read_timeout` resets a timer on every chunk, which cost 12–20% of the CPU per
//! event of a live stream (`benches/transports.rs`). Here a chunk only records the time; the
//! timer is moved, lazily, when it fires early.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use pin_project::pin_project;
use tokio::time::{Instant, Sleep};

use crate::error::from_reqwest;
use crate::Error;

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// The chunks of a response body, or [`Error::Timeout`] after `idle` without one. The streams
/// hold it boxed (once per stream), so that they stay `Unpin`.
#[pin_project]
pub(crate) struct Body {
    chunks: Chunks,
    #[pin]
    timer: Sleep,
    idle: Duration,
    last: Instant,
}

impl Body {
    pub(crate) fn new(response: reqwest::Response, idle: Duration) -> Pin<Box<Self>> {
        let now = Instant::now();
        Box::pin(Body {
            chunks: Box::pin(response.bytes_stream()),
            timer: tokio::time::sleep_until(now + idle),
            idle,
            last: now,
        })
    }

    /// The next chunk; `None` at the end of the body.
    pub(crate) fn poll_chunk(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Error>>> {
        let mut this = self.project();
        match this.chunks.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                *this.last = Instant::now();
                return Poll::Ready(Some(Ok(chunk)));
            }
            Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(from_reqwest(err)))),
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        loop {
            if this.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let deadline = *this.last + *this.idle;
            if Instant::now() >= deadline {
                return Poll::Ready(Some(Err(Error::Timeout(None))));
            }
            this.timer.as_mut().reset(deadline);
        }
    }
}
