//! Wire types: tolerant decoding, unknown values kept, round trips.

use serde_json::{json, Value};
use streaming_assistants_core::assistants::types::{
    ContentType, Message, Run, RunStatus, RunStep, StepDetailsType, ToolCallType,
};

/// Drops nulls, recursively: what a round trip may lose.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) {
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(encoded, without_nulls(value));
}

fn run_json() -> Value {
    json!({
        "id": "run_1", "object": "thread.run", "created_at": 1732500000,
        "thread_id": "thread_1", "assistant_id": "asst_1", "status": "requires_action",
        "required_action": {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}
        ]}},
        "last_error": null, "expires_at": 1732500600, "started_at": 1732500001,
        "cancelled_at": null, "failed_at": null, "completed_at": null,
        "incomplete_details": null, "model": "gpt-4o", "instructions": "Be brief.",
        "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}, "strict": false}}, {"type": "code_interpreter"}],
        "tool_resources": {}, "metadata": {"k": "v"}, "usage": null, "temperature": 1.0, "top_p": 1.0,
        "max_prompt_tokens": null, "max_completion_tokens": 1000,
        "truncation_strategy": {"type": "auto", "last_messages": null},
        "tool_choice": "auto", "parallel_tool_calls": true, "response_format": {"type": "json_object"}
    })
}

#[test]
fn run_round_trips_and_reads_pending_calls() {
    round_trip::<Run>(run_json());
    let run: Run = serde_json::from_value(run_json()).unwrap();
    assert_eq!(run.status, RunStatus::RequiresAction);
    assert_eq!(run.pending_tool_calls()[0].id, "call_1");
    assert_eq!(
        run.pending_tool_calls()[0]
            .function
            .as_ref()
            .unwrap()
            .name
            .as_deref(),
        Some("get_weather")
    );
}

#[test]
fn message_with_every_content_type_round_trips() {
    let message = json!({
        "id": "msg_1", "object": "thread.message", "created_at": 1, "thread_id": "thread_1",
        "status": "completed", "incomplete_details": null, "completed_at": 2, "incomplete_at": null,
        "role": "assistant", "assistant_id": "asst_1", "run_id": "run_1", "attachments": [], "metadata": {},
        "content": [
            {"type": "text", "text": {"value": "See 【4:0†doc】 and file.csv", "annotations": [
                {"type": "file_citation", "text": "【4:0†doc】", "start_index": 4, "end_index": 13, "file_citation": {"file_id": "file_1"}},
                {"type": "file_path", "text": "file.csv", "start_index": 18, "end_index": 26, "file_path": {"file_id": "file_2"}}
            ]}},
            {"type": "image_file", "image_file": {"file_id": "file_3", "detail": "auto"}},
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}},
            {"type": "refusal", "refusal": "I can't help with that."}
        ]
    });
    round_trip::<Message>(message.clone());
    let decoded: Message = serde_json::from_value(message).unwrap();
    let kinds: Vec<_> = decoded
        .content
        .iter()
        .map(|p| p.kind.clone().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            ContentType::Text,
            ContentType::ImageFile,
            ContentType::ImageUrl,
            ContentType::Refusal
        ]
    );
    assert_eq!(decoded.text(), "See 【4:0†doc】 and file.csv");
}

#[test]
fn run_step_with_every_tool_call_type_round_trips() {
    let step = json!({
        "id": "step_1", "object": "thread.run.step", "created_at": 1, "run_id": "run_1",
        "assistant_id": "asst_1", "thread_id": "thread_1", "type": "tool_calls", "status": "completed",
        "last_error": null, "expired_at": null, "cancelled_at": null, "failed_at": null, "completed_at": 3,
        "metadata": {}, "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
        "step_details": {"type": "tool_calls", "tool_calls": [
            {"id": "call_1", "type": "code_interpreter", "code_interpreter": {"input": "print(1)", "outputs": [
                {"type": "logs", "logs": "1\n"}, {"type": "image", "image": {"file_id": "file_9"}}
            ]}},
            {"id": "call_2", "type": "file_search", "file_search": {"ranking_options": {"ranker": "auto", "score_threshold": 0.0}, "results": []}},
            {"id": "call_3", "type": "function", "function": {"name": "f", "arguments": "{}", "output": "42"}}
        ]}
    });
    round_trip::<RunStep>(step.clone());
    let decoded: RunStep = serde_json::from_value(step).unwrap();
    let details = decoded.step_details.unwrap();
    assert_eq!(details.kind, Some(StepDetailsType::ToolCalls));
    let kinds: Vec<_> = details
        .tool_calls
        .unwrap()
        .iter()
        .map(|c| c.kind.clone().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            ToolCallType::CodeInterpreter,
            ToolCallType::FileSearch,
            ToolCallType::Function
        ]
    );
}

#[test]
fn unknown_values_decode_to_unknown_and_keep_their_json() {
    let run: Run = serde_json::from_value(json!({
        "id": "run_1", "status": "pondering", "brand_new_field": {"a": [1, 2]}
    }))
    .unwrap();
    assert_eq!(run.status, RunStatus::Unknown("pondering".into()));
    assert_eq!(run.extra["brand_new_field"], json!({"a": [1, 2]}));
    let message: Message = serde_json::from_value(json!({
        "id": "msg_1", "role": "assistant",
        "content": [{"type": "audio", "audio": {"transcript": "hi", "seconds": 3}}]
    }))
    .unwrap();
    let part = &message.content[0];
    assert_eq!(part.kind, Some(ContentType::Unknown("audio".into())));
    assert_eq!(
        part.extra["audio"],
        json!({"transcript": "hi", "seconds": 3})
    );
    // Written back as it came.
    assert_eq!(
        serde_json::to_value(part).unwrap(),
        json!({"type": "audio", "audio": {"transcript": "hi", "seconds": 3}})
    );
}

#[test]
fn astra_generating_status_is_known() {
    let run: Run = serde_json::from_value(json!({"id": "run_1", "status": "generating"})).unwrap();
    assert_eq!(run.status, RunStatus::Generating);
    assert!(!run.status.is_terminal());
}

#[test]
fn wrong_types_are_errors_not_panics() {
    let err =
        serde_json::from_str::<Run>(r#"{"id": "run_1", "created_at": "yesterday"}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    assert_eq!((err.line(), err.column()), (1, 41));
}

#[test]
fn merging_an_object_that_lacks_its_discriminants_keeps_them() {
    use streaming_assistants_core::assistants::types::merge::Merge;
    use streaming_assistants_core::assistants::types::{RunStep, RunStepStatus, RunStepType};
    let mut step: RunStep =
        serde_json::from_str(r#"{"id":"step_1","type":"tool_calls","status":"in_progress"}"#)
            .unwrap();
    let partial: RunStep = serde_json::from_str(r#"{"usage":{"total_tokens":3}}"#).unwrap();
    step.merge(&partial);
    assert_eq!(step.kind, RunStepType::ToolCalls);
    assert_eq!(step.status, RunStepStatus::InProgress);
    assert_eq!(step.id, "step_1");
}
