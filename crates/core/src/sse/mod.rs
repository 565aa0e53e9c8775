//! Server-Sent Events framing: bytes in, [`Event`]s out.
//!
//! [`Parser`] implements the WHATWG HTML "event stream" interpretation and knows nothing about
//! OpenAI. Its rules, in the order the standard gives them:
//!
//! - the input is UTF-8; invalid sequences become U+FFFD (the stream goes on); one byte order
//!   mark at the very start of the stream is dropped;
//! - lines end at CRLF, LF or a lone CR, also when the CR and the LF arrive in different chunks;
//! - an empty line dispatches the event; a line starting with `:` is a comment;
//! - `name: value` sets a field (one leading space of the value is dropped; a line with no colon
//!   is a field with an empty value): `event` sets the type, `data` appends a line to the data,
//!   `id` sets the last event id unless it contains NUL, `retry` sets the reconnection time when
//!   it is all ASCII digits; other names are ignored;
//! - an event with no data is not dispatched; the type resets after each dispatch, the id does
//!   not;
//! - at the end of input an unterminated event is discarded, and [`Parser::finish`] says so
//!   ([`End::Truncated`]) so that a cut body is never mistaken for a complete one.
//!
//! Memory is bounded by [`Limits`]: a line or an event past its limit is a typed [`Error`], the
//! rest of that event is skipped, and parsing goes on with the next one.

mod event;
mod field;
mod limits;
mod parser;

pub use event::{Event, EventRef};
pub use limits::{Error, Limits};
pub use parser::{End, Parser};
