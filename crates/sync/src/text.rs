//! The text pieces of a stream, as an `Iterator` (the async crate's `Text` stream).

use streaming_assistants_core::wire::protocol::Protocol;

use crate::{Error, EventStream};

/// [`EventStream::text`]: the text pieces of a stream, one per delta, as an `Iterator`.
#[derive(Debug)]
pub struct Text<P: Protocol>(EventStream<P>);

impl<P: Protocol> Text<P> {
    pub(crate) fn new(stream: EventStream<P>) -> Self {
        Text(stream)
    }
}

impl<P: Protocol> Iterator for Text<P> {
    type Item = Result<String, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .pump(|reader| reader.next_text().map(|text| text.map_err(Error::from)))
    }
}
