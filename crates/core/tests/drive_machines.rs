//! The loops as state machines, run with no sockets against a fake clock: a fixed instant
//! plus the durations the test chooses. Nothing here sleeps or reads the real time.

use std::time::{Duration, Instant};

use streaming_assistants_core::assistants::event::StreamEvent;
use streaming_assistants_core::assistants::types::Run;
use streaming_assistants_core::assistants::Assistants;
use streaming_assistants_core::assistants::{AssistantsTools, LegacyFlow, LegacyStep};
use streaming_assistants_core::drive::{
    Error, Failure, Retries, Retry, Session, Single, Step, ToolLoop, ToolStep, Verdict,
};
use streaming_assistants_core::responses::{Responses, ResponsesSession};
use streaming_assistants_core::wire::{Method, Request};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn status(status: u16, retry_after: Option<Duration>) -> Failure {
    Failure::Status {
        status,
        retry_after,
    }
}

#[test]
fn retry_backs_off_doubling_from_half_a_second_then_gives_up() {
    let t0 = Instant::now();
    let read = Request::retrieve_run("thread_1", "run_1");
    let mut retry = Retry::new(&read, Retries::new(3));
    // Each failure is reported at its own (fake) instant; the wait counts from there.
    assert_eq!(retry.failed(status(500, None), t0), Some(t0 + ms(500)));
    assert_eq!(
        retry.failed(status(502, None), t0 + ms(600)),
        Some(t0 + ms(1600))
    );
    assert_eq!(
        retry.failed(Failure::Refused, t0 + ms(2000)),
        Some(t0 + ms(4000))
    );
    assert_eq!(retry.failed(status(503, None), t0 + ms(5000)), None);
    assert_eq!(retry.attempts(), 4);
}

#[test]
fn retry_honours_retry_after_capped_at_twenty_seconds() {
    let t0 = Instant::now();
    let read = Request::retrieve_run("thread_1", "run_1");
    let mut retry = Retry::new(&read, Retries::new(2));
    assert_eq!(
        retry.failed(status(429, Some(ms(20))), t0),
        Some(t0 + ms(20))
    );
    assert_eq!(
        retry.failed(status(429, Some(Duration::from_secs(3600))), t0),
        Some(t0 + Duration::from_secs(20))
    );
}

#[test]
fn retry_never_resends_a_post_the_server_may_have_received() {
    let t0 = Instant::now();
    let create = Request::run_assistant("thread_1", "asst_1", true);
    assert_eq!(create.method, Method::Post);
    assert_eq!(
        Retry::new(&create, Retries::new(2)).failed(status(503, None), t0),
        None
    );
    assert_eq!(
        Retry::new(&create, Retries::new(2)).failed(status(429, None), t0),
        None
    );
    // Refused: nothing was sent, so even a POST goes again.
    assert_eq!(
        Retry::new(&create, Retries::new(2)).failed(Failure::Refused, t0),
        Some(t0 + ms(500))
    );
    // Client errors are never retried.
    let read = Request::retrieve_run("thread_1", "run_1");
    assert_eq!(
        Retry::new(&read, Retries::new(2)).failed(status(404, None), t0),
        None
    );
    assert_eq!(
        Retry::new(&read, Retries::new(0)).failed(Failure::Refused, t0),
        None
    );
}

fn run(json: &str) -> Run {
    serde_json::from_str(json).unwrap()
}

