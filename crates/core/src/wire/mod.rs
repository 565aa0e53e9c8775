//! What every protocol's wire types are made of: the `wire_object!` and `wire_enum!` macros
//! (unknown fields kept, unknown values kept, absent fields told from present ones), the
//! [`Extra`] map of unknown fields, the SDK's delta [`merge`] rules, and the [`ErrorObject`]
//! all the APIs share.

#[macro_use]
pub(crate) mod macros;
pub mod merge;

mod error_object;
mod extra;

pub use error_object::ErrorObject;
pub use extra::Extra;
