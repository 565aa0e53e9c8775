//! What can go wrong parsing JSON in pieces: always at a byte, the first byte at which the
//! input stopped being a prefix of valid JSON (or went past a limit).

use std::fmt;

/// Why the input is not (a prefix of) valid JSON, or went past a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A byte no JSON value can have here.
    Unexpected(u8),
    /// A number that stops being one (`01`, `1.]`, `-x`).
    InvalidNumber,
    /// A number `serde_json` cannot hold (`1e400`).
    NumberOutOfRange,
    /// A string with a raw control character (below U+0020).
    ControlCharacter,
    /// A backslash escape that JSON does not have, or a bad `\u` digit.
    InvalidEscape,
    /// A `\u` escape naming half of a surrogate pair without the other half.
    LoneSurrogate,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// Something after the document's one value.
    TrailingCharacters,
    /// The input ended before the value did ([`PartialJson::finish`](super::PartialJson::finish)).
    Eof,
    /// Nested deeper than [`Limits::max_depth`](super::Limits::max_depth).
    TooDeep,
    /// Longer than [`Limits::max_bytes`](super::Limits::max_bytes).
    TooLarge,
    /// A number longer than [`Limits::max_number`](super::Limits::max_number) bytes.
    NumberTooLong,
}

/// A JSON error at a byte, with its line and column (1-based), as `serde_json` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The byte offset (0-based) at which it went wrong.
    pub at: u64,
    /// Its line (1-based).
    pub line: u64,
    /// Its column (1-based, in bytes).
    pub column: u64,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Unexpected(byte) if byte.is_ascii_graphic() => {
                write!(f, "unexpected `{}`", byte as char)?
            }
            ErrorKind::Unexpected(byte) => write!(f, "unexpected byte 0x{byte:02x}")?,
            ErrorKind::InvalidNumber => f.write_str("invalid number")?,
            ErrorKind::NumberOutOfRange => f.write_str("number out of range")?,
            ErrorKind::ControlCharacter => f.write_str("control character in a string")?,
            ErrorKind::InvalidEscape => f.write_str("invalid escape")?,
            ErrorKind::LoneSurrogate => f.write_str("lone surrogate in a \\u escape")?,
            ErrorKind::InvalidUtf8 => f.write_str("invalid UTF-8")?,
            ErrorKind::TrailingCharacters => f.write_str("trailing characters")?,
            ErrorKind::Eof => f.write_str("the JSON ended before its value did")?,
            ErrorKind::TooDeep => f.write_str("nested too deep")?,
            ErrorKind::TooLarge => f.write_str("document too large")?,
            ErrorKind::NumberTooLong => f.write_str("number too long")?,
        }
        write!(
            f,
            " at byte {} (line {}, column {})",
            self.at, self.line, self.column
        )
    }
}

impl std::error::Error for Error {}
