//! The client: sends the core's request descriptions over reqwest, retrying where the core's
//! policy says it is safe.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use serde::de::DeserializeOwned;
use streaming_assistants_core::drive::{Failure, Retries, Single, StreamError, Timeouts};
use streaming_assistants_core::wire::protocol::{NotStreamed, Protocol};
use streaming_assistants_core::wire::{ApiError, Config, Method, NotAStream, Request};

use crate::body::Body;
use crate::error::{from_reqwest, is_dropped};
use crate::pump::Pump;
use crate::{Error, EventStream};

/// The largest non-streamed answer read (a `Response` with generated images runs to tens of
/// MB); past it, the call fails instead of holding more.
const MAX_JSON_BODY: usize = 256 * 1024 * 1024;

/// How one attempt went: the answer, or the failure (when sending again may mend it) and the
/// error.
pub(crate) type Outcome = Result<reqwest::Response, (Option<Failure>, Error)>;

/// One attempt in flight.
pub(crate) type Attempt = Pin<Box<dyn Future<Output = Outcome> + Send>>;

/// The client: a connection pool and a [`Config`]. Every request is described by the core's
/// `request` module; this crate only sends it. Cloning it is cheap and shares the pool.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    pub(crate) config: Config,
    pub(crate) retries: Retries,
    pub(crate) idle: std::time::Duration,
    pub(crate) connect: std::time::Duration,
}

impl Client {
    /// A client with the default timeouts (10 s to connect, 60 s between reads). Fails only if
    /// the HTTP client cannot be built (no TLS backend, say).
    pub fn new(config: Config) -> Result<Self, Error> {
        Self::with_timeouts(config, Timeouts::default())
    }

    /// A client with these timeouts.
    pub fn with_timeouts(config: Config, timeouts: Timeouts) -> Result<Self, Error> {
        Self::with_http(config, timeouts, reqwest::Client::builder())
    }

    /// A client on reqwest's `builder` (proxies, certificates, ...), with these timeouts. Its
    /// redirect policy and connect timeout are replaced: redirects are never followed. A
    /// builder that fails is an error, never a silent fallback to a default client (which
    /// would follow redirects and have no connect timeout).
    pub fn with_http(
        config: Config,
        timeouts: Timeouts,
        builder: reqwest::ClientBuilder,
    ) -> Result<Self, Error> {
        let http = builder
            .connect_timeout(timeouts.connect)
            // Redirects are not followed: the API does not redirect, and a redirect elsewhere
            // must not receive the key (in `Authorization` or any configured header).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| Error::Transport(Box::new(err)))?;
        Ok(Client {
            http,
            config,
            retries: Retries::default(),
            idle: timeouts.idle,
            connect: timeouts.connect,
        })
    }

    /// How many times a safe request is retried (default 2; 0 disables retries).
    #[must_use]
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = Retries::new(retries);
        self
    }

    /// Sends a request and decodes its JSON answer (read up to 256 MiB, each read bounded by
    /// the idle timeout).
    pub async fn send<T: DeserializeOwned>(&self, request: &Request) -> Result<T, Error> {
        let mut pump =
            Pump::<Single<Infallible>, NotStreamed>::new(self, Single::new(request.clone()));
        pump.open().await?;
        let Some(answer) = pump.take_answer() else {
            return Err(Error::Transport("no answer".into()));
        };
        let mut body = Body::new(answer, self.idle);
        let mut bytes = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| body.as_mut().poll_chunk(cx)).await {
            bytes.extend_from_slice(&chunk?);
            if bytes.len() > MAX_JSON_BODY {
                return Err(Error::Transport(
                    format!("the answer is larger than {MAX_JSON_BODY} bytes").into(),
                ));
            }
        }
        serde_json::from_slice(&bytes).map_err(Error::Json)
    }

    /// Sends a streaming request; events of protocol `P` are decoded as they arrive.
    pub async fn stream<P: Protocol>(&self, request: &Request) -> Result<EventStream<P>, Error> {
        EventStream::open(Pump::new(self, Single::new(request.clone()))).await
    }

    /// One attempt at `request`, as a future that owns what it needs: the answer, or why it
    /// failed — with the [`Failure`] when sending again may mend it. A streaming call's answer
    /// must be an event stream. Waiting for the answer's head is bounded by the idle timeout.
    pub(crate) fn attempt<P: Protocol>(&self, request: &Request) -> Attempt {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, request.url(&self.config));
        for (name, value) in request.headers(&self.config) {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.to_string());
        }
        let idle = self.idle;
        Box::pin(async move {
            let response = match tokio::time::timeout(idle, builder.send()).await {
                Ok(Ok(response)) => response,
                Ok(Err(err)) => {
                    let err = from_reqwest(err);
                    return Err(if is_refused(&err) {
                        (Some(Failure::Refused), err)
                    } else if is_dropped(&err) {
                        // No answer came (a reset, a stale pooled connection): the core says
                        // whether this request may be sent again.
                        (Some(Failure::Dropped), err)
                    } else {
                        (None, err)
                    });
                }
                Err(_) => return Err((None, Error::Timeout(None))),
            };
            if !response.status().is_success() {
                let failure = Failure::status(response.status().as_u16(), header(&response));
                return Err((Some(failure), api_error(response, idle).await));
            }
            if P::STREAMED {
                NotAStream::check_headers(header(&response))
                    .map_err(|err| (None, Error::from(StreamError::from(err))))?;
            }
            Ok(response)
        })
    }
}

/// The API's error: status, error object (or raw body), request id.
/// The body is read up to 1 MiB, each read bounded by the idle timeout, as the sync client
/// reads it: an error page can neither hang the call nor fill memory.
async fn api_error(mut response: reqwest::Response, idle: std::time::Duration) -> Error {
    const LIMIT: usize = 1024 * 1024;
    let status = response.status().as_u16();
    let request_id = header(&response)("x-request-id").map(str::to_owned);
    let mut body = Vec::new();
    while body.len() < LIMIT {
        match tokio::time::timeout(idle, response.chunk()).await {
            Ok(Ok(Some(chunk))) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(LIMIT);
    let text = String::from_utf8_lossy(&body).into_owned();
    ApiError::from_response(status, request_id, text).into()
}

/// Whether the connection was refused (nothing of the request was sent), as the sync client
/// tells it — not a DNS, TLS or timeout failure, which are not retried.
fn is_refused(err: &Error) -> bool {
    let Error::Connect(cause) = err else {
        return false;
    };
    let mut source = cause.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        source = cause.source();
    }
    false
}

/// The answer's header `name`, if it is there and readable.
fn header<'a>(response: &'a reqwest::Response) -> impl Fn(&str) -> Option<&'a str> {
    |name| response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Waits until `at` (the legacy flow's polls, retries' backoff).
pub(crate) async fn sleep_until(at: Instant) {
    tokio::time::sleep_until(at.into()).await;
}
