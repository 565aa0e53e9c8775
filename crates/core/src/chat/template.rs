//! The shape of the last chunk that took the borrowed hot path: its bytes with two holes, the
//! content string and the `obfuscation` padding. A stream repeats every other byte of its text
//! chunks (`id`, `model`, `created`, the keys, `"usage":null`), so the next chunk is read by
//! comparing those bytes and parsing only the two strings: a chunk that matches is the same
//! JSON document but for two string values, whose fields are known already. A text with an
//! escape (a markdown answer's line breaks) is read the same way, unescaped into its one copy.
//!
//! Any chunk that does not match goes the full `serde_json` way, which teaches a new shape
//! when it can be one (and keeps the last when it cannot).

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;

use super::decoder::{ContentDelta, Null};

/// See the module documentation. Empty until a chunk is learned.
#[derive(Debug, Default)]
pub(super) struct Template {
    /// The last shape learned, if any.
    shape: Option<Shape>,
    /// Where the next shape is learned, so that a chunk that cannot be one (an escape in its
    /// text) keeps the last: the next plain chunk most likely has it. Swapped, not allocated.
    spare: Shape,
}

impl Template {
    /// Reads `data` if it has the learned shape.
    pub(super) fn read<'a>(&self, data: &'a str) -> Option<ContentDelta<'a>> {
        self.shape.as_ref()?.read(data)
    }

    /// Learns the shape of `data`, which decoded (fully) as `delta`, unless it cannot be a
    /// template (a string with an escape, the fields after the content).
    pub(super) fn learn(&mut self, data: &str, delta: &ContentDelta<'_>) {
        if self.spare.learn(data, delta).is_some() {
            let shape = self.shape.get_or_insert_with(Shape::default);
            std::mem::swap(shape, &mut self.spare);
        }
    }
}

/// One chunk's bytes with the two holes, and where its fields lie in them.
#[derive(Debug, Default)]
struct Shape {
    /// The bytes before the content string's opening quote.
    head: String,
    /// From after the content's closing quote to the padding's opening quote, or to the end
    /// when the padding is not a hole.
    middle: String,
    /// After the padding's closing quote (when it is a hole).
    tail: String,
    /// The padding comes after the content: a hole.
    padding_hole: bool,
    /// The padding inside `head`, as a fixed value.
    padding_fixed: Option<Range<usize>>,
    id: Range<usize>,
    object: Range<usize>,
    model: Range<usize>,
    system_fingerprint: Option<Range<usize>>,
    service_tier: Option<Range<usize>>,
    created: i64,
    usage: Option<Null>,
    index: u64,
}

/// Where `part`, borrowed from `data`, lies in it.
fn place(data: &str, part: &str) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(data.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= data.len()).then_some(start..end)
}

/// Where `part` lies in `data`, if it was borrowed from it (an escaped string was not).
#[allow(clippy::ptr_arg)] // `Cow` itself: `Owned` must be told apart.
fn borrowed(data: &str, part: &Cow<'_, str>) -> Option<Range<usize>> {
    match part {
        Cow::Borrowed(part) => place(data, part),
        Cow::Owned(_) => None,
    }
}

/// The JSON string whose opening quote is at `at` — borrowed, or unescaped when it has an
/// escape (a markdown answer's line breaks) — and the position after its closing quote.
fn string_at(data: &str, at: usize) -> Option<(Cow<'_, str>, usize)> {
    /// Borrowed when it can be (a plain `Cow` always copies).
    #[derive(Deserialize)]
    struct Text<'a>(#[serde(borrow)] Cow<'a, str>);
    let rest = data.get(at..)?;
    if !rest.starts_with('"') {
        return None;
    }
    // A string delimits itself: the stream reads it and nothing after it.
    let mut strings = serde_json::Deserializer::from_str(rest).into_iter::<Text<'_>>();
    let Text(text) = strings.next()?.ok()?;
    Some((text, at + strings.byte_offset()))
}

impl Shape {
    fn read<'a>(&self, data: &'a str) -> Option<ContentDelta<'a>> {
        if !data.starts_with(self.head.as_str()) {
            return None;
        }
        let (content, after) = string_at(data, self.head.len())?;
        let rest = &data[after..];
        let padding = if self.padding_hole {
            let gap = rest.strip_prefix(self.middle.as_str())?;
            let (Cow::Borrowed(padding), end) = string_at(data, data.len() - gap.len())? else {
                return None;
            };
            if data[end..] != *self.tail {
                return None;
            }
            Some(padding)
        } else {
            if rest != self.middle {
                return None;
            }
            self.padding_fixed.clone().map(|at| &data[at])
        };
        Some(ContentDelta {
            id: Cow::Borrowed(&data[self.id.clone()]),
            object: Cow::Borrowed(&data[self.object.clone()]),
            created: self.created,
            model: Cow::Borrowed(&data[self.model.clone()]),
            system_fingerprint: self.system_fingerprint.clone().map(|at| &data[at]),
            service_tier: self.service_tier.clone().map(|at| &data[at]),
            obfuscation: padding,
            usage: self.usage,
            choices: (self.index, content),
        })
    }

    /// Learns `data`'s shape; `None` (and a shape not to use) if it cannot be one.
    fn learn(&mut self, data: &str, delta: &ContentDelta<'_>) -> Option<()> {
        let content = borrowed(data, &delta.choices.1)?;
        let open = content.start.checked_sub(1)?;
        let close = content.end;
        let bytes = data.as_bytes();
        if bytes.get(open) != Some(&b'"') || bytes.get(close) != Some(&b'"') {
            return None;
        }
        let in_head = |range: Range<usize>| (range.end < open).then_some(range);
        let optional = |part: Option<&str>| match part {
            None => Some(None),
            Some(part) => in_head(place(data, part)?).map(Some),
        };
        self.id = in_head(borrowed(data, &delta.id)?)?;
        self.object = in_head(borrowed(data, &delta.object)?)?;
        self.model = in_head(borrowed(data, &delta.model)?)?;
        self.system_fingerprint = optional(delta.system_fingerprint)?;
        self.service_tier = optional(delta.service_tier)?;
        self.created = delta.created;
        self.usage = delta.usage;
        self.index = delta.choices.0;
        self.head.clear();
        self.head.push_str(&data[..open]);
        self.middle.clear();
        self.tail.clear();
        self.padding_fixed = None;
        self.padding_hole = false;
        match delta.obfuscation.map(|padding| place(data, padding)) {
            None => self.middle.push_str(&data[close + 1..]),
            Some(None) => return None,
            Some(Some(padding)) if padding.start > close => {
                // Its quotes around it, as for the content.
                self.middle
                    .push_str(data.get(close + 1..padding.start - 1)?);
                self.tail.push_str(data.get(padding.end + 1..)?);
                self.padding_hole = true;
            }
            Some(Some(padding)) => {
                self.padding_fixed = Some(in_head(padding)?);
                self.middle.push_str(&data[close + 1..]);
            }
        }
        Some(())
    }
}
