//! The loops as state machines, run with no sockets against a fake clock: a fixed instant
//! plus the durations the test chooses. Nothing here sleeps or reads the real time.

use std::time::{Duration, Instant};

use streaming_assistants_core::assistants::event::StreamEvent;
use streaming_assistants_core::assistants::types::Run;
use streaming_assistants_core::assistants::{AssistantsTools, LegacyFlow, LegacyStep};
use streaming_assistants_core::drive::{Failure, Retries, Retry, ToolLoop, ToolStep};
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

#[test]
fn tool_loop_reads_a_leg_skips_what_it_delivered_and_resumes_a_cut() {
    use streaming_assistants_core::drive::Verdict;
    use streaming_assistants_core::responses::ResponsesSession;
    let cut = Some(Verdict::Truncated { at: 9 });
    let mut tools = ToolLoop::new(ResponsesSession::resuming("resp_1", Some(1)));
    let ToolStep::Send(first) = tools.step() else {
        panic!("resume")
    };
    assert_eq!(
        first.query,
        [
            ("stream".into(), "true".into()),
            ("starting_after".into(), "1".into())
        ]
    );
    let mut leg = None;
    assert!(tools.sent(&mut leg, Ok::<_, &str>("leg 1")).is_none());
    assert_eq!(leg, Some("leg 1"));
    // Seen before the cut: skipped, the leg read on.
    assert_eq!(
        tools.read(&mut leg, Some(Ok::<_, &str>(numbered(1))), None),
        None
    );
    assert!(leg.is_some());
    let new = tools.read(&mut leg, Some(Ok::<_, &str>(numbered(2))), None);
    assert_eq!(new.unwrap().unwrap().sequence_number, Some(2));
    // An error inside a stream that goes on: handed over, the leg kept.
    assert_eq!(
        tools.read(&mut leg, Some(Err::<_, &str>("bad event")), None),
        Some(Err("bad event"))
    );
    assert!(leg.is_some());
    // Cut: resumed, so no error; the leg is dropped and the next request resumes after 2.
    assert_eq!(tools.read(&mut leg, Some(Err::<_, &str>("cut")), cut), None);
    assert!(leg.is_none());
    let ToolStep::Send(again) = tools.step() else {
        panic!("resume again")
    };
    assert_eq!(again.query[1], ("starting_after".into(), "2".into()));
    assert!(tools.sent(&mut leg, Ok::<_, &str>("leg 2")).is_none());
    assert_eq!(
        tools.read(&mut leg, None::<Result<_, &str>>, Some(Verdict::Clean)),
        None
    );
    assert!(leg.is_none());
    assert_eq!(tools.step(), ToolStep::Done);

    // With no resume left, the cut is the error, and the loop is over.
    let mut tools = ToolLoop::new(ResponsesSession::resuming("resp_1", None).resumes(0));
    assert!(matches!(tools.step(), ToolStep::Send(_)));
    let mut leg = Some("leg");
    assert_eq!(
        tools.read(&mut leg, Some(Err::<_, &str>("cut")), cut),
        Some(Err("cut"))
    );
    assert!(leg.is_none());
    assert_eq!(tools.step(), ToolStep::Done);

    // A request that fails ends the loop with its error.
    let mut tools = ToolLoop::new(AssistantsTools::new("thread_1", "asst_1"));
    assert!(matches!(tools.step(), ToolStep::Send(_)));
    let mut leg = None::<&str>;
    assert_eq!(tools.sent(&mut leg, Err("refused")), Some("refused"));
    assert_eq!(tools.step(), ToolStep::Done);
}

/// The resume budget counts only resumes that brought nothing new: a long response cut many
/// times, with new events each time, is resumed every time; three fruitless resumes in a row
/// give up.
#[test]
fn the_resume_budget_counts_only_resumes_that_brought_nothing() {
    use streaming_assistants_core::drive::{ToolSession, Verdict};
    use streaming_assistants_core::responses::ResponsesSession;
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
