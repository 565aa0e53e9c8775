//! Reading the capture incrementally, in the chunking the user asked for.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use streaming_assistants_core::sse::{Limits, Parser};

/// The capture being replayed: a file or stdin, read 64 KiB at a time.
pub(crate) struct Input {
    reader: Box<dyn Read>,
    chunk: usize,
    buf: Vec<u8>,
    /// Bytes read ahead to tell the protocol ([`Input::first_event`]), fed first.
    held: Vec<u8>,
}

impl Input {
    pub(crate) fn open(path: &Path, chunk: Option<u64>) -> io::Result<Input> {
        let reader: Box<dyn Read> = if path.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            let file = File::open(path).map_err(|err| {
                io::Error::new(err.kind(), format!("cannot open {}: {err}", path.display()))
            })?;
            Box::new(file)
        };
        Ok(Input::from_reader(reader, chunk))
    }

    /// Reads from `reader`, fed in pieces of at most `chunk` bytes (default: whole reads).
    pub(crate) fn from_reader(reader: Box<dyn Read>, chunk: Option<u64>) -> Input {
        let chunk = chunk.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
        Input {
            reader,
            chunk,
            buf: vec![0; 64 * 1024],
            held: Vec::new(),
        }
    }

    /// Reads ahead until the first SSE event is complete (or the input ends) and returns its
    /// type and data; everything read is still fed by [`Input::for_each`]. Bounded by
    /// `limits`: past them the probe gives up (`None`).
    pub(crate) fn first_event(&mut self, limits: Limits) -> io::Result<Option<(String, String)>> {
        let mut probe = Parser::with_limits(limits);
        loop {
            if let Some(event) = probe.next_event() {
                return Ok(event
                    .ok()
                    .map(|e| (e.event().to_owned(), e.data().to_owned())));
            }
            let n = match self.reader.read(&mut self.buf) {
                Ok(0) => return Ok(None),
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    return Err(io::Error::new(err.kind(), format!("reading input: {err}")))
                }
            };
            probe.push(&self.buf[..n]);
            self.held.extend_from_slice(&self.buf[..n]);
        }
    }

    /// Calls `feed` with every piece of the input, in order, until the end or an error.
    pub(crate) fn for_each(
        &mut self,
        mut feed: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let held = std::mem::take(&mut self.held);
        for piece in held.chunks(self.chunk.min(held.len()).max(1)) {
            feed(piece)?;
        }
        loop {
            let n = match self.reader.read(&mut self.buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    return Err(io::Error::new(err.kind(), format!("reading input: {err}")))
                }
            };
            for piece in self.buf[..n].chunks(self.chunk.min(n)) {
                feed(piece)?;
            }
        }
    }
}
