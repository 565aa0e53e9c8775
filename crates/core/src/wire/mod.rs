//! What every protocol shares on the wire: the call as data ([`Request`], its [`Config`]:
//! base URL, key, headers), an error answer ([`ApiError`], [`NotAStream`]), and what the
//! protocols' wire types are made of: the `wire_object!` and `wire_enum!` macros
//! (unknown fields kept, unknown values kept, absent fields told from present ones), the
//! [`Extra`] map of unknown fields, the SDK's delta [`merge`] rules, and the [`ErrorObject`]
//! all the APIs share; and `typed_object!` / `typed_union!`, the final results' typed form
//! (every field kept, the same JSON written back).

#[macro_use]
pub(crate) mod macros;
#[macro_use]
pub(crate) mod typed;
pub mod merge;

mod api_error;
mod config;
mod error_object;
mod extra;
mod not_a_stream;
pub mod protocol;
pub(crate) mod request;

pub use api_error::ApiError;
pub use config::{Config, Secret};
pub use error_object::ErrorObject;
pub use extra::Extra;
pub use not_a_stream::NotAStream;
pub use request::{Method, Request};
