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
