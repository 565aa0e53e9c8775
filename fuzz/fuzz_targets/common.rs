use streaming_assistants_core::wire::protocol::Decode;
// Shared by the targets: the input's first bytes choose how the rest is cut into chunks, so
// the fuzzer explores chunk boundaries as well as content.

/// Splits `data` into (chunk sizes seed, body); the body is cut by sizes cycled from the seed.
pub fn chunks(data: &[u8]) -> (Vec<usize>, &[u8]) {
    let (seed, body) = data.split_at(data.len().min(4));
    let sizes: Vec<usize> = seed.iter().map(|&b| usize::from(b % 64) + 1).collect();
    (if sizes.is_empty() { vec![1] } else { sizes }, body)
}

/// The body's chunks, by the sizes.
pub fn cut<'a>(sizes: &'a [usize], body: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = body;
    let mut i = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = sizes[i % sizes.len()].min(rest.len());
        i += 1;
        let (head, tail) = rest.split_at(n);
        rest = tail;
        Some(head)
    })
}

/// A protocol's owned events from the chunks (errors as text), and whether its end came.
#[allow(dead_code)] // not every target uses it
pub fn events<P: streaming_assistants_core::wire::protocol::Protocol>(
    chunks: impl Iterator<Item = impl AsRef<[u8]>>,
) -> (Vec<Result<P::Event, String>>, bool) {
    let mut decoder = P::Decoder::default();
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(chunk.as_ref());
        while let Some(item) = decoder.next_event() {
            out.push(item.map_err(|e| e.to_string()));
        }
    }
    (out, decoder.finish_at().complete)
}
