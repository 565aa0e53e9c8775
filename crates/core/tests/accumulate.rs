//! The accumulator, rule by rule (`docs/protocol.md`, "Accumulation"; the SDK's
//! `accumulate_delta`).

use serde_json::json;
use streaming_assistants_core::assistants::accumulate::{AccumulateError, Accumulator};
use streaming_assistants_core::assistants::event::StreamEvent;
use streaming_assistants_core::assistants::types::merge::Merge;
use streaming_assistants_core::assistants::types::{RunStatus, RunStepStatus};

fn apply(
    acc: &mut Accumulator,
    name: &str,
    data: serde_json::Value,
) -> Result<(), AccumulateError> {
    acc.apply(&StreamEvent::decode(name, &data.to_string(), 0).expect("decodes"))
}

fn message_created(acc: &mut Accumulator) {
    apply(
        acc,
        "thread.message.created",
        json!({"id": "msg_1", "role": "assistant", "content": [], "status": "in_progress"}),
    )
    .unwrap();
}

fn text_delta(acc: &mut Accumulator, index: i64, value: &str) {
    apply(acc, "thread.message.delta", json!({"id": "msg_1", "delta": {"content": [{"index": index, "type": "text", "text": {"value": value}}]}})).unwrap();
}

#[test]
fn text_deltas_concatenate_and_new_indexes_add_parts() {
    let mut acc = Accumulator::new();
    message_created(&mut acc);
    text_delta(&mut acc, 0, "Hel");
    text_delta(&mut acc, 0, "lo");
    text_delta(&mut acc, 1, " second");
    text_delta(&mut acc, 1, " part");
    let message = acc.message("msg_1").unwrap();
    assert_eq!(message.content.len(), 2);
    assert_eq!(
        message.content[0].text.as_ref().unwrap().value.as_deref(),
        Some("Hello")
    );
    assert_eq!(acc.text("msg_1").as_deref(), Some("Hello second part"));
}

#[test]
fn an_index_past_the_end_appends_like_python_insert() {
    let mut acc = Accumulator::new();
    message_created(&mut acc);
    text_delta(&mut acc, 5, "a");
    text_delta(&mut acc, 5, "b");
    // Position 5 does not exist: inserted at the end (0); the next delta for index 5 again
    // finds no entry at position 5 and is inserted too — what the SDK does.
    assert_eq!(acc.message("msg_1").unwrap().content.len(), 2);
}

#[test]
fn astra_new_index_per_delta_builds_one_part_per_delta() {
    let mut acc = Accumulator::new();
    message_created(&mut acc);
    for (i, piece) in ["The", " weather", " is", " fine"].iter().enumerate() {
        text_delta(&mut acc, i as i64, piece);
    }
    assert_eq!(acc.message("msg_1").unwrap().content.len(), 4);
    assert_eq!(acc.text("msg_1").as_deref(), Some("The weather is fine"));
}

#[test]
fn annotations_merge_by_index_strings_concatenate_numbers_add() {
    let mut acc = Accumulator::new();
    message_created(&mut acc);
    apply(&mut acc, "thread.message.delta", json!({"id": "msg_1", "delta": {"content": [{"index": 0, "type": "text", "text": {"value": "See 【0†a】", "annotations": [
        {"index": 0, "type": "file_citation", "text": "【0†", "start_index": 4, "end_index": 8, "file_citation": {"file_id": "file_1"}}
    ]}}]}})).unwrap();
    apply(&mut acc, "thread.message.delta", json!({"id": "msg_1", "delta": {"content": [{"index": 0, "type": "text", "text": {"annotations": [
        {"index": 0, "type": "file_citation", "text": "a】", "end_index": 2}
    ]}}]}})).unwrap();
    let text = acc.message("msg_1").unwrap().content[0]
        .text
        .clone()
        .unwrap();
    let annotation = &text.annotations.unwrap()[0];
    assert_eq!(annotation.text.as_deref(), Some("【0†a】"));
    assert_eq!(annotation.start_index, Some(4));
    assert_eq!(annotation.end_index, Some(10), "numbers add, as in the SDK");
    assert_eq!(
        annotation
            .file_citation
            .as_ref()
            .unwrap()
            .file_id
            .as_deref(),
        Some("file_1")
    );
}

