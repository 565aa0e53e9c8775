//! `typed_object!`: the typed form of a final result (a `Response`, a `ChatCompletion`) that
//! gives back exactly the JSON it was made from.
//!
//! Every known field is an `Option` of its type. A field that is unknown, sent as `null`, or
//! sent with another type than documented is kept in `extra` as it was sent, so reading a
//! result never fails on a server's deviation and serializing it writes the same JSON. Unlike
//! `wire_object!` (the events' types, decoded once per delta on the hot path) these are made
//! once per stream, from the accumulated JSON.

/// Defines a typed result object; see the module docs.
macro_rules! typed_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident $(as $key:literal)? : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// Fields this version does not know, and known ones sent as `null` or with another
            /// type than documented, kept as sent.
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl $name {
            /// Reads the object from its JSON fields: never fails (see [`crate::wire`]'s
            /// typed results: a field that does not fit is kept in `extra`).
            pub fn from_map(map: serde_json::Map<String, serde_json::Value>) -> Self {
                let mut out = Self::default();
                for (key, value) in map {
                    match key.as_str() {
                        $(
                            wire_key!($field $($key)?) if !value.is_null() => {
                                match <$ty as serde::Deserialize>::deserialize(&value) {
                                    Ok(typed) => out.$field = Some(typed),
                                    Err(_) => {
                                        out.extra.insert(key, value);
                                    }
                                }
                            }
                        )*
                        _ => {
                            out.extra.insert(key, value);
                        }
                    }
                }
                out
            }

            /// The object as JSON: exactly the fields it was read from.
            pub fn to_value(&self) -> serde_json::Value {
                serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $(
                    if let Some(value) = &self.$field {
                        map.serialize_entry(wire_key!($field $($key)?), value)?;
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
                let map = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
                Ok(Self::from_map(map))
            }
        }
    };
}

/// Defines an enum of typed objects told apart by their `type` field, with `Unknown` for a
/// type this version does not know (kept whole).
macro_rules! typed_union {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident($ty:ty) = $value:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant($ty), )*
            /// A type this version does not know, as sent.
            Unknown(serde_json::Map<String, serde_json::Value>),
        }

        impl $name {
            /// Reads it from its JSON fields, by its `type`.
            pub fn from_map(map: serde_json::Map<String, serde_json::Value>) -> Self {
                match map.get("type").and_then(serde_json::Value::as_str) {
                    $( Some($value) => $name::$variant(<$ty>::from_map(map)), )*
                    _ => $name::Unknown(map),
                }
            }

            /// Its `type`, as sent.
            pub fn kind(&self) -> Option<&str> {
                match self {
                    $( $name::$variant(_) => Some($value), )*
                    $name::Unknown(map) => map.get("type").and_then(serde_json::Value::as_str),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( $name::$variant(inner) => inner.serialize(serializer), )*
                    $name::Unknown(map) => map.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let map = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
                Ok(Self::from_map(map))
            }
        }
    };
}
