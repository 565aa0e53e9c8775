//! An error answer from the API, as both transports report it.

use std::fmt;

use crate::wire::ErrorObject;

/// A non-2xx answer: the status, the API's error object (or the raw body when it was not the
/// usual `{"error": {...}}`, e.g. an HTML page or Astra's `{"detail": ...}`), and the request id.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The API's error object, when the body had one.
    pub error: Option<ErrorObject>,
    /// The raw body, when it did not.
    pub body: Option<String>,
    /// The `x-request-id` header.
    pub request_id: Option<String>,
}

impl ApiError {
    /// Reads an error answer from its status, `x-request-id` and body text.
    pub fn from_response(status: u16, request_id: Option<String>, body: String) -> Self {
        #[derive(serde::Deserialize)]
        struct Wrapped {
            error: ErrorObject,
        }
        match serde_json::from_str::<Wrapped>(&body) {
            Ok(wrapped) => ApiError {
                status,
                error: Some(wrapped.error),
                body: None,
                request_id,
            },
            Err(_) => ApiError {
                status,
                error: None,
                body: Some(body),
                request_id,
            },
        }
    }

    /// The error object's `code` (`invalid_api_key`, `rate_limit_exceeded`, ...).
    pub fn code(&self) -> Option<&str> {
        self.error.as_ref()?.code.as_deref()
    }

    /// The error object's `message`.
    pub fn message(&self) -> Option<&str> {
        self.error.as_ref()?.message.as_deref()
    }

    /// The error object's `type` (`invalid_request_error`, `server_error`, ...).
    pub fn kind(&self) -> Option<&str> {
        self.error.as_ref()?.kind.as_deref()
    }

    /// The error object's `param`: the request's offending parameter.
    pub fn param(&self) -> Option<&str> {
        self.error.as_ref()?.param.as_deref()
    }

    /// Whether repeating the request may succeed (429 and 5xx).
    pub fn is_retryable_status(status: u16) -> bool {
        status == 429 || (500..600).contains(&status)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(message) = self.error.as_ref().and_then(|e| e.message.as_deref()) {
            write!(f, ": {message}")?;
        } else if let Some(body) = &self.body {
            write!(f, ": {}", body.chars().take(300).collect::<String>())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
