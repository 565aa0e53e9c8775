//! Merging a delta into a snapshot, by the official SDK's rules (`accumulate_delta` in
//! `openai-python`, `src/openai/lib/streaming/_deltas.py`):
//!
//! - a key absent or null in the snapshot takes the delta's value;
//! - `index` and `type` are overwritten, never merged;
//! - strings concatenate, numbers add, objects merge key by key;
//! - lists of objects merge entry by entry on each entry's `index` (its position in the list;
//!   inserted there when no entry is), lists of scalars extend.
//!
//! Merging takes the delta by reference: text is appended in place (amortized linear), and
//! only what the snapshot did not have yet is cloned.

use serde_json::{Map, Number, Value};

/// A value a delta of the same shape can be merged into.
pub trait Merge {
    /// Merges `delta` into `self`.
    fn merge(&mut self, delta: &Self);

    /// Replaces `self` with `delta` (for `index` and `type`), unless `delta` is unset.
    fn replace_with(&mut self, delta: &Self)
    where
        Self: Clone,
    {
        self.clone_from(delta);
    }
}

/// An entry of a list that merges by index.
pub trait MergeEntry: Merge + Clone {
    /// The entry's `index` field, for types whose lists merge by index.
    fn entry_index(&self) -> Option<i64>;
}

/// Merges one field: `index` and `type` are replaced when the delta has them.
pub(crate) fn merge_field<T: Merge + Clone>(key: &str, acc: &mut T, delta: &T) {
    if key == "index" || key == "type" {
        acc.replace_with(delta);
    } else {
        acc.merge(delta);
    }
}

impl Merge for String {
    fn merge(&mut self, delta: &Self) {
        self.push_str(delta);
    }
}

impl<T: Merge> Merge for Box<T> {
    fn merge(&mut self, delta: &Self) {
        (**self).merge(delta);
    }
}

impl Merge for i64 {
    fn merge(&mut self, delta: &Self) {
        *self = self.saturating_add(*delta);
    }
}

impl Merge for u64 {
    fn merge(&mut self, delta: &Self) {
        *self = self.saturating_add(*delta);
    }
}

impl Merge for f64 {
    fn merge(&mut self, delta: &Self) {
        *self += delta;
    }
}

impl Merge for bool {
    fn merge(&mut self, delta: &Self) {
        *self = *delta;
    }
}

impl<T: Merge + Clone> Merge for Option<T> {
    fn merge(&mut self, delta: &Self) {
        match (self.as_mut(), delta) {
            (_, None) => {}
            (Some(acc), Some(delta)) => acc.merge(delta),
            (None, Some(delta)) => *self = Some(delta.clone()),
        }
    }

    fn replace_with(&mut self, delta: &Self) {
        if delta.is_some() {
            self.clone_from(delta);
        }
    }
}

impl<T: MergeEntry> Merge for Vec<T> {
    fn merge(&mut self, delta: &Self) {
        for entry in delta {
            let Some(index) = entry.entry_index() else {
                self.push(entry.clone());
                continue;
            };
            match usize::try_from(index).ok().and_then(|i| self.get_mut(i)) {
                Some(acc) => acc.merge(entry),
                None => {
                    let at = usize::try_from(index).unwrap_or(0).min(self.len());
                    self.insert(at, entry.clone());
                }
            }
        }
    }
}

impl MergeEntry for String {
    fn entry_index(&self) -> Option<i64> {
        None
    }
}

impl MergeEntry for Value {
    fn entry_index(&self) -> Option<i64> {
        self.get("index").and_then(Value::as_i64)
    }
}

impl Merge for Map<String, Value> {
    fn merge(&mut self, delta: &Self) {
        for (key, value) in delta {
            match self.get_mut(key) {
                Some(acc) if !acc.is_null() && key != "index" && key != "type" => acc.merge(value),
                _ => {
                    let mut fresh = Value::Null;
                    fresh.merge(value);
                    self.insert(key.clone(), fresh);
                }
            }
        }
    }
}

impl Merge for Value {
    fn merge(&mut self, delta: &Self) {
        match (self, delta) {
            (_, Value::Null) => {}
            (acc @ Value::Null, Value::Array(entries)) if has_indexed_entries(entries) => {
                // Even a first indexed list is merged: one delta may hold several fragments
                // of the same entry.
                let mut list = Vec::new();
                list.merge(entries);
                *acc = Value::Array(list);
            }
            (acc @ Value::Null, delta) => *acc = delta.clone(),
            (Value::String(acc), Value::String(delta)) => acc.push_str(delta),
            (Value::Number(acc), Value::Number(delta)) => *acc = add(acc, delta),
            (Value::Object(acc), Value::Object(delta)) => acc.merge(delta),
            (Value::Array(acc), Value::Array(delta)) => {
                let scalars = acc.iter().all(|v| v.is_string() || v.is_number());
                if scalars && (!acc.is_empty() || !has_indexed_entries(delta)) {
                    acc.extend(delta.iter().cloned());
                } else {
                    acc.merge(delta);
                }
            }
            // Mismatched shapes: the SDK keeps what it had.
            _ => {}
        }
    }
}

fn has_indexed_entries(entries: &[Value]) -> bool {
    entries.iter().any(|e| e.get("index").is_some())
}

fn add(a: &Number, b: &Number) -> Number {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Number::from(a.saturating_add(b));
    }
    let sum = a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0);
    Number::from_f64(sum).unwrap_or_else(|| a.clone())
}
