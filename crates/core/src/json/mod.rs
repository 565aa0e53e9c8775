//! JSON as it streams: a partial parser ([`PartialJson`]) fed a document in pieces split
//! anywhere, holding the value so far and lending it out after every piece, in time
//! proportional to the piece (the SDKs re-parse the whole text per delta: quadratic).
//!
//! Two modes, as `jiter`'s `partial_mode` names them ([`PartialMode`]): `On` leaves an
//! unfinished string out (what openai-python uses for `parsed`), `TrailingStrings` keeps it as it
//! stands (what a UI wants). Either way an unfinished number counts as it stands when it is a
//! number already (`12` yes, `1.` or `-` not yet), an unfinished literal (`tru`) or member (a
//! key without its value) is left out, and an open container is there, with what it holds so
//! far.
//!
//! ```
//! use streaming_assistants_core::json::{PartialJson, PartialMode};
//! use serde_json::json;
//!
//! let mut parser = PartialJson::new(PartialMode::TrailingStrings);
//! parser.push(b"{\"rows\": [{\"name\": \"Ad").unwrap();
//! assert_eq!(parser.value(), Some(&json!({"rows": [{"name": "Ad"}]})));
//! parser.push(b"a\"}, {\"name\": 4").unwrap();
//! assert_eq!(parser.value(), Some(&json!({"rows": [{"name": "Ada"}, {"name": 4}]})));
//! parser.push(b"2}]}").unwrap();
//! assert_eq!(parser.finish().unwrap(), json!({"rows": [{"name": "Ada"}, {"name": 42}]}));
//! ```

mod error;
mod name;
mod number;
mod partial;
#[cfg(feature = "schemars")]
mod schema;
mod text;

pub use error::{Error, ErrorKind};
pub use name::format_name;
pub use partial::{Limits, PartialJson, PartialMode};
#[cfg(feature = "schemars")]
pub use schema::strict_schema_for;
