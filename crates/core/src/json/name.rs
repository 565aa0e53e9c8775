//! A structured-output format's name, as the API accepts it.

/// `raw` in the characters a `json_schema` format's name may have (letters, digits, `_`,
/// `-`; others become `_`), at most 64 of them; `answer` when nothing is left.
///
/// ```
/// use streaming_assistants_core::json::format_name;
///
/// assert_eq!(format_name("Weather report"), "Weather_report");
/// assert_eq!(format_name(""), "answer");
/// ```
pub fn format_name(raw: &str) -> String {
    let name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if name.is_empty() {
        "answer".to_owned()
    } else {
        name
    }
}
