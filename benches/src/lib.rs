//! Inputs shared by the benches: realistic Assistants API streams, built in memory.

use std::fmt::Write;

/// A realistic v2 run stream: the run, step and message preamble, `deltas`
/// `thread.message.delta` events of about 180 bytes each, then the completion events and
/// `done`, framed as the OpenAI service frames them (`event:` + `data:` + blank line).
pub fn assistants_stream(deltas: usize) -> Vec<u8> {
    let mut out = String::with_capacity(deltas * 190 + 4096);
    let run = r#"{"id":"run_abc123","object":"thread.run","created_at":1732500000,"thread_id":"thread_abc123","assistant_id":"asst_abc123","status":"STATUS","model":"gpt-4o","instructions":"Be brief.","tools":[],"metadata":{}}"#;
    for status in ["queued", "in_progress"] {
        let name = if status == "queued" {
            "created"
        } else {
            status
        };
        let _ = write!(
            out,
            "event: thread.run.{name}\ndata: {}\n\n",
            run.replace("STATUS", status)
        );
    }
    out.push_str("event: thread.message.created\ndata: {\"id\":\"msg_abc123\",\"object\":\"thread.message\",\"created_at\":1732500001,\"thread_id\":\"thread_abc123\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[],\"assistant_id\":\"asst_abc123\",\"run_id\":\"run_abc123\",\"attachments\":[],\"metadata\":{}}\n\n");
    let words = [
        "Hello",
        " world",
        ", streaming",
        " is",
        " fun",
        " and",
        " fast",
        ".",
    ];
    for i in 0..deltas {
        let word = words[i % words.len()];
        let _ = write!(
            out,
            "event: thread.message.delta\ndata: {{\"id\":\"msg_abc123\",\"object\":\"thread.message.delta\",\"delta\":{{\"content\":[{{\"index\":0,\"type\":\"text\",\"text\":{{\"value\":\"{word}\",\"annotations\":[]}}}}]}}}}\n\n"
        );
    }
    out.push_str("event: thread.message.completed\ndata: {\"id\":\"msg_abc123\",\"object\":\"thread.message\",\"status\":\"completed\"}\n\n");
    let _ = write!(
        out,
        "event: thread.run.completed\ndata: {}\n\n",
        run.replace("STATUS", "completed")
    );
    out.push_str("event: done\ndata: [DONE]\n\n");
    out.into_bytes()
}
