//! A string's body decoded as its bytes arrive, split anywhere: inside a multi-byte character,
//! an escape or a surrogate pair. Runs without escapes are found with `memchr` and copied
//! whole.

use super::ErrorKind;

/// Where in an escape the bytes so far are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    None,
    /// After `\`.
    Backslash,
    /// After `\u` and `digits` hex digits making `code`; `high` when this is a pair's second
    /// half.
    Unicode {
        digits: u8,
        code: u32,
        high: Option<u32>,
    },
    /// A pair's first half: `\` must follow.
    AfterHigh(u32),
    /// A pair's first half and `\`: `u` must follow.
    AfterHighBackslash(u32),
}

/// A string being decoded: what is decoded so far waits in [`Text::out`] for its owner to take.
#[derive(Debug, Clone)]
pub(super) struct Text {
    /// Decoded characters not taken yet.
    pub(super) out: String,
    escape: Escape,
    /// The first bytes of a character split between pieces.
    carry: [u8; 4],
    carry_len: usize,
}

impl Default for Text {
    fn default() -> Self {
        Text {
            out: String::new(),
            escape: Escape::None,
            carry: [0; 4],
            carry_len: 0,
        }
    }
}

/// A failure at an offset into the bytes fed.
pub(super) type Failed = (usize, ErrorKind);

impl Text {
    /// Starts a new string (the buffer's capacity is kept).
    pub(super) fn reset(&mut self) {
        self.out.clear();
        self.escape = Escape::None;
        self.carry_len = 0;
    }

    /// Decodes the string's next bytes: how many were its own, and whether the closing quote
    /// was among them.
    pub(super) fn feed(&mut self, bytes: &[u8]) -> Result<(usize, bool), Failed> {
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            match self.escape {
                Escape::None => {
                    let rest = bytes.get(i..).unwrap_or_default();
                    let stop = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
                    let run = rest.get(..stop).unwrap_or_default();
                    if let Some(at) = run.iter().position(|&b| b < 0x20) {
                        // What came before the bad byte is kept, however the text was cut.
                        let before = run.get(..at).unwrap_or_default();
                        self.push_utf8(before)
                            .map_err(|at| (i + at, ErrorKind::InvalidUtf8))?;
                        return Err((i + at, ErrorKind::ControlCharacter));
                    }
                    self.push_utf8(run)
                        .map_err(|at| (i + at, ErrorKind::InvalidUtf8))?;
                    i += stop;
                    let Some(&end) = bytes.get(i) else {
                        return Ok((i, false));
                    };
                    if self.carry_len > 0 {
                        // A character cut short by a quote or a backslash.
                        return Err((i, ErrorKind::InvalidUtf8));
                    }
                    i += 1;
                    if end == b'"' {
                        return Ok((i, true));
                    }
                    self.escape = Escape::Backslash;
                }
                Escape::Backslash => {
                    let c = match byte {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            self.escape = Escape::Unicode {
                                digits: 0,
                                code: 0,
                                high: None,
                            };
                            i += 1;
                            continue;
                        }
                        _ => return Err((i, ErrorKind::InvalidEscape)),
                    };
                    self.out.push(c);
                    self.escape = Escape::None;
                    i += 1;
                }
                Escape::Unicode { digits, code, high } => {
                    let digit = (byte as char)
                        .to_digit(16)
                        .ok_or((i, ErrorKind::InvalidEscape))?;
                    let code = code * 16 + digit;
                    self.escape = match (digits + 1, high) {
                        (4, None) if (0xD800..0xDC00).contains(&code) => Escape::AfterHigh(code),
                        (4, Some(high)) if (0xDC00..0xE000).contains(&code) => {
                            let c = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00);
                            self.push_char(c, i)?;
                            Escape::None
                        }
                        (4, Some(_)) => return Err((i, ErrorKind::LoneSurrogate)),
                        (4, None) => {
                            self.push_char(code, i)?;
                            Escape::None
                        }
                        (digits, high) => Escape::Unicode { digits, code, high },
                    };
                    i += 1;
                }
                Escape::AfterHigh(high) if byte == b'\\' => {
                    self.escape = Escape::AfterHighBackslash(high);
                    i += 1;
                }
                Escape::AfterHighBackslash(high) if byte == b'u' => {
                    self.escape = Escape::Unicode {
                        digits: 0,
                        code: 0,
                        high: Some(high),
                    };
                    i += 1;
                }
                Escape::AfterHigh(_) | Escape::AfterHighBackslash(_) => {
                    return Err((i, ErrorKind::LoneSurrogate))
                }
            }
        }
        Ok((i, false))
    }

    /// A `\u` escape's character (a lone second half of a pair is none).
    fn push_char(&mut self, code: u32, at: usize) -> Result<(), Failed> {
        let c = char::from_u32(code).ok_or((at, ErrorKind::LoneSurrogate))?;
        self.out.push(c);
        Ok(())
    }

    /// Appends a run of raw bytes (no quote, no backslash), completing a character split from
    /// the last piece first and keeping one split at the end for the next; a byte that makes
    /// it invalid UTF-8 is an error at that byte's offset, however the text was cut.
    fn push_utf8(&mut self, mut run: &[u8]) -> Result<(), usize> {
        let mut offset = 0;
        if self.carry_len > 0 {
            // The split character and the bytes that may complete it, validated together.
            let had = self.carry_len;
            let take = (utf8_width(self.carry[0]) - had).min(run.len());
            let mut buf = [0u8; 4];
            let head = buf.get_mut(..had + take).unwrap_or_default();
            for (slot, &byte) in head
                .iter_mut()
                .zip(self.carry.iter().take(had).chain(run.iter().take(take)))
            {
                *slot = byte;
            }
            match std::str::from_utf8(head) {
                Ok(c) => {
                    self.out.push_str(c);
                    self.carry_len = 0;
                }
                Err(err) if err.error_len().is_none() => {
                    self.carry_len = had + take;
                    self.carry = buf;
                    return Ok(());
                }
                Err(err) => return Err(bad_byte(&err, head) - had),
            }
            run = run.get(take..).unwrap_or_default();
            offset = take;
        }
        match std::str::from_utf8(run) {
            Ok(text) => self.out.push_str(text),
            Err(err) => {
                let (good, bad) = run.split_at(err.valid_up_to());
                self.out
                    .push_str(std::str::from_utf8(good).unwrap_or_default());
                if err.error_len().is_some() {
                    return Err(offset + bad_byte(&err, run));
                }
                self.carry_len = bad.len();
                if let Some(carry) = self.carry.get_mut(..bad.len()) {
                    carry.copy_from_slice(bad);
                }
            }
        }
        Ok(())
    }
}

/// The byte at which `bytes` stopped being a prefix of UTF-8: the lead byte when no character
/// starts with it, otherwise the first byte after the sequence's valid start.
fn bad_byte(err: &std::str::Utf8Error, bytes: &[u8]) -> usize {
    let valid = err.valid_up_to();
    let lead_ok = bytes.get(valid).is_some_and(|&b| utf8_width(b) > 1);
    valid
        + if lead_ok {
            err.error_len().unwrap_or(0)
        } else {
            0
        }
}

/// How many bytes a character starting with `lead` has (1 for a byte no character starts
/// with, which UTF-8 validation then rejects).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 1,
    }
}
