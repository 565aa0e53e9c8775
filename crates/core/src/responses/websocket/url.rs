//! The WebSocket URL of the Responses API, from the HTTP base URL, as openai-python derives it.

use crate::wire::Config;

/// `{base}/responses` with `http`→`ws` and `https`→`wss` (a `ws://` or `wss://` base keeps its
/// scheme); the base's query, if any, is kept after the path.
///
/// ```
/// use streaming_assistants_core::responses::websocket::websocket_url;
///
/// assert_eq!(websocket_url("https://api.openai.com/v1"), "wss://api.openai.com/v1/responses");
/// assert_eq!(websocket_url("http://127.0.0.1:8080/v1/"), "ws://127.0.0.1:8080/v1/responses");
/// assert_eq!(websocket_url("wss://proxy/v1?key=a"), "wss://proxy/v1/responses?key=a");
/// ```
pub fn websocket_url(base_url: &str) -> String {
    let (scheme, rest) = match base_url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("https".to_owned(), base_url),
    };
    let scheme = match scheme.as_str() {
        "http" | "ws" => "ws",
        _ => "wss",
    };
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    let mut url = format!("{scheme}://{}/responses", path.trim_end_matches('/'));
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// The URL of the upgrade request for `config`: [`websocket_url`] of its base URL, with its
/// query parameters.
pub fn upgrade_url(config: &Config) -> String {
    let mut url = websocket_url(&config.base_url);
    crate::wire::request::append_query(&mut url, config.query.iter());
    url
}

/// The headers of the upgrade request for `config`, as HTTP calls send them:
/// `Authorization`, organization, project and every extra header. Values are secrets: never
/// log them.
pub fn upgrade_headers(config: &Config) -> impl Iterator<Item = (&str, &str)> {
    config.auth_headers()
}

#[cfg(test)]
mod tests {
    use super::websocket_url;

    #[test]
    fn schemes_map_as_the_sdk_maps_them() {
        assert_eq!(websocket_url("http://h/v1"), "ws://h/v1/responses");
        assert_eq!(websocket_url("HTTPS://h/v1"), "wss://h/v1/responses");
        assert_eq!(websocket_url("ws://h/v1"), "ws://h/v1/responses");
        assert_eq!(websocket_url("wss://h"), "wss://h/responses");
        assert_eq!(
            websocket_url("http://h/v1/?a=b&c"),
            "ws://h/v1/responses?a=b&c"
        );
    }
}
