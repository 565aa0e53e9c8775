//! `run --schema FILE.json`: structured output from Chat Completions or Responses, on either
//! transport; the final parsed object printed as one JSON line.

use std::path::Path;
use std::process::ExitCode;

use serde_json::Value;
use streaming_assistants_sync::{Client, Config};

use crate::choice::{Api, Transport};

/// The format's name: the schema's `title`, else the file's stem (see `json::format_name`).
fn name(schema: &Value, path: &Path) -> String {
    let raw = schema
        .get("title")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default();
    streaming_assistants_core::json::format_name(&raw)
}

pub(crate) fn run(
    config: Config,
    api: Api,
    transport: Transport,
    model: &str,
    message: &str,
    tools: Option<Value>,
    path: &Path,
) -> Result<ExitCode, String> {
    let schema: Value = std::fs::read(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
        .and_then(|bytes| {
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: not JSON: {e}", path.display()))
        })?;
    let name = name(&schema, path);
    let parsed: Value = match (api, transport) {
        (Api::Chat, Transport::Sync) => {
            let request =
                crate::run_chat::request(model, message, tools).json_schema(&name, schema);
            let client = Client::new(config).map_err(|e| e.to_string())?;
            let stream = client
                .chat()
                .create_stream(&request)
                .map_err(|e| e.to_string())?;
            stream.into_parsed().map_err(|e| e.to_string())?
        }
        (Api::Responses, Transport::Sync) => {
            let request =
                crate::run_responses::request(model, message, tools).json_schema(&name, schema);
            let client = Client::new(config).map_err(|e| e.to_string())?;
            let stream = client
                .responses()
                .create_stream(&request)
                .map_err(|e| e.to_string())?;
            stream.into_parsed().map_err(|e| e.to_string())?
        }
        (_, Transport::Async) => {
            use streaming_assistants_async as client_async;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the runtime: {e}"))?;
            runtime.block_on(async {
                let client = client_async::Client::new(config).map_err(|e| e.to_string())?;
                if api == Api::Chat {
                    let request =
                        crate::run_chat::request(model, message, tools).json_schema(&name, schema);
                    let stream = client.chat().create_stream(&request).await;
                    let stream = stream.map_err(|e| e.to_string())?;
                    stream.into_parsed().await.map_err(|e| e.to_string())
                } else {
                    let request = crate::run_responses::request(model, message, tools)
                        .json_schema(&name, schema);
                    let stream = client.responses().create_stream(&request).await;
                    let stream = stream.map_err(|e| e.to_string())?;
                    stream.into_parsed().await.map_err(|e| e.to_string())
                }
            })?
        }
        (Api::Assistants, _) => return Err("--schema asks --api responses or chat".to_owned()),
    };
    println!("{parsed}");
    Ok(ExitCode::SUCCESS)
}
