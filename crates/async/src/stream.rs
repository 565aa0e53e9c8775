//! A streamed leg of a run (and Astra's legacy message stream) as a `futures_core::Stream`:
//! the response's bytes pushed into the core's decoder, polled in place (no spawned task, no
//! channel: backpressure is the socket's).

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use streaming_assistants_core::accumulate::{Accumulator, Snapshot};
use streaming_assistants_core::event::legacy::LegacyDecoder;
use streaming_assistants_core::event::{Decoded, Decoder, Ending, StreamEvent};
use streaming_assistants_core::sse::End;

use crate::body::Body;
use crate::Error;

/// The events of a streamed call, decoded as the body's bytes arrive. Dropping it closes the
/// connection.
pub struct EventStream {
    body: Pin<Box<Body>>,
    decoder: Decoder,
    ending: Option<Ending>,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("ending", &self.ending)
            .finish_non_exhaustive()
    }
}

impl EventStream {
    pub(crate) fn new(response: reqwest::Response, idle: Duration) -> Self {
        EventStream {
            body: Body::new(response, idle),
            decoder: Decoder::new(),
            ending: None,
        }
    }

    /// How the stream ended, once it has.
    pub fn ending(&self) -> Option<&Ending> {
        self.ending.as_ref()
    }

    /// The next event (an inherent `next`, so no extension trait is needed).
    pub async fn next(&mut self) -> Option<Result<StreamEvent, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The text of the remaining deltas, concatenated; the first error ends it.
    ///
    /// Text deltas take the core's borrowed hot path (no copy but into the result).
    pub async fn text(mut self) -> Result<String, Error> {
        let mut text = String::new();
        self.for_each_decoded(|decoded| text.extend(decoded.text_deltas()))
            .await?;
        Ok(text)
    }

    /// Reads the stream to its end and returns the accumulated run, steps and messages. The
    /// first error ends it. Text deltas take the core's borrowed hot path (no copy of them).
    pub async fn into_snapshot(mut self) -> Result<Snapshot, Error> {
        let mut acc = Accumulator::new();
        // A delta for an object never created changes nothing; it is not fatal here.
        self.for_each_decoded(|decoded| drop(acc.apply_decoded(&decoded)))
            .await?;
        Ok(acc.into_snapshot())
    }

    /// Reads the stream to its end through the core's borrowed hot path, handing `each` every
    /// event; the first error (an `error` event, a bad event, a cut) ends it.
    async fn for_each_decoded(&mut self, mut each: impl FnMut(Decoded<'_>)) -> Result<(), Error> {
        loop {
            while let Some(item) = self.decoder.next_decoded() {
                match item {
                    Ok(Decoded::Event(StreamEvent::Error(err))) => return Err(Error::Stream(err)),
                    Ok(decoded) => each(decoded),
                    Err(err) => return Err(Error::Decode(Box::new(err))),
                }
            }
            if self.ending.is_some() {
                return Ok(());
            }
            if let Some(err) = std::future::poll_fn(|cx| self.poll_read_more(cx)).await {
                return Err(err);
            }
        }
    }

    /// Polls the body for its next bytes and pushes them into the decoder; at its end, records
    /// how the stream ended. An error ends the stream (a cut connection, a stall).
    fn poll_read_more(&mut self, cx: &mut Context<'_>) -> Poll<Option<Error>> {
        match self.body.as_mut().poll_chunk(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                self.decoder.push(&chunk);
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(err))) => {
                // A cut connection or a stall ends the stream. If it was already over (`done`
                // arrived, say, before the chunked body's last bytes) that is a clean end;
                // otherwise the stream was cut short, and the error says how.
                let ending = self.decoder.finish();
                let clean = ending.is_clean();
                self.ending = Some(ending);
                Poll::Ready((!clean).then_some(err))
            }
            Poll::Ready(None) => {
                let ending = self.decoder.finish();
                let clean = ending.is_clean();
                self.ending = Some(ending);
                Poll::Ready((!clean).then_some(Error::Truncated))
            }
        }
    }
}

impl Stream for EventStream {
    type Item = Result<StreamEvent, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.decoder.next_event() {
                return Poll::Ready(Some(match item {
                    Ok(StreamEvent::Error(err)) => Err(Error::Stream(err)),
                    Ok(event) => Ok(event),
                    Err(err) => Err(Error::Decode(Box::new(err))),
                }));
            }
            if this.ending.is_some() {
                return Poll::Ready(None);
            }
            match this.poll_read_more(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(err)) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(None) => {}
            }
        }
    }
}

/// Astra's legacy message stream: the text of each chunk as it arrives. Frames that are not
/// chunks are skipped; a body that stops inside a frame (a server-side failure writes `data: []`
/// with no blank line) ends with [`Error::Truncated`].
pub struct LegacyStream {
    run_id: String,
    body: Pin<Box<Body>>,
    decoder: LegacyDecoder,
    ended: bool,
}

impl std::fmt::Debug for LegacyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyStream")
            .field("run_id", &self.run_id)
            .finish_non_exhaustive()
    }
}

impl LegacyStream {
    pub(crate) fn new(run_id: String, response: reqwest::Response, idle: Duration) -> Self {
        LegacyStream {
            run_id,
            body: Body::new(response, idle),
            decoder: LegacyDecoder::new(),
            ended: false,
        }
    }

    /// The run being streamed: retrieve it afterwards to learn how it ended.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// The next piece of text.
    pub async fn next(&mut self) -> Option<Result<String, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The rest of the text, concatenated; the first error ends it.
    pub async fn text(mut self) -> Result<String, Error> {
        let mut text = String::new();
        while let Some(piece) = self.next().await {
            text.push_str(&piece?);
        }
        Ok(text)
    }
}

impl Stream for LegacyStream {
    type Item = Result<String, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(text) = this.decoder.next_text() {
                return Poll::Ready(Some(text.map_err(|err| Error::Decode(Box::new(err)))));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match this.body.as_mut().poll_chunk(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.decoder.push(&chunk),
                Poll::Ready(Some(Err(err))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(err)));
                }
                Poll::Ready(None) => {
                    this.ended = true;
                    if let End::Truncated { .. } = this.decoder.finish() {
                        return Poll::Ready(Some(Err(Error::Truncated)));
                    }
                }
            }
        }
    }
}
