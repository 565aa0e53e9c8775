//! The partial parser: a JSON document's bytes in, in pieces; the value so far out, built in
//! place (open containers are in the tree from their first byte, each later value is placed
//! once), so reading it after every piece costs nothing and the whole costs one pass.

use serde_json::{Map, Number as JsonNumber, Value};

use super::error::{Error, ErrorKind};
use super::number::{Number, Step};
use super::text::Text;

/// What to do with what has not ended yet, as `jiter`'s `partial_mode` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PartialMode {
    /// An unfinished string is left out (openai-python's `parsed`).
    #[default]
    On,
    /// An unfinished string is kept as it stands (an escape or a character not yet whole is
    /// left out of it).
    TrailingStrings,
}

/// How much a document may hold, so that no input can exhaust memory or the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// How deep containers may nest (default 128, as `serde_json`).
    pub max_depth: usize,
    /// How many bytes the document may have (default 256 MiB).
    pub max_bytes: u64,
    /// How many bytes one number may have (default 4 KiB: an unfinished number is read again
    /// after every piece).
    pub max_number: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_bytes: 256 * 1024 * 1024,
            max_number: 4096,
        }
    }
}

impl Limits {
    /// Sets how deep containers may nest.
    #[must_use]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets how many bytes the document may have.
    #[must_use]
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// Sets how many bytes one number may have.
    #[must_use]
    pub fn max_number(mut self, bytes: usize) -> Self {
        self.max_number = bytes;
        self
    }
}

/// What comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value (the document's, an array's next, or a member's after `:`).
    Value,
    /// After `[`: a value or `]`.
    ValueOrClose,
    /// After `{`: a key or `}`.
    KeyOrClose,
    /// After `,` in an object.
    Key,
    /// After a key.
    Colon,
    /// After a value in a container.
    CommaOrClose,
    /// After the document's value: only whitespace.
    Done,
}

/// The token being read, when it is split between pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    None,
    /// A string: a member's key, or a value.
    Str {
        key: bool,
    },
    /// A number: its bytes so far (in `number`), where in its grammar they are.
    Number(Number),
    /// `true`, `false` or `null`: how many of its bytes have come.
    Literal {
        word: &'static [u8],
        seen: usize,
    },
}

/// An open container: an array, or an object with the key of the member being filled.
#[derive(Debug, Clone)]
enum Frame {
    Array,
    Object(Option<String>),
}

/// A JSON document parsed as its pieces arrive, in either [`PartialMode`].
///
/// After every [`push`](PartialJson::push), [`value`](PartialJson::value) lends the value so
/// far (`None`: nothing yet — whitespace only, or an unfinished scalar), equal to `jiter`'s
/// `from_json(prefix, partial_mode=...)` for a prefix of a valid document. Pieces may split the
/// text anywhere. The first byte that cannot continue valid JSON is an [`Error`] at that byte,
/// and every later push returns it again; the value so far is kept.
#[derive(Debug, Clone)]
pub struct PartialJson {
    mode: PartialMode,
    limits: Limits,
    root: Option<Value>,
    frames: Vec<Frame>,
    expect: Expect,
    token: Token,
    text: Text,
    number: String,
    /// Whether the unfinished token at the end is in the tree (a number as it stands, a
    /// string in `TrailingStrings`).
    leaf_placed: bool,
    /// A duplicate key's earlier value that the unfinished token's displaced, put back if the
    /// token is taken out again (the last whole member wins, as in jiter and serde_json).
    displaced: Option<Value>,
    offset: u64,
    line: u64,
    line_start: u64,
    failed: Option<Error>,
}

impl Default for PartialJson {
    fn default() -> Self {
        Self::new(PartialMode::default())
    }
}

impl PartialJson {
    /// A parser with the default [`Limits`].
    pub fn new(mode: PartialMode) -> Self {
        Self::with_limits(mode, Limits::default())
    }

    /// A parser with these limits.
    pub fn with_limits(mode: PartialMode, limits: Limits) -> Self {
        PartialJson {
            mode,
            limits,
            root: None,
            frames: Vec::new(),
            expect: Expect::Value,
            token: Token::None,
            text: Text::default(),
            number: String::new(),
            leaf_placed: false,
            displaced: None,
            offset: 0,
            line: 1,
            line_start: 0,
            failed: None,
        }
    }