#[test]
fn legacy_flow_creates_polls_on_the_clock_then_streams() {
    let t0 = Instant::now();
    let poll = ms(250);
    let mut flow = LegacyFlow::new("thread_1", "asst_1", poll);
    let LegacyStep::Send(create) = flow.step(t0) else {
        panic!("create first")
    };
    assert_eq!(
        (create.method, create.path.as_str()),
        (Method::Post, "/threads/thread_1/runs")
    );
    assert!(
        create.body.as_ref().unwrap().get("stream").is_none(),
        "not streamed"
    );
    assert_eq!(flow.run_id(), None);

    flow.run(&run(r#"{"id":"run_1","status":"queued"}"#), t0);
    assert_eq!(flow.run_id(), Some("run_1"));
    // Before the poll interval has passed, the machine says to wait until then.
    assert_eq!(flow.step(t0), LegacyStep::Wait(t0 + poll));
    assert_eq!(flow.step(t0 + ms(100)), LegacyStep::Wait(t0 + poll));
    let LegacyStep::Send(retrieve) = flow.step(t0 + poll) else {
        panic!("poll")
    };
    assert_eq!(
        (retrieve.method, retrieve.path.as_str()),
        (Method::Get, "/threads/thread_1/runs/run_1")
    );

    flow.run(
        &run(r#"{"id":"run_1","status":"in_progress"}"#),
        t0 + ms(300),
    );
    assert_eq!(flow.step(t0 + ms(300)), LegacyStep::Wait(t0 + ms(550)));
    assert!(matches!(flow.step(t0 + ms(550)), LegacyStep::Send(_)));

    flow.run(
        &run(r#"{"id":"run_1","status":"generating"}"#),
        t0 + ms(600),
    );
    let LegacyStep::Stream(stream) = flow.step(t0 + ms(600)) else {
        panic!("stream once generating")
    };
    assert_eq!(stream.path, "/threads/thread_1/messages");
    assert_eq!(
        stream.query,
        [
            ("limit".into(), "1".into()),
            ("stream".into(), "true".into())
        ]
    );
    assert!(!stream.beta, "Astra's legacy stream wants no beta header");
}

#[test]
fn legacy_flow_streams_at_once_when_the_run_has_already_ended() {
    let t0 = Instant::now();
    let mut flow = LegacyFlow::new("thread_1", "asst_1", ms(250));
    assert!(matches!(flow.step(t0), LegacyStep::Send(_)));
    flow.run(&run(r#"{"id":"run_1","status":"failed"}"#), t0);
    assert!(matches!(flow.step(t0), LegacyStep::Stream(_)));
}

fn event(name: &str, data: &str) -> StreamEvent {
    StreamEvent::decode(name, data, 0).unwrap()
}

const REQUIRES_ACTION: &str = r#"{"id":"run_1","status":"requires_action","required_action":{"type":"submit_tool_outputs","submit_tool_outputs":{"tool_calls":[{"id":"call_a","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"call_b","type":"function","function":{"name":"g","arguments":"{}"}}]}}}"#;

#[test]
fn tool_loop_streams_answers_and_streams_again_until_no_call_waits() {
    let mut tools = ToolLoop::new(AssistantsTools::new("thread_1", "asst_1"));
    let ToolStep::Send(first) = tools.step() else {
        panic!("first leg")
    };
    assert_eq!(first.path, "/threads/thread_1/runs");
    assert_eq!(first.body.as_ref().unwrap()["assistant_id"], "asst_1");
    assert!(first.stream);

    tools.event(&event(
        "thread.run.created",
        r#"{"id":"run_1","status":"queued"}"#,
    ));
    tools.event(&event("thread.run.requires_action", REQUIRES_ACTION));
    tools.leg_ended();
    let ToolStep::Answer(calls) = tools.step() else {
        panic!("ask the user")
    };
    let ids: Vec<&str> = calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["call_a", "call_b"]);
    // Asked again before answering: still the same calls.
    assert!(matches!(tools.step(), ToolStep::Answer(c) if c.len() == 2));
    tools.answered(vec!["A".into(), "B".into()]);

    let ToolStep::Send(submit) = tools.step() else {
        panic!("second leg")
    };
    assert_eq!(
        submit.path,
        "/threads/thread_1/runs/run_1/submit_tool_outputs"
    );
    let body = submit.body.as_ref().unwrap();
    assert_eq!(body["tool_outputs"][0]["tool_call_id"], "call_a");
    assert_eq!(body["tool_outputs"][1]["output"], "B");
    assert_eq!(body["stream"], true);

    tools.event(&event(
        "thread.run.completed",
        r#"{"id":"run_1","status":"completed"}"#,
    ));
    tools.leg_ended();
    assert_eq!(tools.step(), ToolStep::Done);
    assert_eq!(tools.step(), ToolStep::Done);
}

#[test]
fn tool_loop_ends_after_a_failed_request() {
    let mut tools = ToolLoop::new(AssistantsTools::new("thread_1", "asst_1"));
    assert!(matches!(tools.step(), ToolStep::Send(_)));
    tools.failed();
    assert_eq!(tools.step(), ToolStep::Done);
}

/// A Responses event numbered `n`.
fn numbered(n: u64) -> streaming_assistants_core::responses::ResponseEvent {
    let data =
        format!(r#"{{"type":"response.output_text.delta","sequence_number":{n},"delta":"x"}}"#);
    streaming_assistants_core::responses::ResponseEvent::decode("", &data, 0).unwrap()
}

/// A Responses event numbered `n`, as SSE bytes.
fn numbered_sse(n: u64) -> Vec<u8> {
    format!(
        "event: response.output_text.delta\ndata: {{\"type\":\"response.output_text.delta\",\"sequence_number\":{n},\"delta\":\"x\"}}\n\n"
    )
    .into_bytes()
}

fn transport(message: &str) -> Error {
    Error::Transport(message.into())
}

/// The one session: bytes and answers in, steps out. A cut leg is resumed after the last event
/// delivered (those seen before are skipped); the resume's stale connection is sent again at
/// once, a 503 after a backoff on the passed-in clock; the terminal event ends it.
#[test]
fn session_reads_resumes_retries_and_ends() {
    let t0 = Instant::now();
    let mut session = Session::<_, Responses>::new(
        ResponsesSession::resuming("resp_1", Some(1)),
        Retries::default(),
    );
    let Step::Send(first) = session.poll(t0) else {
        panic!("resume")
    };
    assert_eq!(first.query[1], ("starting_after".into(), "1".into()));
    session.sent(Ok(()), t0);
    assert!(matches!(session.poll(t0), Step::Read));
    session.push(&numbered_sse(1));
    session.push(&numbered_sse(2));
    session.push(b"event: response.output_text.delta\ndata: {\"ty");
    // 1 was delivered before: skipped.
    let Step::Deliver(Ok(event)) = session.poll(t0) else {
        panic!("event 2")
    };
    assert_eq!(event.sequence_number, Some(2));
    assert!(matches!(session.poll(t0), Step::Read));
    // A reset mid-event: a cut the session resumes, so no error.
    session.fail(transport("reset"));
    assert_eq!(
        session.verdict(),
        Some(Verdict::Failed {
            at: 2 * numbered_sse(1).len() as u64
        })
    );
    let Step::Send(again) = session.poll(t0) else {
        panic!("resume again")
    };
    assert_eq!(again.query[1], ("starting_after".into(), "2".into()));
    // A stale pooled connection: a resume is a GET, sent again at once.
    session.sent(Err((Some(Failure::Dropped), transport("stale"))), t0);
    assert!(matches!(session.poll(t0), Step::Send(_)));
    let busy = Failure::Status {
        status: 503,
        retry_after: None,
    };
    session.sent(Err((Some(busy), transport("busy"))), t0);
    assert!(matches!(session.poll(t0), Step::Wait(at) if at == t0 + ms(1000)));
    assert!(matches!(session.poll(t0 + ms(1000)), Step::Send(_)));
    session.sent(Ok(()), t0 + ms(1000));
    session.push(b"event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":3,\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"output\":[]}}\n\n");
    assert!(matches!(session.poll(t0), Step::Deliver(Ok(_))));
    assert!(matches!(session.poll(t0), Step::Read));
    session.end();
    assert!(matches!(session.poll(t0), Step::Done));
    assert_eq!(session.verdict(), Some(Verdict::Clean));
}

/// A call that cannot be mended is delivered as the error, then the session is done; a cut
/// no session resumes is the error, with the offset.
#[test]
fn session_ends_with_a_failed_call_or_a_cut() {
    let t0 = Instant::now();
    let create = Request::run_assistant("thread_1", "asst_1", true);
    let mut session = Session::<_, Assistants>::new(Single::new(create), Retries::default());
    assert!(matches!(session.poll(t0), Step::Send(_)));
    // A create is never sent again after a drop: the server may have it.
    session.sent(Err((Some(Failure::Dropped), transport("reset"))), t0);
    assert!(matches!(
        session.poll(t0),
        Step::Deliver(Err(Error::Transport(_)))
    ));
    assert!(matches!(session.poll(t0), Step::Done));

    let read = Request::retrieve_run("thread_1", "run_1");
    let mut session = Session::<_, Assistants>::new(Single::new(read), Retries::default());
    assert!(matches!(session.poll(t0), Step::Send(_)));
    session.sent(Ok(()), t0);
    session.push(
        b"event: thread.run.created\ndata: {\"id\":\"run_1\"}\n\nevent: thread.run.in_progress\nda",
    );
    assert!(matches!(session.poll(t0), Step::Deliver(Ok(_))));
    assert!(matches!(session.poll(t0), Step::Read));
    session.end();
    let Step::Deliver(Err(err)) = session.poll(t0) else {
        panic!("the cut")
    };
    assert!(err.is_truncated(), "{err}");
    assert!(matches!(session.poll(t0), Step::Done));
}

/// A run that asks for outputs: the session asks the user, then sends them.
#[test]
fn session_asks_for_tool_outputs_and_sends_them() {
    let t0 = Instant::now();
    let mut session = Session::<_, Assistants>::new(
        AssistantsTools::new("thread_1", "asst_1"),
        Retries::default(),
    );
    assert!(matches!(session.poll(t0), Step::Send(r) if r.path == "/threads/thread_1/runs"));
    session.sent(Ok(()), t0);
    session.push(format!("event: thread.run.requires_action\ndata: {REQUIRES_ACTION}\n\nevent: done\ndata: [DONE]\n\n").as_bytes());
    assert!(matches!(session.poll(t0), Step::Deliver(Ok(_))));
    assert!(matches!(session.poll(t0), Step::Deliver(Ok(_))));
    assert!(matches!(session.poll(t0), Step::Read));
    session.end();
    let Step::Answer(calls) = session.poll(t0) else {
        panic!("ask the user")
    };
    assert_eq!(calls.len(), 2);
    // Asked again before answering: the same calls.
    assert!(matches!(session.poll(t0), Step::Answer(c) if c.len() == 2));
    session.answered(vec!["A".into(), "B".into()]);
    let Step::Send(submit) = session.poll(t0) else {
        panic!("submit")
    };
    assert_eq!(
        submit.path,
        "/threads/thread_1/runs/run_1/submit_tool_outputs"
    );
}

/// The resume budget counts only resumes that brought nothing new: a long response cut many
/// times, with new events each time, is resumed every time; three fruitless resumes in a row
/// give up.
#[test]
fn the_resume_budget_counts_only_resumes_that_brought_nothing() {
    use streaming_assistants_core::drive::ToolSession;
    let cut = Verdict::Truncated { at: 9 };
    let mut session = ResponsesSession::resuming("resp_1", None);
    for n in 0..10 {
        assert!(session.deliver(&numbered(n)));
        assert!(session.resume(cut).is_some(), "cut {n}");
    }
    // The tenth resume is the first to bring nothing; two more, then it gives up.
    assert!(session.resume(cut).is_some());
    assert!(session.resume(cut).is_some());
    assert!(session.resume(cut).is_none());
    assert_eq!(session.resumed(), 12);
}