#[test]
fn tool_call_arguments_concatenate_and_outputs_merge_by_index() {
    let mut acc = Accumulator::new();
    apply(&mut acc, "thread.run.step.created", json!({"id": "step_1", "type": "tool_calls", "status": "in_progress", "step_details": {"type": "tool_calls", "tool_calls": []}})).unwrap();
    for (call, piece) in [
        (0, "{\"ci"),
        (1, "{\"x\""),
        (0, "ty\":\"Paris\"}"),
        (1, ":1}"),
    ] {
        let mut delta =
            json!({"index": call, "type": "function", "function": {"arguments": piece}});
        if piece.starts_with('{') {
            delta["id"] = json!(format!("call_{call}"));
            delta["function"]["name"] = json!(format!("f{call}"));
        }
        apply(&mut acc, "thread.run.step.delta", json!({"id": "step_1", "delta": {"step_details": {"type": "tool_calls", "tool_calls": [delta]}}})).unwrap();
    }
    apply(&mut acc, "thread.run.step.delta", json!({"id": "step_1", "delta": {"step_details": {"type": "tool_calls", "tool_calls": [
        {"index": 2, "id": "call_2", "type": "code_interpreter", "code_interpreter": {"input": "print(", "outputs": []}}
    ]}}})).unwrap();
    apply(&mut acc, "thread.run.step.delta", json!({"id": "step_1", "delta": {"step_details": {"type": "tool_calls", "tool_calls": [
        {"index": 2, "type": "code_interpreter", "code_interpreter": {"input": "1)", "outputs": [{"index": 0, "type": "logs", "logs": "1"}, {"index": 0, "type": "logs", "logs": "\n"}]}}
    ]}}})).unwrap();
    let calls = acc.run_steps()[0]
        .step_details
        .clone()
        .unwrap()
        .tool_calls
        .unwrap();
    let function = |i: usize| calls[i].function.clone().unwrap();
    assert_eq!(
        function(0).arguments.as_deref(),
        Some("{\"city\":\"Paris\"}")
    );
    assert_eq!(function(1).arguments.as_deref(), Some("{\"x\":1}"));
    assert_eq!(function(1).name.as_deref(), Some("f1"));
    let code = calls[2].code_interpreter.clone().unwrap();
    assert_eq!(code.input.as_deref(), Some("print(1)"));
    let outputs = code.outputs.unwrap();
    assert_eq!(outputs.len(), 1);
    assert_eq!(outputs[0].logs.as_deref(), Some("1\n"));
}

#[test]
fn full_objects_replace_snapshots_including_step_completed() {
    let mut acc = Accumulator::new();
    apply(
        &mut acc,
        "thread.run.step.created",
        json!({"id": "step_1", "type": "message_creation", "status": "in_progress"}),
    )
    .unwrap();
    apply(&mut acc, "thread.run.step.completed", json!({"id": "step_1", "type": "message_creation", "status": "completed", "usage": {"total_tokens": 9}})).unwrap();
    assert_eq!(acc.run_steps().len(), 1);
    assert_eq!(acc.run_steps()[0].status, RunStepStatus::Completed);
    apply(
        &mut acc,
        "thread.run.created",
        json!({"id": "run_1", "status": "queued"}),
    )
    .unwrap();
    apply(
        &mut acc,
        "thread.run.completed",
        json!({"id": "run_1", "status": "completed"}),
    )
    .unwrap();
    assert_eq!(acc.run().unwrap().status, RunStatus::Completed);
    message_created(&mut acc);
    text_delta(&mut acc, 0, "partial");
    apply(&mut acc, "thread.message.completed", json!({"id": "msg_1", "role": "assistant", "status": "completed", "content": [{"type": "text", "text": {"value": "final", "annotations": []}}]})).unwrap();
    assert_eq!(acc.text("msg_1").as_deref(), Some("final"));
}

#[test]
fn deltas_for_objects_never_created_are_reported_not_panics() {
    let mut acc = Accumulator::new();
    let err = apply(
        &mut acc,
        "thread.message.delta",
        json!({"id": "msg_ghost", "delta": {"content": []}}),
    )
    .unwrap_err();
    assert_eq!(
        err,
        AccumulateError::UnknownMessage {
            id: "msg_ghost".into()
        }
    );
    let err = apply(
        &mut acc,
        "thread.run.step.delta",
        json!({"id": "step_ghost", "delta": {}}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "delta for run step step_ghost, which the stream never created"
    );
    assert!(acc.messages().is_empty() && acc.run_steps().is_empty());
}

#[test]
fn pending_tool_calls_come_from_the_run() {
    let mut acc = Accumulator::new();
    apply(&mut acc, "thread.run.requires_action", json!({"id": "run_1", "status": "requires_action", "required_action": {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": [
        {"id": "call_a", "type": "function", "function": {"name": "a", "arguments": "{}"}},
        {"id": "call_b", "type": "function", "function": {"name": "b", "arguments": "{}"}}
    ]}}})).unwrap();
    let ids: Vec<_> = acc
        .pending_tool_calls()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["call_a", "call_b"]);
}

#[test]
fn generic_json_merges_by_the_same_rules() {
    let mut acc = json!({"s": "a", "n": 1, "o": {"k": "x"}, "l": [1], "objs": [{"index": 0, "v": "a"}], "idx": 3, "type": "t"});
    acc.merge(&json!({"s": "b", "n": 2, "o": {"k": "y", "new": true}, "l": [2], "objs": [{"index": 0, "v": "b"}, {"index": 1, "v": "c"}], "idx": 4, "type": "u", "absent": [{"index": 0, "a": "1"}, {"index": 0, "a": "2"}]}));
    assert_eq!(
        acc,
        json!({"s": "ab", "n": 3, "o": {"k": "xy", "new": true}, "l": [1, 2], "objs": [{"index": 0, "v": "ab"}, {"index": 1, "v": "c"}], "idx": 7, "type": "u", "absent": [{"index": 0, "a": "12"}]})
    );
}