    /// The value so far; `None` while there is nothing yet.
    pub fn value(&self) -> Option<&Value> {
        self.root.as_ref()
    }

    /// Whether the document's value has ended (only whitespace may follow).
    pub fn is_complete(&self) -> bool {
        self.expect == Expect::Done
    }

    /// How many bytes have been pushed.
    pub fn bytes(&self) -> u64 {
        self.offset
    }

    /// The error the input ran into, if it did.
    pub fn error(&self) -> Option<&Error> {
        self.failed.as_ref()
    }

    /// The next piece of the document. Afterwards [`PartialJson::value`] is the value so far.
    pub fn push(&mut self, piece: &[u8]) -> Result<(), Error> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        let result = self.feed(piece);
        self.settle_leaf();
        result.map_err(|err| *self.failed.insert(err))
    }

    /// The whole document's value: an error if it has not ended (or failed).
    pub fn finish(mut self) -> Result<Value, Error> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        // A number at the very end is whole when the document ends.
        if let Token::Number(state) = self.token {
            if !state.is_whole() {
                return Err(self.error_at(self.offset, ErrorKind::Eof));
            }
            self.end_number(self.offset)?;
        }
        let eof = self.error_at(self.offset, ErrorKind::Eof);
        match (self.expect, self.root) {
            (Expect::Done, Some(value)) => Ok(value),
            _ => Err(eof),
        }
    }

    /// The value so far, owned.
    pub fn into_value(self) -> Option<Value> {
        self.root
    }

    fn error_at(&self, at: u64, kind: ErrorKind) -> Error {
        Error {
            kind,
            at,
            line: self.line,
            column: at.saturating_sub(self.line_start) + 1,
        }
    }

    fn feed(&mut self, piece: &[u8]) -> Result<(), Error> {
        let start = self.offset;
        if start.saturating_add(piece.len() as u64) > self.limits.max_bytes {
            return Err(self.error_at(self.limits.max_bytes, ErrorKind::TooLarge));
        }
        let mut i = 0;
        while i < piece.len() {
            let at = start + i as u64;
            let rest = piece.get(i..).unwrap_or_default();
            i += match self.token {
                Token::Str { key } => self.read_string(rest, at, key)?,
                Token::Number(state) => self.read_number(rest, at, state)?,
                Token::Literal { word, seen } => self.read_literal(rest, at, word, seen)?,
                Token::None => self.read_structure(rest, at)?,
            };
        }
        self.offset = start + piece.len() as u64;
        Ok(())
    }

    /// Whitespace and punctuation up to the next token: how many bytes were read.
    fn read_structure(&mut self, bytes: &[u8], at: u64) -> Result<usize, Error> {
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            let here = at + i as u64;
            match byte {
                b' ' | b'\t' | b'\r' => {}
                b'\n' => {
                    self.line += 1;
                    self.line_start = here + 1;
                }
                _ => {
                    self.structural(byte, here)?;
                    i += 1;
                    if self.token != Token::None {
                        return Ok(i);
                    }
                    continue;
                }
            }
            i += 1;
        }
        Ok(i)
    }

    /// One byte that is not whitespace, between tokens.
    fn structural(&mut self, byte: u8, at: u64) -> Result<(), Error> {
        let unexpected = ErrorKind::Unexpected(byte);
        match (self.expect, byte) {
            (Expect::Value | Expect::ValueOrClose, _) if self.start_value(byte, at)? => {}
            (Expect::ValueOrClose, b']') | (Expect::KeyOrClose, b'}') => self.close(),
            (Expect::CommaOrClose, b']') if matches!(self.frames.last(), Some(Frame::Array)) => {
                self.close()
            }
            (Expect::CommaOrClose, b'}')
                if matches!(self.frames.last(), Some(Frame::Object(_))) =>
            {
                self.close()
            }
            (Expect::CommaOrClose, b',') => {
                self.expect = match self.frames.last() {
                    Some(Frame::Object(_)) => Expect::Key,
                    _ => Expect::Value,
                }
            }
            (Expect::KeyOrClose | Expect::Key, b'"') => {
                self.text.reset();
                self.token = Token::Str { key: true };
            }
            (Expect::Colon, b':') => self.expect = Expect::Value,
            (Expect::Done, _) => return Err(self.error_at(at, ErrorKind::TrailingCharacters)),
            _ => return Err(self.error_at(at, unexpected)),
        }
        Ok(())
    }

    /// Starts a value at `byte`, if one can start there.
    fn start_value(&mut self, byte: u8, at: u64) -> Result<bool, Error> {
        match byte {
            b'{' | b'[' => {
                if self.frames.len() >= self.limits.max_depth {
                    return Err(self.error_at(at, ErrorKind::TooDeep));
                }
                let (value, frame, expect) = if byte == b'{' {
                    (
                        Value::Object(Map::new()),
                        Frame::Object(None),
                        Expect::KeyOrClose,
                    )
                } else {
                    (Value::Array(Vec::new()), Frame::Array, Expect::ValueOrClose)
                };
                self.place(value);
                self.frames.push(frame);
                self.expect = expect;
            }
            b'"' => {
                self.text.reset();
                self.token = Token::Str { key: false };
            }
            b't' | b'f' | b'n' => {
                let word: &'static [u8] = match byte {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                self.token = Token::Literal { word, seen: 1 };
            }
            _ => match Number::start(byte) {
                Some(state) => {
                    self.number.clear();
                    self.number.push(byte as char);
                    self.token = Token::Number(state);
                }
                None => return Ok(false),
            },
        }
        Ok(true)
    }

    /// The container on top ends.
    fn close(&mut self) {
        self.frames.pop();
        self.after_value();
    }

    /// What comes after a value.
    fn after_value(&mut self) {
        self.expect = if self.frames.is_empty() {
            Expect::Done
        } else {
            Expect::CommaOrClose
        };
    }

    fn read_string(&mut self, bytes: &[u8], at: u64, key: bool) -> Result<usize, Error> {
        let (used, closed) = self
            .text
            .feed(bytes)
            .map_err(|(i, kind)| self.error_at(at + i as u64, kind))?;
        if closed {
            self.token = Token::None;
            let text = std::mem::take(&mut self.text.out);
            if key {
                if let Some(Frame::Object(slot)) = self.frames.last_mut() {
                    *slot = Some(text);
                }
                self.expect = Expect::Colon;
            } else {
                self.end_string(text);
                self.after_value();
            }
        }
        Ok(used)
    }

    /// A value string ended: in the tree, whole.
    fn end_string(&mut self, text: String) {
        if self.leaf_placed {
            if let Some(Value::String(s)) = self.leaf_mut() {
                s.push_str(&text);
            }
            self.settle_placed();
        } else {
            self.place(Value::String(text));
        }
    }

    fn read_number(&mut self, bytes: &[u8], at: u64, state: Number) -> Result<usize, Error> {
        let mut state = state;
        for (i, &byte) in bytes.iter().enumerate() {
            // Kept current at every byte, so that an error leaves the state as any cut would.
            self.token = Token::Number(state);
            match state.step(byte) {
                Step::Next(next) => {
                    state = next;
                    self.token = Token::Number(state);
                    self.number.push(byte as char);
                    if self.number.len() > self.limits.max_number {
                        return Err(self.error_at(at + i as u64, ErrorKind::NumberTooLong));
                    }
                }
                Step::End => {
                    self.end_number(at + i as u64)?;
                    return Ok(i);
                }
                Step::Invalid => return Err(self.error_at(at + i as u64, ErrorKind::InvalidNumber)),
            }
        }
        self.token = Token::Number(state);
        Ok(bytes.len())
    }

    /// A whole number ended (before byte `at`): in the tree.
    fn end_number(&mut self, at: u64) -> Result<(), Error> {
        let number = self
            .parse_number()
            .ok_or_else(|| self.error_at(at.saturating_sub(1), ErrorKind::NumberOutOfRange))?;
        self.token = Token::None;
        self.set_leaf(Value::Number(number));
        self.settle_placed();
        self.after_value();
        Ok(())
    }

    /// The number's bytes so far, as `serde_json` reads them.
    fn parse_number(&self) -> Option<JsonNumber> {
        self.number.parse::<JsonNumber>().ok()
    }

    fn read_literal(
        &mut self,
        bytes: &[u8],
        at: u64,
        word: &'static [u8],
        seen: usize,
    ) -> Result<usize, Error> {
        let mut seen = seen;
        for (i, &byte) in bytes.iter().enumerate() {
            if word.get(seen) != Some(&byte) {
                return Err(self.error_at(at + i as u64, ErrorKind::Unexpected(byte)));
            }
            seen += 1;
            if seen == word.len() {
                self.token = Token::None;
                self.place(match word {
                    b"true" => Value::Bool(true),
                    b"false" => Value::Bool(false),
                    _ => Value::Null,
                });
                self.after_value();
                return Ok(i + 1);
            }
        }
        self.token = Token::Literal { word, seen };
        Ok(bytes.len())
    }

    /// After a piece: the unfinished token at the end shown as the mode says — a number as it
    /// stands if it is one, a value string's text so far in `TrailingStrings` — or not at all.
    fn settle_leaf(&mut self) {
        match self.token {
            // An unfinished `-0` stands as the integer 0, as jiter shows it (serde_json reads a
            // finished one as -0.0: the finished document is serde_json's).
            Token::Number(state) if self.number == "-0" && state.is_whole() => {
                self.show_leaf(Value::Number(0.into()));
            }
            Token::Number(state) => match self.parse_number().filter(|_| state.is_whole()) {
                Some(number) => self.show_leaf(Value::Number(number)),
                None if self.leaf_placed => self.unplace(),
                None => {}
            },
            Token::Str { key: false } if self.mode == PartialMode::TrailingStrings => {
                let text = std::mem::take(&mut self.text.out);
                if self.leaf_placed {
                    if let Some(Value::String(s)) = self.leaf_mut() {
                        s.push_str(&text);
                    }
                } else {
                    self.place_leaf(Value::String(text));
                }
            }
            _ => {}
        }
    }

    /// Puts a new value where the next one goes; a duplicate key's earlier value comes back.
    fn place(&mut self, value: Value) -> Option<Value> {
        match container(&mut self.root, &self.frames) {
            Some(Value::Array(items)) => items.push(value),
            Some(Value::Object(members)) => {
                if let Some(Frame::Object(Some(key))) = self.frames.last() {
                    return members.insert(key.clone(), value);
                }
            }
            Some(_) => {}
            None => self.root = Some(value),
        }
        None
    }

    /// Shows the unfinished token's value: over the one shown, or placed.
    fn show_leaf(&mut self, value: Value) {
        if self.leaf_placed {
            self.set_leaf(value);
        } else {
            self.place_leaf(value);
        }
    }

    /// Places the unfinished token's value for the first time.
    fn place_leaf(&mut self, value: Value) {
        self.displaced = self.place(value);
        self.leaf_placed = true;
    }

    /// Puts `value` where the unfinished token is: over the one placed for it, or new.
    fn set_leaf(&mut self, value: Value) {
        if self.leaf_placed {
            if let Some(leaf) = self.leaf_mut() {
                *leaf = value;
                return;
            }
        }
        self.place(value);
    }

    /// The unfinished token ended: its value stays.
    fn settle_placed(&mut self) {
        self.leaf_placed = false;
        self.displaced = None;
    }

    /// Takes the unfinished token's placed value out again.
    fn unplace(&mut self) {
        match container(&mut self.root, &self.frames) {
            Some(Value::Array(items)) => {
                items.pop();
            }
            Some(Value::Object(members)) => {
                if let Some(Frame::Object(Some(key))) = self.frames.last() {
                    match self.displaced.take() {
                        Some(earlier) => members.insert(key.clone(), earlier),
                        None => members.remove(key.as_str()),
                    };
                }
            }
            Some(_) => {}
            None => self.root = None,
        }
        self.leaf_placed = false;
    }

    /// The value placed last in the open container (or the root).
    fn leaf_mut(&mut self) -> Option<&mut Value> {
        if self.frames.is_empty() {
            return self.root.as_mut();
        }
        match container(&mut self.root, &self.frames)? {
            Value::Array(items) => items.last_mut(),
            Value::Object(members) => match self.frames.last() {
                Some(Frame::Object(Some(key))) => members.get_mut(key.as_str()),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The innermost open container; `None` when none is open (the root is the slot). Every frame
/// but the last names the child that holds the next open container.
fn container<'a>(root: &'a mut Option<Value>, frames: &[Frame]) -> Option<&'a mut Value> {
    let (_, outer) = frames.split_last()?;
    let mut node = root.as_mut()?;
    for frame in outer {
        node = match (frame, node) {
            (Frame::Array, Value::Array(items)) => items.last_mut()?,
            (Frame::Object(Some(key)), Value::Object(members)) => members.get_mut(key)?,
            _ => return None,
        };
    }
    Some(node)
}
