//! The error object every API sends: in an error answer's body and in an `error` event.

wire_object! {
    /// The API's error object: the `error` of an HTTP error body, or the data of an `error`
    /// stream event.
    pub struct ErrorObject (append) {
        required {}
        optional {
            /// Human-readable description.
            message: String,
            /// e.g. `invalid_request_error`, `server_error`.
            kind as "type": String,
            /// The offending parameter, if any.
            param: String,
            /// A machine-readable code, if any.
            code: String,
        }
    }
}
