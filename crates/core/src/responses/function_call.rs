//! A function call the model asks for in a Responses stream.

use serde_json::Value;

/// A `function_call` output item: what the user's function answers in the tool loop.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FunctionCall {
    /// The id the output goes back with (`function_call_output.call_id`).
    pub call_id: String,
    /// The function's name.
    pub name: String,
    /// Its arguments, as the JSON text the model wrote.
    pub arguments: String,
    /// The whole item, as sent.
    pub item: Value,
}

impl FunctionCall {
    /// The call an output item is, if it is a `function_call`.
    pub fn from_item(item: &Value) -> Option<FunctionCall> {
        if item.get("type")?.as_str()? != "function_call" {
            return None;
        }
        let text = |key: &str| {
            item.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        Some(FunctionCall {
            call_id: text("call_id"),
            name: text("name"),
            arguments: text("arguments"),
            item: item.clone(),
        })
    }

    /// The arguments parsed (strict tools write JSON); `None` when they are not JSON.
    pub fn parsed_arguments(&self) -> Option<Value> {
        serde_json::from_str(&self.arguments).ok()
    }
}
