//! What every protocol's wire types are made of: the `wire_object!` and `wire_enum!` macros
//! (unknown fields kept, unknown values kept, absent fields told from present ones), the
//! [`Extra`] map of unknown fields, the SDK's delta [`merge`] rules, and the [`ErrorObject`]
//! all the APIs share; and `typed_object!` / `typed_union!`, the final results' typed form
//! (every field kept, the same JSON written back).

#[macro_use]
pub(crate) mod macros;
#[macro_use]
pub(crate) mod typed;
pub mod merge;

mod error_object;
mod extra;

pub use error_object::ErrorObject;
pub use extra::Extra;
