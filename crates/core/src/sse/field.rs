//! The grammar of one non-empty, non-comment line: `name [":" [" "] value]`.

use nom::bytes::complete::{tag, take_till};
use nom::combinator::{opt, rest};
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// Splits a field line into its name and value.
///
/// The name is everything before the first colon; the value is everything after it, minus one
/// leading space. A line without a colon is a field whose value is empty.
pub(crate) fn split(line: &[u8]) -> (&[u8], &[u8]) {
    match field(line) {
        Ok((_, (name, value))) => (name, value.unwrap_or_default()),
        // Every parser above accepts any input, so this arm is unreachable; it keeps the
        // function total without a panic path.
        Err(_) => (line, &[]),
    }
}

/// A field's name and, when there was a colon, its value.
type Field<'a> = (&'a [u8], Option<&'a [u8]>);

fn field(line: &[u8]) -> IResult<&[u8], Field<'_>> {
    (
        take_till(|b| b == b':'),
        opt(preceded(
            tag(&b":"[..]),
            preceded(opt(tag(&b" "[..])), rest),
        )),
    )
        .parse(line)
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn splits_at_first_colon_and_drops_one_space() {
        assert_eq!(split(b"data: a: b"), (&b"data"[..], &b"a: b"[..]));
        assert_eq!(split(b"data:  two"), (&b"data"[..], &b" two"[..]));
        assert_eq!(split(b"data:x"), (&b"data"[..], &b"x"[..]));
        assert_eq!(split(b"data"), (&b"data"[..], &b""[..]));
        assert_eq!(split(b"data:"), (&b"data"[..], &b""[..]));
    }
}
