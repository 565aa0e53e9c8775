//! The two macros every wire type is made with.
//!
//! `wire_object!` makes a struct whose known fields are typed and whose unknown fields are kept
//! in `extra`, with a hand-rolled `Deserialize` (one pass over the map, no buffering, unlike
//! `#[serde(flatten)]`), a `Serialize` that writes back the fields it had, and `Merge` by the
//! SDK's delta rules. `wire_enum!` makes a string enum that keeps values it does not know.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// An object key, borrowed from the input when it has no escapes.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Whether a required field holds its default (empty, zero), so that serializing an object
/// that was built, not decoded, does not invent it.
pub(crate) trait Unset {
    fn is_unset(&self) -> bool {
        false
    }
}

impl Unset for String {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

impl Unset for i64 {
    fn is_unset(&self) -> bool {
        *self == 0
    }
}

impl<T> Unset for Vec<T> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

/// Which required fields came on the wire (non-null): those are written back even when empty
/// or zero, and absent ones are not invented, so a decoded object serializes to the fields it
/// had. It takes no part in equality: two objects with the same values are equal.
#[derive(Debug, Clone, Copy, Default)]
pub struct Presence(u64);

impl PartialEq for Presence {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Presence {
    pub(crate) fn set(&mut self, bit: u32) {
        self.0 |= 1u64.checked_shl(bit).unwrap_or(0);
    }

    pub(crate) fn has(self, bit: u32) -> bool {
        self.0 & 1u64.checked_shl(bit).unwrap_or(0) != 0
    }

    pub(crate) fn merge(&mut self, other: Presence) {
        self.0 |= other.0;
    }
}

/// The position of `key` in `keys`, at compile time (a required field's presence bit).
#[allow(clippy::indexing_slicing)] // evaluated by the compiler: out of bounds fails the build
pub(crate) const fn bit_of(keys: &[&str], key: &str) -> u32 {
    let mut i = 0;
    while i < keys.len() {
        let (a, b) = (keys[i].as_bytes(), key.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i as u32;
            }
        }
        i += 1;
    }
    panic!("not a required key")
}

/// The JSON key of a field: its name, or the name given with `as`.
macro_rules! wire_key {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $key:literal) => {
        $key
    };
}

/// How a list of this type merges: `indexed` entries by their `index` field (the SDK's rule for
/// lists of objects), `append` entries at the end.
macro_rules! wire_list {
    (indexed, $name:ident) => {
        impl $crate::wire::merge::MergeEntry for $name {
            fn entry_index(&self) -> Option<i64> {
                self.index
            }
        }
    };
    (append, $name:ident) => {
        impl $crate::wire::merge::MergeEntry for $name {
            fn entry_index(&self) -> Option<i64> {
                None
            }
        }
    };
}

/// Defines a wire object. `required` fields are always written and default when absent or null;
/// `optional` fields are `Option`s, written only when set.
macro_rules! wire_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($list:ident) {
            required { $( $(#[$rmeta:meta])* $rfield:ident $(as $rkey:literal)? : $rty:ty, )* }
            optional { $( $(#[$ometa:meta])* $ofield:ident $(as $okey:literal)? : $oty:ty, )* }
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$rmeta])* pub $rfield: $rty, )*
            $( $(#[$ometa])* pub $ofield: Option<$oty>, )*
            /// Fields this version does not know, kept as they were sent.
            pub extra: $crate::wire::Extra,
            present: $crate::wire::macros::Presence,
        }

        impl $name {
            /// The JSON keys of the required fields, in order: a field's position is its
            /// presence bit.
            #[allow(dead_code)]
            const REQUIRED: &'static [&'static str] = &[$( wire_key!($rfield $($rkey)?), )*];
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $(
                    {
                        const BIT: u32 = $crate::wire::macros::bit_of(
                            $name::REQUIRED, wire_key!($rfield $($rkey)?));
                        if self.present.has(BIT)
                            || !$crate::wire::macros::Unset::is_unset(&self.$rfield)
                        {
                            map.serialize_entry(wire_key!($rfield $($rkey)?), &self.$rfield)?;
                        }
                    }
                )*
                $(
                    if let Some(value) = &self.$ofield {
                        map.serialize_entry(wire_key!($ofield $($okey)?), value)?;
                    }
                )*
                for (key, value) in &self.extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(key) = map.next_key::<$crate::wire::macros::Key<'de>>()? {
                            match key.as_str() {
                                $(
                                    wire_key!($rfield $($rkey)?) => {
                                        const BIT: u32 = $crate::wire::macros::bit_of(
                                            $name::REQUIRED, wire_key!($rfield $($rkey)?));
                                        if let Some(value) = map.next_value::<Option<$rty>>()? {
                                            out.$rfield = value;
                                            out.present.set(BIT);
                                        }
                                    }
                                )*
                                $(
                                    wire_key!($ofield $($okey)?) => {
                                        out.$ofield = map.next_value()?;
                                    }
                                )*
                                other => {
                                    let value = map.next_value()?;
                                    out.extra.insert(other.to_owned(), value);
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }

        impl $crate::wire::merge::Merge for $name {
            fn merge(&mut self, delta: &Self) {
                $(
                    $crate::wire::merge::merge_field(
                        wire_key!($rfield $($rkey)?), &mut self.$rfield, &delta.$rfield);
                )*
                $(
                    $crate::wire::merge::merge_field(
                        wire_key!($ofield $($okey)?), &mut self.$ofield, &delta.$ofield);
                )*
                $crate::wire::merge::Merge::merge(&mut self.extra, &delta.extra);
                self.present.merge(delta.present);
            }
        }

        wire_list!($list, $name);

        impl $crate::wire::macros::Unset for $name {
            fn is_unset(&self) -> bool {
                *self == Self::default()
            }
        }
    };
}

/// Defines a string enum whose unknown values decode to `Unknown`, keeping the string.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version does not know, as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Unknown(value) => value,
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::Unknown(String::new())
            }
        }

        impl $crate::wire::macros::Unset for $name {
            fn is_unset(&self) -> bool {
                self.as_str().is_empty()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let key = $crate::wire::macros::Key::deserialize(deserializer)?;
                Ok(match key.as_str() {
                    $( $value => $name::$variant, )*
                    _ => $name::Unknown(match key {
                        $crate::wire::macros::Key::Borrowed(s) => s.to_owned(),
                        $crate::wire::macros::Key::Owned(s) => s,
                    }),
                })
            }
        }

        impl $crate::wire::merge::Merge for $name {
            /// Enums are replaced, not concatenated: they are `type`-like discriminants. An
            /// unset one (a required field the delta did not carry) changes nothing.
            fn merge(&mut self, delta: &Self) {
                if !$crate::wire::macros::Unset::is_unset(delta) {
                    self.clone_from(delta);
                }
            }

            fn replace_with(&mut self, delta: &Self) {
                self.merge(delta);
            }
        }
    };
}
