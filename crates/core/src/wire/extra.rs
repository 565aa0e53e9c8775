//! `Extra`: the fields of an object this version does not know, kept as they were sent.

use std::ops::Index;

use serde_json::{Map, Value};

use super::merge::Merge;

/// The unknown fields of a wire object, in key order.
///
/// Almost every object has none, so the map is only allocated when one arrives: an empty
/// `Extra` is one null pointer, cheap to move and free to drop (measured in
/// `benches/pipeline.rs`, where every delta carries three of them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extra(Option<Box<Map<String, Value>>>);

impl Extra {
    /// No unknown fields.
    pub const fn new() -> Self {
        Extra(None)
    }

    /// The value of an unknown field.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.as_ref()?.get(key)
    }

    /// Keeps an unknown field, replacing any earlier value of it.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        self.0.get_or_insert_with(Box::default).insert(key, value)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|map| map.is_empty())
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |map| map.len())
    }

    /// The fields, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().flat_map(|map| map.iter())
    }

    /// The fields as a JSON map.
    pub fn into_map(self) -> Map<String, Value> {
        self.0.map(|map| *map).unwrap_or_default()
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        Extra((!map.is_empty()).then(|| Box::new(map)))
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Flatten<std::option::IntoIter<&'a Map<String, Value>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.as_deref().into_iter().flatten()
    }
}

/// `extra["key"]`, as on a JSON map: `Value::Null` for a key that is not there.
impl Index<&str> for Extra {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl Merge for Extra {
    fn merge(&mut self, delta: &Self) {
        if let Some(delta) = &delta.0 {
            self.0.get_or_insert_with(Box::default).merge(delta);
        }
    }
}
