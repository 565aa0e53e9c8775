//! The check every transport makes of a streaming call's answer before reading its body.

use std::fmt;

/// The answer to a streaming call was a success, but not a readable event stream: a JSON body
/// (a server that ignored `stream: true`), or a compressed body this client did not ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotAStream {
    /// The answer's `content-type`.
    pub content_type: Option<String>,
    /// The answer's `content-encoding`, when not `identity`.
    pub content_encoding: Option<String>,
}

impl NotAStream {
    /// Checks a streaming answer's head: its `content-type` (when present) must be
    /// `text/event-stream`, and its body must not be encoded (neither transport asks for
    /// compression, so an encoded body would decode to garbage).
    ///
    /// ```
    /// use streaming_assistants_core::wire::NotAStream;
    ///
    /// assert!(NotAStream::check(Some("text/event-stream; charset=utf-8"), None).is_ok());
    /// assert!(NotAStream::check(None, None).is_ok()); // lenient: some proxies drop it
    /// let err = NotAStream::check(Some("application/json"), None).unwrap_err();
    /// assert_eq!(err.to_string(), "expected an event stream, got content-type application/json");
    /// assert!(NotAStream::check(Some("text/event-stream"), Some("gzip")).is_err());
    /// ```
    pub fn check(content_type: Option<&str>, content_encoding: Option<&str>) -> Result<(), Self> {
        let stream = content_type.is_none_or(|t| {
            t.trim_start()
                .get(..17)
                .is_some_and(|t| t.eq_ignore_ascii_case("text/event-stream"))
        });
        let encoded = content_encoding
            .map(str::trim)
            .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("identity"));
        if stream && encoded.is_none() {
            return Ok(());
        }
        Err(NotAStream {
            content_type: content_type.map(str::to_owned),
            content_encoding: encoded.map(str::to_owned),
        })
    }

    /// [`NotAStream::check`], the headers looked up by `header` (by lower-case name).
    pub fn check_headers<'a>(header: impl Fn(&str) -> Option<&'a str>) -> Result<(), Self> {
        Self::check(header("content-type"), header("content-encoding"))
    }
}

impl fmt::Display for NotAStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.content_encoding, &self.content_type) {
            (Some(encoding), _) => write!(
                f,
                "expected an event stream, got a {encoding}-encoded body (this client does not \
                 ask for compression)"
            ),
            (None, Some(kind)) => write!(f, "expected an event stream, got content-type {kind}"),
            (None, None) => f.write_str("expected an event stream"),
        }
    }
}

impl std::error::Error for NotAStream {}
