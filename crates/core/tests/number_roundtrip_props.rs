//! Numbers come out exactly as they came in: any finite double, written in its shortest form,
//! decodes into the core's types (an `f64` field, a field kept as a `serde_json::Value`) and
//! re-serializes to the same text. A number one unit in the last place off is a different
//! number from the one the server sent.

use proptest::prelude::*;
use serde_json::{json, Value};
use streaming_assistants_core::assistants::event::StreamEvent;

/// The `data` of the first event named `name` in a capture of `tests/streams/`.
fn data_of(capture: &str, name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/streams")
        .join(capture);
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line == format!("event: {name}") {
            let data = lines.next().unwrap().strip_prefix("data: ").unwrap();
            return serde_json::from_str(data).unwrap();
        }
    }
    panic!("no {name} in {capture}");
}

/// Any finite double, every bit pattern alike (not only "nice" decimals).
fn finite_f64() -> impl Strategy<Value = f64> {
    any::<u64>()
        .prop_map(f64::from_bits)
        .prop_filter("finite", |f| f.is_finite())
}

/// Decodes `data` as event `name` and re-serializes it.
fn through_the_core(name: &str, data: &Value) -> String {
    let event = StreamEvent::decode(name, &data.to_string(), 0).unwrap();
    serde_json::to_string(&event).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn a_value_re_serializes_every_double_as_received(x in finite_f64()) {
        let text = serde_json::to_string(&x).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(value.to_string(), text);
    }

    /// A `file_search` result's `score`, inside a step's tool call kept as a `Value`.
    #[test]
    fn a_file_search_score_re_serializes_as_received(x in finite_f64()) {
        let text = serde_json::to_string(&x).unwrap();
        let mut step = data_of("09-file-search.sse", "thread.run.step.completed");
        step["step_details"]["tool_calls"][0]["file_search"]["results"] =
            json!([{"file_id": "file_1", "file_name": "a.txt", "score": x}]);
        let out = through_the_core("thread.run.step.completed", &step);
        let expected = format!("\"score\":{text}}}");
        prop_assert!(out.contains(&expected), "{} not in {}", expected, out);
    }

    /// A run's `temperature`, a typed `f64` field.
    #[test]
    fn a_run_temperature_re_serializes_as_received(x in finite_f64()) {
        let text = serde_json::to_string(&x).unwrap();
        let mut run = data_of("09-file-search.sse", "thread.run.created");
        run["temperature"] = json!(x);
        let out = through_the_core("thread.run.created", &run);
        let expected = format!("\"temperature\":{text},");
        prop_assert!(out.contains(&expected), "{} not in {}", expected, out);
    }

    /// A Responses event (`response.completed` with a `file_search_call` result's `score`,
    /// and `temperature`), through the Responses decoder.
    #[test]
    fn a_responses_score_re_serializes_as_received(x in finite_f64()) {
        use streaming_assistants_core::responses::ResponseEvent;
        let text = serde_json::to_string(&x).unwrap();
        let data = json!({"type": "response.completed", "sequence_number": 9, "response": {
            "id": "resp_1", "object": "response", "status": "completed", "temperature": x,
            "output": [{"type": "file_search_call", "id": "fs_1", "status": "completed",
                "queries": ["q"], "results": [{"file_id": "file_1", "score": x}]}]}});
        let event = ResponseEvent::decode("response.completed", &data.to_string(), 0).unwrap();
        let out = serde_json::to_string(&event).unwrap();
        for expected in [format!("\"score\":{text}}}"), format!("\"temperature\":{text}")] {
            prop_assert!(out.contains(&expected), "{} not in {}", expected, out);
        }
    }

    /// A chat chunk's `logprob`, through the Chat decoder and both accumulators.
    #[test]
    fn a_chat_logprob_re_serializes_as_received(x in finite_f64()) {
        use streaming_assistants_core::chat::{Accumulator, ChatEvent, Rule};
        let text = serde_json::to_string(&x).unwrap();
        let data = json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 0, "delta": {"content": "a"}, "finish_reason": null,
                "logprobs": {"content": [{"token": "a", "logprob": x, "top_logprobs": []}]}}]});
        let ChatEvent::Chunk(chunk) = ChatEvent::decode("", &data.to_string(), 0).unwrap() else {
            panic!("a chunk");
        };
        let expected = format!("\"logprob\":{text}");
        let out = serde_json::to_string(&chunk).unwrap();
        prop_assert!(out.contains(&expected), "{} not in {}", expected, out);
        for rule in [Rule::Strict, Rule::Lenient] {
            let mut acc = Accumulator::new(rule);
            acc.apply_json(&data).unwrap();
            let out = acc.completion().unwrap().to_string();
            prop_assert!(out.contains(&expected), "{} not in {}", expected, out);
        }
    }
}

/// The double from the review: one unit in the last place off without exact parsing.
#[test]
fn the_reviewed_score_re_serializes_as_received() {
    let value: Value = serde_json::from_str("0.49572435065014675").unwrap();
    assert_eq!(value.to_string(), "0.49572435065014675");
}
