//! The one ending rule: how a stream ended, decided once, here, for every protocol and both
//! transports.

use super::{Error, StreamError};
use crate::wire::protocol::{Accumulate, Decode, Item, Protocol, Verdict};

/// A stream being read: what a transport saw goes in — bytes ([`Reader::push`]), the end of
/// the body ([`Reader::end`]), an I/O error ([`Reader::fail`]) — and events come out, then one
/// [`Verdict`].
///
/// ```
/// use streaming_assistants_core::assistants::Assistants;
/// use streaming_assistants_core::drive::{Reader, Verdict};
///
/// let mut reader = Reader::<Assistants>::new();
/// reader.push(b"event: thread.run.created\ndata: {\"id\":\"run_1\",\"status\":\"queued\"}\n\nevent: thread.me");
/// assert!(reader.next_event().unwrap().is_ok());
/// assert!(reader.next_event().is_none()); // more bytes, please
/// // The connection resets: the error is the transport's to report, the offset is the core's.
/// let io = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
/// assert!(reader.fail(io).is_some());
/// assert_eq!(reader.verdict(), Some(Verdict::Failed { at: 66 })); // where `event: thread.me` began
/// ```
pub struct Reader<P: Protocol> {
    decoder: P::Decoder,
    verdict: Option<Verdict>,
}

impl<P: Protocol> std::fmt::Debug for Reader<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("verdict", &self.verdict)
            .finish_non_exhaustive()
    }
}

impl<P: Protocol> Default for Reader<P> {
    fn default() -> Self {
        Reader {
            decoder: P::Decoder::default(),
            verdict: None,
        }
    }
}

impl<P: Protocol> Reader<P> {
    /// A reader with the protocol's default decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// A reader with this decoder (configured limits, say).
    pub fn with_decoder(decoder: P::Decoder) -> Self {
        Reader {
            decoder,
            verdict: None,
        }
    }

    /// Appends the next bytes of the body. Bytes after the verdict are ignored.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.verdict.is_none() {
            self.decoder.push(chunk);
        }
    }

    /// The next event, or an error (a bad event, an `error` event: the stream goes on), or
    /// `None` when more input is needed — or, once [`Reader::verdict`] is set, at the end.
    pub fn next_event(&mut self) -> Option<Result<P::Event, StreamError>> {
        Some(match self.decoder.next_event()? {
            Ok(event) => match P::Decoder::event_error(&event) {
                Some(err) => Err(StreamError::ErrorEvent(Box::new(err))),
                None => Ok(event),
            },
            Err(err) => Err(err.into()),
        })
    }

    /// Like [`Reader::next_event`], through the protocol's borrowed hot path.
    pub fn next_item(&mut self) -> Option<Result<Item<'_, P>, StreamError>> {
        Some(match self.decoder.next_decoded()? {
            Ok(item) => match P::Decoder::item_error(&item) {
                Some(err) => Err(StreamError::ErrorEvent(Box::new(err))),
                None => Ok(item),
            },
            Err(err) => Err(err.into()),
        })
    }

    /// The next piece of the reply's text (one delta's, copied once, through the hot path), or
    /// an error; `None` when more bytes are needed or the stream is over. The transports'
    /// `text()`.
    pub fn next_text(&mut self) -> Option<Result<String, StreamError>> {
        let mut text = String::new();
        while let Some(item) = self.next_item() {
            match item {
                Ok(item) => P::Decoder::push_text(&item, &mut text),
                Err(err) => return Some(Err(err)),
            }
            if !text.is_empty() {
                return Some(Ok(text));
            }
        }
        None
    }

    /// The next item applied to `acc` (the transports' `into_snapshot`): `Some(Ok(()))` per
    /// item, or its error — a stream error, or the accumulator's [`StreamError::Rejected`];
    /// `None` when more bytes are needed or the stream is over.
    pub fn apply_next(&mut self, acc: &mut P::Accumulator) -> Option<Result<(), StreamError>> {
        let item = self.next_item()?;
        Some(item.and_then(|item| acc.apply_item(&item).map_err(StreamError::from)))
    }

    /// The body ended (call once `next_event` returns `None`). `Some(Truncated)` unless the
    /// stream was complete: the last item to deliver.
    pub fn end(&mut self) -> Option<StreamError> {
        if self.verdict.is_some() {
            return None;
        }
        let finish = self.decoder.finish_at();
        if finish.complete {
            self.verdict = Some(Verdict::Clean);
            None
        } else {
            self.verdict = Some(Verdict::Truncated { at: finish.at });
            Some(StreamError::Truncated { at: finish.at })
        }
    }

    /// Reading the body failed with `error` (call once `next_event` returns `None`). Hands the
    /// error back unless the stream was already over, in which case it was a clean end.
    pub fn fail<E>(&mut self, error: E) -> Option<E> {
        if self.verdict.is_some() {
            return None;
        }
        let over = self.decoder.is_over();
        let finish = self.decoder.finish_at();
        if over {
            self.verdict = Some(Verdict::Clean);
            None
        } else {
            self.verdict = Some(Verdict::Failed { at: finish.at });
            Some(error)
        }
    }

    /// Reading the body failed with the transport's `error` (call once `next_event` returns
    /// `None`): the error to deliver, or `None` when the stream was already over (a clean end).
    /// A timeout stays a timeout; any other failure cut the stream, so it is
    /// [`Error::Truncated`] at the offset the core knows, with the failure as its cause.
    pub fn fail_body(&mut self, error: Error) -> Option<Error> {
        let error = self.fail(error)?;
        Some(match (error, self.verdict) {
            (Error::Connect(cause) | Error::Transport(cause), Some(Verdict::Failed { at })) => {
                Error::Truncated {
                    at,
                    cause: Some(cause),
                    resumes: 0,
                }
            }
            (error, _) => error,
        })
    }

    /// How the stream ended, once it has.
    pub fn verdict(&self) -> Option<Verdict> {
        self.verdict
    }

    /// Whether the protocol's own end has been seen (the stream may still hold bytes).
    pub fn is_over(&self) -> bool {
        matches!(self.verdict, Some(Verdict::Clean)) || self.decoder.is_over()
    }
}
