//! The incremental parser: push bytes, take events.

use std::mem;

use super::{field, Error, EventRef, Limits};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How the input ended, as [`Parser::finish`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Every event was terminated by its blank line (trailing comments and blank lines allowed).
    Clean,
    /// The input stopped inside an event; that event was discarded, as the standard says.
    Truncated {
        /// Byte offset in the stream where the discarded event began.
        at: u64,
    },
}

/// What one step of parsing produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// No complete line left: more input is needed.
    NeedInput,
    /// An event is ready in `data_out` / `type_out`.
    Dispatched,
    /// A limit was exceeded.
    Failed(Error),
}

/// What the parser is skipping after a limit error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    /// Nothing: parsing normally.
    Nothing,
    /// The rest of an oversize line, then the rest of its event.
    Line,
    /// Lines up to the blank line that ends the current event.
    Event,
}

/// An incremental, no-I/O Server-Sent Events parser.
///
/// [`push`](Parser::push) bytes as they arrive, in chunks of any size; take out every event whose
/// terminating blank line has arrived with [`next_event`](Parser::next_event) until it returns
/// `None` ("need more input", like `httparse`'s `Status::Partial`); at the end of the body call
/// [`finish`](Parser::finish) to learn whether it ended cleanly.
///
/// Cost is linear in the input whatever the chunking: a line split over many chunks is scanned
/// once, since the parser remembers where it stopped. Nothing is allocated per line or per
/// event: events are lent out ([`EventRef`]) from buffers the parser reuses, so once its buffers
/// have grown to the largest line and event, parsing allocates nothing at all (an event with
/// invalid UTF-8 costs one allocation for its repaired text; a new id costs one).
#[derive(Debug)]
pub struct Parser {
    limits: Limits,
    /// Pushed bytes; `buf[pos..]` is not yet consumed.
    buf: Vec<u8>,
    pos: usize,
    /// Bytes of the current partial line already scanned for a line end.
    scanned: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// The last line ended in CR: an LF right after it belongs to that line end.
    after_cr: bool,
    /// No line has been processed yet, so a BOM may still be dropped.
    at_start: bool,
    skip: Skip,
    /// Stream offset where the pending event's first line began, if any field line was seen.
    pending: Option<u64>,
    data: Vec<u8>,
    event_type: Vec<u8>,
    last_id: String,
    retry: Option<u64>,
    /// The last dispatched event's data and type (empty for `message`), lent out as `EventRef`;
    /// their allocations go back to `data` and `event_type` on the next call.
    data_out: String,
    type_out: String,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl Parser {
    /// A parser with the default [`Limits`].
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    /// A parser with the given limits.
    pub fn with_limits(limits: Limits) -> Self {
        Parser {
            limits,
            buf: Vec::new(),
            pos: 0,
            scanned: 0,
            base: 0,
            after_cr: false,
            at_start: true,
            skip: Skip::Nothing,
            pending: None,
            data: Vec::new(),
            event_type: Vec::new(),
            last_id: String::new(),
            retry: None,
            data_out: String::new(),
            type_out: String::new(),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Bytes held for lines and events not yet complete (pushed input not yet consumed, plus
    /// the data of the pending event). Bounded by about one line, one event and one chunk.
    pub fn buffered_len(&self) -> usize {
        self.buf.len() - self.pos + self.data.len() + self.event_type.len()
    }

    /// Appends the next bytes of the stream. Take the events out with
    /// [`next_event`](Parser::next_event) before pushing much more: memory holds what was pushed
    /// and not yet consumed.
    pub fn push(&mut self, chunk: &[u8]) {
        // Moving the unconsumed tail costs no more than the bytes consumed since the last move,
        // so compaction stays linear overall.
        if self.pos > 0 && self.pos >= self.buf.len() - self.pos {
            self.base += self.pos as u64;
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete event, a limit error, or `None` when more input is needed.
    ///
    /// The event borrows the parser: copy out what you keep (or call
    /// [`EventRef::to_owned`]) before the next call.
    pub fn next_event(&mut self) -> Option<Result<EventRef<'_>, Error>> {
        match self.step() {
            Step::NeedInput => None,
            Step::Failed(err) => Some(Err(err)),
            Step::Dispatched => Some(Ok(EventRef {
                event: if self.type_out.is_empty() {
                    "message"
                } else {
                    &self.type_out
                },
                data: &self.data_out,
                id: &self.last_id,
                retry: self.retry,
            })),
        }
    }

    /// Processes lines until an event is dispatched, a limit fails, or input runs out.
    fn step(&mut self) -> Step {
        self.reclaim();
        loop {
            if self.after_cr {
                match self.buf.get(self.pos) {
                    None => return Step::NeedInput,
                    Some(b'\n') => self.pos += 1,
                    Some(_) => {}
                }
                self.after_cr = false;
            }
            let start = self.pos;
            let unscanned = self.buf.get(start + self.scanned..).unwrap_or_default();
            let Some(found) = memchr::memchr2(b'\n', b'\r', unscanned) else {
                return self.partial_line();
            };
            let end = start + self.scanned + found;
            self.after_cr = self.buf.get(end) == Some(&b'\r');
            self.pos = end + 1;
            self.scanned = 0;
            match self.line(start, end) {
                Step::NeedInput => {}
                done => return done,
            }
        }
    }

    /// Takes back the buffers lent out with the last event, keeping their capacity.
    fn reclaim(&mut self) {
        if self.data.is_empty() && self.data_out.capacity() > self.data.capacity() {
            self.data = mem::take(&mut self.data_out).into_bytes();
            self.data.clear();
        }
        self.data_out.clear();
        if self.event_type.is_empty() && self.type_out.capacity() > self.event_type.capacity() {
            self.event_type = mem::take(&mut self.type_out).into_bytes();
            self.event_type.clear();
        }
        self.type_out.clear();
    }

    /// Ends the input and reports how it ended; call it once `next_event` has returned `None`
    /// (events not taken by then are dropped). The parser is then reset for a new stream.
    pub fn finish(&mut self) -> End {
        while self.step() != Step::NeedInput {}
        let partial_line = self.pos < self.buf.len() && self.skip != Skip::Line;
        let end = match self.pending {
            Some(at) => End::Truncated { at },
            None if partial_line => End::Truncated {
                at: self.base + self.pos as u64,
            },
            None => End::Clean,
        };
        *self = Self::with_limits(self.limits);
        end
    }

    /// No line end in the buffered input: check the line limit, or drop a line being skipped.
    fn partial_line(&mut self) -> Step {
        let len = self.buf.len() - self.pos;
        if self.skip == Skip::Line {
            self.pos = self.buf.len();
            self.scanned = 0;
            return Step::NeedInput;
        }
        self.scanned = len;
        // A BOM at the very start is not part of the line, as in `line`.
        let head = self
            .buf
            .get(self.pos..self.buf.len().min(self.pos + BOM.len()));
        let bom = match head {
            Some(head) if self.at_start && BOM.starts_with(head) => head.len(),
            _ => 0,
        };
        if len - bom <= self.limits.max_line_len {
            return Step::NeedInput;
        }
        let at = self.base + self.pos as u64;
        self.pos = self.buf.len();
        self.scanned = 0;
        self.at_start = false;
        // Inside an event already being skipped, a long line is dropped without a second error,
        // as it would be if it had arrived whole.
        let already_skipping = self.skip == Skip::Event;
        self.skip = Skip::Line;
        if already_skipping {
            return Step::NeedInput;
        }
        Step::Failed(self.drop_event(at, true))
    }

    /// Processes the line `buf[start..end]`.
    fn line(&mut self, start: usize, end: usize) -> Step {
        let at = self.base + start as u64;
        let mut line = self.buf.get(start..end).unwrap_or_default();
        if std::mem::take(&mut self.at_start) {
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        match self.skip {
            Skip::Line => {
                self.skip = Skip::Event;
                return Step::NeedInput;
            }
            Skip::Event if line.is_empty() => {
                self.skip = Skip::Nothing;
                self.pending = None;
                return Step::NeedInput;
            }
            Skip::Event => return Step::NeedInput,
            Skip::Nothing => {}
        }
        if line.is_empty() {
            return self.dispatch();
        }
        // Checked before anything else so that the error does not depend on whether the line
        // arrived whole or was caught growing in `partial_line`.
        if line.len() > self.limits.max_line_len {
            self.skip = Skip::Event;
            return Step::Failed(self.drop_event(at, true));
        }
        if line.first() == Some(&b':') {
            return Step::NeedInput;
        }
        self.pending.get_or_insert(at);
        let (name, value) = field::split(line);
        match name {
            b"data" => {
                if self.data.len() + value.len() + 1 + self.event_type.len()
                    > self.limits.max_event_len
                {
                    self.skip = Skip::Event;
                    return Step::Failed(self.drop_event(at, false));
                }
                self.data.extend_from_slice(value);
                self.data.push(b'\n');
            }
            b"event" => {
                if self.data.len() + value.len() > self.limits.max_event_len {
                    self.skip = Skip::Event;
                    return Step::Failed(self.drop_event(at, false));
                }
                self.event_type.clear();
                self.event_type.extend_from_slice(value);
            }
            b"id" if !value.contains(&0) && self.last_id.as_bytes() != value => {
                self.last_id.clear();
                self.last_id.push_str(&String::from_utf8_lossy(value));
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                let ms = value.iter().fold(0u64, |ms, digit| {
                    ms.saturating_mul(10)
                        .saturating_add(u64::from(digit - b'0'))
                });
                self.retry = Some(ms);
            }
            _ => {}
        }
        Step::NeedInput
    }

    /// Dispatches the pending event, if it has data, into `data_out` and `type_out`.
    fn dispatch(&mut self) -> Step {
        self.pending = None;
        if self.data.is_empty() {
            self.event_type.clear();
            return Step::NeedInput;
        }
        self.data.pop();
        self.data_out = into_text(&mut self.data);
        self.type_out = into_text(&mut self.event_type);
        Step::Dispatched
    }

    /// Discards the pending event after a limit error and builds that error. The event stays
    /// pending (for [`End::Truncated`]) until the blank line that ends it.
    fn drop_event(&mut self, at: u64, line: bool) -> Error {
        self.pending.get_or_insert(at);
        self.data.clear();
        self.event_type.clear();
        if line {
            Error::LineTooLong {
                at,
                limit: self.limits.max_line_len,
            }
        } else {
            Error::EventTooLarge {
                at,
                limit: self.limits.max_event_len,
            }
        }
    }
}

/// Moves `bytes` into a `String` without copying when they are valid UTF-8 (the usual case);
/// otherwise repairs them (U+FFFD) into a new `String` and leaves `bytes` empty.
fn into_text(bytes: &mut Vec<u8>) -> String {
    match String::from_utf8(mem::take(bytes)) {
        Ok(text) => text,
        Err(err) => {
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            *bytes = err.into_bytes();
            bytes.clear();
            text
        }
    }
}
