//! The API's error responses: the real status with `{"error": {message, type, param, code}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error answered the way the real service answers it.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    param: Option<&'static str>,
}

impl ApiError {
    pub(crate) fn invalid(message: impl Into<String>, param: Option<&'static str>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "invalid_request_error",
            message: message.into(),
            param,
        }
    }

    pub(crate) fn not_found(what: &str, id: &str) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            kind: "invalid_request_error",
            message: format!("No {what} found with id '{id}'."),
            param: None,
        }
    }

    pub(crate) fn unauthorized() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            kind: "invalid_request_error",
            message:
                "You didn't provide an API key. You need to provide your API key in an \
                      Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                    .into(),
            param: None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}: {}", self.status.as_u16(), self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {
            "message": self.message, "type": self.kind, "param": self.param, "code": null
        }});
        let mut response = (self.status, Json(body)).into_response();
        response.headers_mut().insert(
            "x-request-id",
            axum::http::HeaderValue::from_static("req_testserver"),
        );
        response
    }
}
