//! The client: sends the core's request descriptions over ureq, retrying where the core's
//! policy says it is safe.

use std::convert::Infallible;
use std::time::Instant;

use serde::de::DeserializeOwned;
use streaming_assistants_core::drive::{Failure, Retries, Single, StreamError, Timeouts};
use streaming_assistants_core::wire::protocol::{NotStreamed, Protocol};
use streaming_assistants_core::wire::{ApiError, Config, Method, NotAStream, Request};

use crate::error::{from_ureq, is_dropped};
use crate::pump::Pump;
use crate::{Error, EventStream};

/// An answer, its body unread.
pub(crate) type Answer = ureq::http::Response<ureq::Body>;

/// The largest non-streamed answer read (a `Response` with generated images runs to tens of
/// MB); past it, the call fails instead of holding more.
const MAX_JSON_BODY: u64 = 256 * 1024 * 1024;

/// The client: a connection pool and a [`Config`]. Every request is described by the core's
/// `request` module; this crate only sends it.
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    pub(crate) config: Config,
    pub(crate) retries: Retries,
    pub(crate) timeouts: Timeouts,
}

impl Client {
    /// A client with the default timeouts (10 s to connect, 60 s between reads). Returns a
    /// `Result` as the async client's does (which can fail to build its HTTP client); this one
    /// does not fail today.
    pub fn new(config: Config) -> Result<Self, Error> {
        Self::with_timeouts(config, Timeouts::default())
    }

    /// A client with these timeouts.
    pub fn with_timeouts(config: Config, timeouts: Timeouts) -> Result<Self, Error> {
        Self::with_http(config, timeouts, ureq::Agent::config_builder())
    }

    /// A client on ureq's agent `builder` (proxies, TLS, ...), with these timeouts. Its
    /// redirect policy, status handling, connect and per-read timeouts are replaced (a global
    /// or body timeout you set stays, and would cut long streams): redirects are never
    /// followed.
    pub fn with_http(
        config: Config,
        timeouts: Timeouts,
        builder: ureq::config::ConfigBuilder<ureq::typestate::AgentScope>,
    ) -> Result<Self, Error> {
        let agent = builder
            .http_status_as_error(false)
            // Redirects are not followed: the API does not redirect, and a redirect elsewhere
            // must not receive the key (in `Authorization` or any configured header).
            .max_redirects(0)
            .timeout_connect(Some(timeouts.connect))
            .timeout_per_read(Some(timeouts.idle))
            .build()
            .into();
        Ok(Client {
            agent,
            config,
            retries: Retries::default(),
            timeouts,
        })
    }

    /// How many times a safe request is retried (default 2; 0 disables retries).
    #[must_use]
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = Retries::new(retries);
        self
    }

    /// Sends a request and decodes its JSON answer.
    pub fn send<T: DeserializeOwned>(&self, request: &Request) -> Result<T, Error> {
        let mut pump =
            Pump::<Single<Infallible>, NotStreamed>::new(self, Single::new(request.clone()));
        pump.open()?;
        let Some(answer) = pump.take_answer() else {
            return Err(Error::Transport("no answer".into()));
        };
        // ureq's `read_to_string` stops at 10 MB and replaces invalid UTF-8: a response with
        // generated images can be larger, and bad bytes are a JSON error, as in async.
        let body = answer
            .into_body()
            .with_config()
            .limit(MAX_JSON_BODY)
            .read_to_vec()
            .map_err(from_ureq)?;
        serde_json::from_slice(&body).map_err(Error::Json)
    }

    /// Sends a streaming request; events of protocol `P` are read as they arrive.
    pub fn stream<P: Protocol>(&self, request: &Request) -> Result<EventStream<P>, Error> {
        EventStream::open(Pump::new(self, Single::new(request.clone())))
    }

    /// One attempt at `request`: the answer, or why it failed — with the [`Failure`] when
    /// sending again may mend it. A streaming call's answer must be an event stream.
    pub(crate) fn attempt<P: Protocol>(
        &self,
        request: &Request,
    ) -> Result<Answer, (Option<Failure>, Error)> {
        match self.call_once(request) {
            Ok(response) if response.status().is_success() => {
                if P::STREAMED {
                    NotAStream::check_headers(header(&response))
                        .map_err(|err| (None, Error::from(StreamError::from(err))))?;
                }
                Ok(response)
            }
            Ok(response) => {
                let failure = Failure::status(response.status().as_u16(), header(&response));
                Err((Some(failure), api_error(response)))
            }
            Err(err @ Error::Connect(_)) if is_refused(&err) => Err((Some(Failure::Refused), err)),
            // No answer came (a reset, a stale pooled connection): the core says whether this
            // request may be sent again.
            Err(err) if is_dropped(&err) => Err((Some(Failure::Dropped), err)),
            Err(err) => Err((None, err)),
        }
    }

    fn call_once(&self, request: &Request) -> Result<Answer, Error> {
        let url = request.url(&self.config);
        Ok(match request.method {
            Method::Get | Method::Delete => {
                let mut builder = if request.method == Method::Get {
                    self.agent.get(&url)
                } else {
                    self.agent.delete(&url)
                };
                for (name, value) in request.headers(&self.config) {
                    builder = builder.header(name, value);
                }
                builder.call().map_err(from_ureq)?
            }
            Method::Post => {
                let mut builder = self.agent.post(&url);
                for (name, value) in request.headers(&self.config) {
                    builder = builder.header(name, value);
                }
                match &request.body {
                    // Compact JSON, as the async client sends it (ureq's `send_json` pretty-prints).
                    Some(body) => builder.send(body.to_string()).map_err(from_ureq)?,
                    None => builder.send_empty().map_err(from_ureq)?,
                }
            }
        })
    }
}

/// Whether nothing of the request can have been sent: the connection was refused.
fn is_refused(err: &Error) -> bool {
    let Error::Connect(cause) = err else {
        return false;
    };
    cause
        .downcast_ref::<ureq::Error>()
        .is_some_and(|err| matches!(err, ureq::Error::ConnectionFailed))
        || cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|err| err.kind() == std::io::ErrorKind::ConnectionRefused)
}

/// The API's error: status, error object (or raw body), request id.
fn api_error(response: Answer) -> Error {
    let status = response.status().as_u16();
    let request_id = header(&response)("x-request-id").map(str::to_owned);
    let text = response
        .into_body()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    ApiError::from_response(status, request_id, text).into()
}

/// The answer's header `name`, if it is there and readable.
fn header<'a>(response: &'a Answer) -> impl Fn(&str) -> Option<&'a str> {
    |name| response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Blocks until `at` (the legacy flow's polls, retries' backoff).
pub(crate) fn sleep_until(at: Instant) {
    std::thread::sleep(at.saturating_duration_since(Instant::now()));
}
