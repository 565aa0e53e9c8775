//! Where requests go and how they authenticate.

use std::fmt;

/// A value that must never be shown: `Debug` and `Display` print `<redacted>`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, to put on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The server and credentials: base URL, API key, organization, project, Astra's token, and
/// any extra headers (their values are treated as secrets) and query parameters.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Base URL, ending in `/v1` (default `https://api.openai.com/v1`).
    pub base_url: String,
    /// `Authorization: Bearer <key>` when set.
    authorization: Option<Secret>,
    /// Extra headers, in order.
    headers: Vec<(String, Secret)>,
    /// Extra query parameters on every call (such as Azure's `api-version`).
    pub query: Vec<(String, String)>,
}

impl Config {
    /// The default base URL.
    pub const DEFAULT_BASE_URL: &'static str = "https://api.openai.com/v1";

    /// A config for this API key at the default base URL.
    pub fn new(api_key: impl Into<String>) -> Self {
        Config {
            base_url: Self::DEFAULT_BASE_URL.into(),
            authorization: None,
            headers: Vec::new(),
            query: Vec::new(),
        }
        .api_key(api_key)
    }

    /// From the environment: `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`,
    /// `OPENAI_PROJECT_ID`, and `ASTRA_DB_APPLICATION_TOKEN` (sent as `astra-api-token`).
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`from_env`](Config::from_env), reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let mut config = Config::new(lookup("OPENAI_API_KEY").unwrap_or_default());
        if let Some(url) = lookup("OPENAI_BASE_URL").filter(|u| !u.is_empty()) {
            config.base_url = url;
        }
        if let Some(org) = lookup("OPENAI_ORG_ID").filter(|v| !v.is_empty()) {
            config = config.header("OpenAI-Organization", org);
        }
        if let Some(project) = lookup("OPENAI_PROJECT_ID").filter(|v| !v.is_empty()) {
            config = config.header("OpenAI-Project", project);
        }
        if let Some(token) = lookup("ASTRA_DB_APPLICATION_TOKEN").filter(|v| !v.is_empty()) {
            config = config.header("astra-api-token", token);
        }
        config
    }

    /// Replaces the API key (empty: no `Authorization` header), keeping every other setting,
    /// e.g. the organization and project headers read by [`from_env`](Config::from_env).
    #[must_use]
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        let key: String = api_key.into();
        self.authorization = (!key.is_empty()).then(|| Secret::new(format!("Bearer {key}")));
        self
    }

    /// Sets the base URL (any OpenAI-compatible server).
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Adds a header to every call (e.g. `astra-api-token`, `LLM-PARAM-api-key`, Azure's
    /// `api-key`). Its value is kept as a secret.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), Secret::new(value)));
        self
    }

    /// Adds a query parameter to every call (e.g. Azure's `api-version`).
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The authentication and extra headers, with their secret values exposed for the wire.
    pub(crate) fn auth_headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.authorization
            .iter()
            .map(|a| ("Authorization", a.expose()))
            .chain(self.headers.iter().map(|(n, v)| (n.as_str(), v.expose())))
    }
}
