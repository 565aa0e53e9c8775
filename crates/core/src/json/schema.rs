//! A structured-output schema from a Rust type (the `schemars` feature), made strict as the
//! API's strict mode wants it: every object closed (`additionalProperties: false`) with every
//! property required (an `Option` field stays nullable).

use serde_json::Value;

/// The format's name (the type's schema title, in the characters the API accepts) and its
/// strict schema.
///
/// ```
/// # #[cfg(feature = "schemars")] {
/// #[derive(schemars::JsonSchema)]
/// struct Weather {
///     city: String,
///     celsius: Option<f64>,
/// }
/// let (name, schema) = streaming_assistants_core::json::strict_schema_for::<Weather>();
/// assert_eq!(name, "Weather");
/// assert_eq!(schema["additionalProperties"], false);
/// assert_eq!(schema["required"], serde_json::json!(["celsius", "city"]));
/// # }
/// ```
pub fn strict_schema_for<T: schemars::JsonSchema>() -> (String, Value) {
    let mut schema: Value = schemars::schema_for!(T).into();
    if let Value::Object(map) = &mut schema {
        map.remove("$schema");
    }
    let name = super::format_name(
        schema
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    );
    make_strict(&mut schema);
    (name, schema)
}

/// Closes every object schema and requires all its properties, recursively.
fn make_strict(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                let mut required: Vec<Value> =
                    properties.keys().cloned().map(Value::String).collect();
                required.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                map.insert("required".into(), Value::Array(required));
                map.entry("additionalProperties")
                    .or_insert(Value::Bool(false));
            }
            for value in map.values_mut() {
                make_strict(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(make_strict),
        _ => {}
    }
}
