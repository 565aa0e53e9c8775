//! The loopback scenarios every transport must pass, as one table of data for all three APIs:
//! each transport's runner (`crates/sync/tests/scenarios.rs`, `crates/async/tests/scenarios.rs`)
//! plays each scenario against a fresh server through the client's public surface only and
//! reports an [`Outcome`], which must equal the expected one. Adding a row tests both
//! transports.

use serde_json::{json, Value};
use streaming_assistants_core::assistants::types::RunStatus;
use streaming_assistants_core::chat::{ChatCompletion, ChatEvent};
use streaming_assistants_core::drive::{Error, StreamError, Verdict};
use streaming_assistants_core::responses::{Response, ResponseEvent};

use crate::{CodeScript, Cut, Delivery, Dialect, RunEnd, RunScript, Script};

/// The user message every scenario's thread starts with.
pub const USER_MESSAGE: &str = "Weather in Paris?";

/// Which API a scenario speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// Assistants: an assistant with the row's tools, a thread with [`USER_MESSAGE`], a run.
    Assistants,
    /// Responses: a response to [`USER_MESSAGE`] with the row's tools.
    Responses,
    /// Chat Completions: a completion of [`USER_MESSAGE`] with the row's tools.
    Chat,
}

/// What the client does (for Assistants, after creating the assistant, a thread and its user
/// message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    /// Responses and Chat: stream to the typed result (`into_response`, `into_completion`).
    Final,
    /// Responses and Chat: the non-streamed create, a typed result.
    Create,
    /// Responses: retrieve a response that does not exist.
    MissingResponse,
    /// Create a run and stream it.
    Stream,
    /// Create a thread and a run in one streamed call (`thread.created` first).
    ThreadAndRun,
    /// The tool loop, answering every call with this output.
    Tools(&'static str),
    /// Astra's legacy flow: a run polled until `generating`, then the message stream.
    Legacy,
    /// Stream a run on a thread that does not exist.
    MissingThread,
}

/// How a call or a stream item failed, whatever the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with this error status.
    Api(u16),
    /// `event: error` mid-stream.
    Stream,
    /// The body ended before the stream was over.
    Truncated,
    /// An event could not be decoded.
    Decode,
    /// The answer to a streaming call was not an event stream.
    NotAStream,
    /// No byte arrived for longer than the idle timeout.
    Timeout,
    /// No connection could be made.
    Connect,
    /// The connection failed before an answer.
    Transport,
}

impl Failure {
    /// The kind of an error, whichever transport carried it (both return the core's
    /// [`Error`], and its predicates decide).
    pub fn of(err: &Error) -> Self {
        if let Some(status) = err.status() {
            return Failure::Api(status);
        }
        match err {
            _ if err.is_truncated() => Failure::Truncated,
            _ if err.is_timeout() => Failure::Timeout,
            _ if err.is_connect() => Failure::Connect,
            Error::Stream(StreamError::ErrorEvent(_)) => Failure::Stream,
            Error::Stream(StreamError::NotAStream(_)) => Failure::NotAStream,
            Error::Stream(_) | Error::Json(_) => Failure::Decode,
            _ => Failure::Transport,
        }
    }
}

/// How a stream ended, as the core's [`Verdict`] says, without its byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// [`Verdict::Clean`].
    Clean,
    /// [`Verdict::Truncated`].
    Truncated,
    /// [`Verdict::Failed`].
    Failed,
}

impl From<Verdict> for Ended {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Clean => Ended::Clean,
            Verdict::Truncated { .. } => Ended::Truncated,
            Verdict::Failed { .. } => Ended::Failed,
        }
    }
}

/// What a runner saw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// The text of the reply, as streamed.
    pub text: String,
    /// The first and last event names (`None` for the legacy flow and for failed calls).
    pub first_event: Option<String>,
    /// See `first_event`.
    pub last_event: Option<String>,
    /// Each failed item, in order.
    pub failures: Vec<Failure>,
    /// The arguments of each tool call the tool loop answered, in order.
    pub tool_arguments: Vec<String>,
    /// The newest run's status afterwards (retrieved with `list_runs`).
    pub status: Option<RunStatus>,
    /// How the (last) stream ended, by the core's verdict; compared when expected.
    pub ended: Option<Ended>,
    /// Responses and Chat, [`Flow::Final`] and [`Flow::Create`]: the typed result as
    /// `"<status or finish_reason>: <text>"` (`Response::output_text`,
    /// `ChatCompletion::content`).
    pub result: Option<String>,
}

impl Outcome {
    /// An event arrived: its name, and its reply text.
    pub fn event(&mut self, name: &str, text: Option<&str>) {
        self.text.push_str(text.unwrap_or_default());
        if self.first_event.is_none() {
            self.first_event = Some(name.to_owned());
        }
        self.last_event = Some(name.to_owned());
    }

    /// An item or a call failed.
    pub fn fail(&mut self, err: &Error) {
        self.failures.push(Failure::of(err));
    }

    /// A Responses event.
    pub fn response_event(&mut self, item: Result<ResponseEvent, Error>) {
        match item {
            Ok(event) => self.event(event.kind.as_str(), event.output_text_delta()),
            Err(err) => self.fail(&err),
        }
    }

    /// A Chat Completions event (`chat.completion.chunk`, `[DONE]`, `error`).
    pub fn chat_event(&mut self, item: Result<ChatEvent, Error>) {
        match item {
            Ok(event) => {
                let name = match &event {
                    ChatEvent::Chunk(_) => "chat.completion.chunk",
                    ChatEvent::Done => "[DONE]",
                    _ => "error",
                };
                self.event(name, event.content());
            }
            Err(err) => self.fail(&err),
        }
    }

    /// A typed `Response`, as `"<status>: <output_text>"`.
    pub fn response(&mut self, result: Result<Response, Error>) {
        match result {
            Ok(response) => {
                let status = response.status().map_or("", |s| s.as_str());
                self.result = Some(format!("{status}: {}", response.output_text()));
            }
            Err(err) => self.fail(&err),
        }
    }

    /// A typed `ChatCompletion`, as `"<choice 0's finish_reason>: <its content>"`.
    pub fn completion(&mut self, result: Result<ChatCompletion, Error>) {
        match result {
            Ok(completion) => {
                let finish = completion.choice(0).and_then(|c| c.finish_reason.as_ref());
                let finish = finish.map_or("", |f| f.as_str());
                let content = completion.content().unwrap_or_default();
                self.result = Some(format!("{finish}: {content}"));
            }
            Err(err) => self.fail(&err),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its name, for failure messages.
    pub name: &'static str,
    /// The API it speaks.
    pub api: Api,
    /// The server's dialect.
    pub dialect: Dialect,
    /// The scripted model.
    pub script: Script,
    /// The assistant's `tools`.
    pub tools: Value,
    /// What the client does.
    pub flow: Flow,
    /// The client's idle timeout (default: the client's default).
    pub idle_timeout_ms: Option<u64>,
    /// What it must see.
    pub expected: Outcome,
}

fn outcome(
    text: &str,
    first: &str,
    last: &str,
    failures: &[Failure],
    status: RunStatus,
) -> Outcome {
    Outcome {
        text: text.to_owned(),
        first_event: Some(first.to_owned()).filter(|s| !s.is_empty()),
        last_event: Some(last.to_owned()).filter(|s| !s.is_empty()),
        failures: failures.to_vec(),
        tool_arguments: Vec::new(),
        status: Some(status),
        ended: None,
        result: None,
    }
}

const REPLY: &str = "The forecast says sunny, 21°C today 【0†weather.txt】.";

/// The Responses and Chat reply after the tool loop's call is answered.
const TOOL_REPLY: &str = "The forecast says sunny, 21°C.";

/// Every scenario, in both dialects where the server speaks both.
pub fn all() -> Vec<Scenario> {
    let weather = json!([{"type": "function", "function": {"name": "get_weather"}}]);
    let one_byte = Delivery {
        chunk_size: Some(1),
        ..Delivery::default()
    };
    let cut = Delivery {
        disconnect_after: Some(2000),
        ..Delivery::default()
    };
    let mut rows = Vec::new();
    for dialect in [Dialect::OpenAi, Dialect::Astra] {
        // OpenAI ends with `done`; Astra sends none, so the terminal run event is last.
        let end = |openai: &'static str, astra: &'static str| match dialect {
            Dialect::Astra => astra,
            _ => openai,
        };
        let row = |name, script, tools: &Value, flow, expected| Scenario {
            name,
            api: Api::Assistants,
            dialect,
            script,
            tools: tools.clone(),
            flow,
            idle_timeout_ms: None,
            expected,
        };
        let none = json!([]);
        rows.extend([
            row(
                "text reply",
                Script::new().run(RunScript::text(["Hello", ", world", "!"])),
                &none,
                Flow::Stream,
                outcome(
                    "Hello, world!",
                    "thread.run.created",
                    end("done", "thread.run.completed"),
                    &[],
                    RunStatus::Completed,
                ),
            ),
            row(
                "text reply written byte by byte",
                Script::new().run(RunScript::text(["by", "te"]).delivered(one_byte.clone())),
                &none,
                Flow::Stream,
                outcome(
                    "byte",
                    "thread.run.created",
                    end("done", "thread.run.completed"),
                    &[],
                    RunStatus::Completed,
                ),
            ),
            row(
                "tool loop: call answered, reply streamed",
                Script::new(),
                &weather,
                Flow::Tools("sunny, 21°C"),
                Outcome {
                    tool_arguments: vec![r#"{"location": "Paris"}"#.into()],
                    ..outcome(
                        REPLY,
                        "thread.run.created",
                        end("done", "thread.run.completed"),
                        &[],
                        RunStatus::Completed,
                    )
                },
            ),
            row(
                "a run stops for tool outputs",
                Script::new(),
                &weather,
                Flow::Stream,
                outcome(
                    "",
                    "thread.run.created",
                    end("done", "thread.run.requires_action"),
                    &[],
                    RunStatus::RequiresAction,
                ),
            ),
            row(
                "code interpreter and file search steps, then text",
                Script::new().run(
                    RunScript::text(["Plotted."])
                        .with_code(CodeScript {
                            input: vec!["print(".into(), "1)".into()],
                            logs: Some("1\n".into()),
                            image_file: Some("file_plot".into()),
                        })
                        .with_file_search(),
                ),
                &none,
                Flow::Stream,
                outcome(
                    "Plotted.",
                    "thread.run.created",
                    end("done", "thread.run.completed"),
                    &[],
                    RunStatus::Completed,
                ),
            ),
            row(
                "thread and run in one call",
                Script::new().run(RunScript::text(["ok"])),
                &none,
                Flow::ThreadAndRun,
                outcome(
                    "ok",
                    "thread.created",
                    end("done", "thread.run.completed"),
                    &[],
                    RunStatus::Completed,
                ),
            ),
            row(
                "a failed run",
                Script::new().run(RunScript::text(["par"]).ending(RunEnd::Failed {
                    code: "server_error".into(),
                    message: "boom".into(),
                })),
                &none,
                Flow::Stream,
                outcome(
                    "par",
                    "thread.run.created",
                    end("done", "thread.run.failed"),
                    &[],
                    RunStatus::Failed,
                ),
            ),
            row(
                "an incomplete run",
                Script::new().run(RunScript::text(["lo", "ng"]).ending(RunEnd::Incomplete {
                    reason: "max_completion_tokens".into(),
                })),
                &none,
                Flow::Stream,
                outcome(
                    "long",
                    "thread.run.created",
                    end("done", "thread.run.incomplete"),
                    &[],
                    RunStatus::Incomplete,
                ),
            ),
            row(
                "a cancelled run",
                Script::new().run(RunScript::text(["ca"]).ending(RunEnd::Cancelled)),
                &none,
                Flow::Stream,
                outcome(
                    "ca",
                    "thread.run.created",
                    end("done", "thread.run.cancelled"),
                    &[],
                    RunStatus::Cancelled,
                ),
            ),
            row(
                "an expired run",
                Script::new().run(RunScript::text(["ex"]).ending(RunEnd::Expired)),
                &none,
                Flow::Stream,
                outcome(
                    "ex",
                    "thread.run.created",
                    end("done", "thread.run.expired"),
                    &[],
                    RunStatus::Expired,
                ),
            ),
            row(
                "event: error mid-stream, then the body ends",
                Script::new().run(RunScript::text(["so far"]).ending(RunEnd::ErrorEvent {
                    message: "overloaded".into(),
                })),
                &none,
                Flow::Stream,
                outcome(
                    "so far",
                    "thread.run.created",
                    "thread.message.delta",
                    match dialect {
                        // Astra sends no `error` event: its stream just stops.
                        Dialect::Astra => &[Failure::Truncated],
                        _ => &[Failure::Stream, Failure::Truncated],
                    },
                    RunStatus::InProgress,
                ),
            ),
            row(
                "the connection is cut mid-stream",
                Script::new().run(RunScript::text(["x"; 30]).delivered(cut.clone())),
                &none,
                Flow::Stream,
                Outcome {
                    status: None,
                    ..outcome(
                        "",
                        "thread.run.created",
                        "",
                        &[Failure::Truncated],
                        RunStatus::Completed,
                    )
                },
            ),
            Scenario {
                idle_timeout_ms: Some(300),
                ..row(
                    "a stalled stream ends with a timeout after what came",
                    Script::new().run(RunScript::text(["a", "b"]).delivered(Delivery {
                        pause_ms: Some(1500),
                        ..Delivery::default()
                    })),
                    &none,
                    Flow::Stream,
                    Outcome {
                        status: None,
                        ..outcome(
                            "",
                            "thread.run.created",
                            "thread.run.created",
                            &[Failure::Timeout],
                            RunStatus::Queued,
                        )
                    },
                )
            },
            // An I/O error (the connection dropped mid chunked body) at each place: only
            // after the protocol's end is it a clean end; the verdict is the core's.
            io_error_row(dialect, "an I/O error inside an event", Cut::InsideEvent(3)),
            io_error_row(dialect, "an I/O error between events", Cut::AfterEvents(3)),
            Scenario {
                name: "an I/O error after the end (`done`, or Astra's terminal run event)",
                api: Api::Assistants,
                dialect,
                script: Script::new().run(RunScript::text(["fine"]).delivered(Delivery {
                    cut: Some(Cut::AfterEnd),
                    ..Delivery::default()
                })),
                tools: json!([]),
                flow: Flow::Stream,
                idle_timeout_ms: None,
                expected: Outcome {
                    ended: Some(Ended::Clean),
                    ..outcome(
                        "fine",
                        "thread.run.created",
                        end("done", "thread.run.completed"),
                        &[],
                        RunStatus::Completed,
                    )
                },
            },
            row(
                "a missing thread is a 404 with the API's error",
                Script::new(),
                &none,
                Flow::MissingThread,
                Outcome {
                    failures: vec![Failure::Api(404)],
                    ..Outcome::default()
                },
            ),
        ]);
    }
    rows.extend([
        Scenario {
            name: "Astra legacy flow",
            api: Api::Assistants,
            dialect: Dialect::Astra,
            script: Script::new().run(RunScript::text(["Legacy", " text", " arrives."])),
            tools: json!([]),
            flow: Flow::Legacy,
            idle_timeout_ms: None,
            expected: outcome("Legacy text arrives.", "", "", &[], RunStatus::Completed),
        },
        Scenario {
            name: "Astra legacy flow, written byte by byte",
            api: Api::Assistants,
            dialect: Dialect::Astra,
            script: Script::new().run(RunScript::text(["one", " byte"]).delivered(one_byte)),
            tools: json!([]),
            flow: Flow::Legacy,
            idle_timeout_ms: None,
            expected: outcome("one byte", "", "", &[], RunStatus::Completed),
        },
        Scenario {
            name: "Astra legacy flow, failed run (`data: []`)",
            api: Api::Assistants,
            dialect: Dialect::Astra,
            script: Script::new().run(RunScript::text(["half"]).ending(RunEnd::Failed {
                code: "server_error".into(),
                message: "boom".into(),
            })),
            tools: json!([]),
            flow: Flow::Legacy,
            idle_timeout_ms: None,
            expected: outcome("half", "", "", &[Failure::Truncated], RunStatus::Failed),
        },
        Scenario {
            name: "Astra legacy flow, an I/O error after the last frame",
            api: Api::Assistants,
            dialect: Dialect::Astra,
            script: Script::new().run(RunScript::text(["all", " there"]).delivered(Delivery {
                cut: Some(Cut::AfterEnd),
                ..Delivery::default()
            })),
            tools: json!([]),
            flow: Flow::Legacy,
            idle_timeout_ms: None,
            // The legacy stream has no end marker: a connection that fails instead of closing
            // may have had more to say, so it is not a clean end.
            expected: Outcome {
                ended: Some(Ended::Failed),
                ..outcome(
                    "all there",
                    "",
                    "",
                    &[Failure::Truncated],
                    RunStatus::Completed,
                )
            },
        },
        Scenario {
            name: "Astra legacy flow, closed cleanly",
            api: Api::Assistants,
            dialect: Dialect::Astra,
            script: Script::new().run(RunScript::text(["bye"])),
            tools: json!([]),
            flow: Flow::Legacy,
            idle_timeout_ms: None,
            expected: Outcome {
                ended: Some(Ended::Clean),
                ..outcome("bye", "", "", &[], RunStatus::Completed)
            },
        },
    ]);
    rows.extend(responses_and_chat());
    rows
}

/// The Responses and Chat rows: the same cases as Assistants' (a reply, byte by byte, the tool
/// loop, every way a stream is cut, a stall, an error mid-stream, a missing resource), plus
/// the typed results, streamed and not; Chat in every server's dialect.
fn responses_and_chat() -> Vec<Scenario> {
    let hello = || Script::new().run(RunScript::text(["Hello", ", world", "!"]));
    let delivered = |delivery: Delivery| {
        Script::new().run(RunScript::text(["a", "b", "c", "d", "e", "f"]).delivered(delivery))
    };
    let cut = |cut| Delivery {
        cut: Some(cut),
        ..Delivery::default()
    };
    let stalled = Delivery {
        pause_ms: Some(1500),
        ..Delivery::default()
    };
    let one_byte = Delivery {
        chunk_size: Some(1),
        ..Delivery::default()
    };
    let seen = |text: &str, first: &str, last: &str, failures: &[Failure]| Outcome {
        text: text.to_owned(),
        first_event: Some(first.to_owned()).filter(|s| !s.is_empty()),
        last_event: Some(last.to_owned()).filter(|s| !s.is_empty()),
        failures: failures.to_vec(),
        ..Outcome::default()
    };
    let result = |result: &str| Outcome {
        result: Some(result.to_owned()),
        ..Outcome::default()
    };
    let ended = |ended, outcome: Outcome| Outcome {
        ended: Some(ended),
        ..outcome
    };
    let mut rows = Vec::new();
    for api in [Api::Responses, Api::Chat] {
        let (first, last) = match api {
            Api::Responses => ("response.created", "response.completed"),
            _ => ("chat.completion.chunk", "[DONE]"),
        };
        let weather = match api {
            Api::Responses => json!([{"type": "function", "name": "get_weather"}]),
            _ => json!([{"type": "function", "function": {"name": "get_weather"}}]),
        };
        let row = |name, script, flow, expected| Scenario {
            name,
            api,
            dialect: Dialect::OpenAi,
            script,
            tools: json!([]),
            flow,
            idle_timeout_ms: None,
            expected,
        };
        let done = match api {
            Api::Responses => "completed",
            _ => "stop",
        };
        rows.extend([
            row(
                "text reply",
                hello(),
                Flow::Stream,
                seen("Hello, world!", first, last, &[]),
            ),
            row(
                "text reply written byte by byte",
                Script::new().run(RunScript::text(["by", "te"]).delivered(one_byte.clone())),
                Flow::Stream,
                seen("byte", first, last, &[]),
            ),
            row(
                "streamed to the typed result",
                hello(),
                Flow::Final,
                result(&format!("{done}: Hello, world!")),
            ),
            row(
                "the typed result, not streamed",
                hello(),
                Flow::Create,
                result(&format!("{done}: Hello, world!")),
            ),
            Scenario {
                tools: weather.clone(),
                ..row(
                    "tool loop: call answered, reply streamed",
                    Script::new(),
                    Flow::Tools("sunny, 21°C"),
                    Outcome {
                        tool_arguments: vec![r#"{"location": "Paris"}"#.into()],
                        ..seen(TOOL_REPLY, first, last, &[])
                    },
                )
            },
            row(
                "cut inside an event: truncated",
                delivered(cut(Cut::InsideEvent(3))),
                Flow::Stream,
                ended(Ended::Failed, seen("", first, "", &[Failure::Truncated])),
            ),
            row(
                "cut between events: truncated",
                delivered(cut(Cut::AfterEvents(3))),
                Flow::Stream,
                ended(Ended::Failed, seen("", first, "", &[Failure::Truncated])),
            ),
            row(
                "the body ends cleanly before the protocol's end: truncated",
                delivered(Delivery {
                    end_after: Some(3),
                    ..Delivery::default()
                }),
                Flow::Stream,
                ended(Ended::Truncated, seen("", first, "", &[Failure::Truncated])),
            ),
            row(
                "an error mid-stream",
                Script::new().run(RunScript::text(["so far"]).ending(RunEnd::ErrorEvent {
                    message: "overloaded".into(),
                })),
                Flow::Stream,
                match api {
                    // Responses' `error` event ends the stream; Chat's error payload does not,
                    // and no `[DONE]` follows it.
                    Api::Responses => {
                        ended(Ended::Clean, seen("so far", first, "", &[Failure::Stream]))
                    }
                    _ => ended(
                        Ended::Truncated,
                        seen("so far", first, "", &[Failure::Stream, Failure::Truncated]),
                    ),
                },
            ),
            row(
                "a cut stream's typed result: truncated",
                delivered(cut(Cut::InsideEvent(3))),
                Flow::Final,
                seen("", "", "", &[Failure::Truncated]),
            ),
            Scenario {
                idle_timeout_ms: Some(300),
                ..row(
                    "a stalled stream ends with a timeout after what came",
                    delivered(stalled.clone()),
                    Flow::Stream,
                    seen("", first, "", &[Failure::Timeout]),
                )
            },
        ]);
        if api == Api::Responses {
            rows.push(row(
                "a missing response: 404",
                hello(),
                Flow::MissingResponse,
                seen("", "", "", &[Failure::Api(404)]),
            ));
        }
    }
    for dialect in [
        Dialect::Azure,
        Dialect::Gemini,
        Dialect::Ollama,
        Dialect::Vllm,
        Dialect::LlamaCpp,
    ] {
        rows.push(Scenario {
            name: "chat tool loop in a server's dialect",
            api: Api::Chat,
            dialect,
            script: Script::new(),
            tools: json!([{"type": "function", "function": {"name": "get_weather"}}]),
            flow: Flow::Tools("sunny, 21°C"),
            idle_timeout_ms: None,
            expected: Outcome {
                tool_arguments: vec![r#"{"location": "Paris"}"#.into()],
                ..seen(TOOL_REPLY, "chat.completion.chunk", "[DONE]", &[])
            },
        });
    }
    rows
}

/// A run whose connection drops at `cut`, before the stream's end: the events before it
/// arrive, then a truncation (the I/O error its cause), and the verdict is `Failed`.
fn io_error_row(dialect: Dialect, name: &'static str, cut: Cut) -> Scenario {
    Scenario {
        name,
        api: Api::Assistants,
        dialect,
        script: Script::new().run(RunScript::text(["a", "b", "c", "d"]).delivered(Delivery {
            cut: Some(cut),
            ..Delivery::default()
        })),
        tools: json!([]),
        flow: Flow::Stream,
        idle_timeout_ms: None,
        expected: Outcome {
            status: None,
            ended: Some(Ended::Failed),
            ..outcome(
                "",
                "thread.run.created",
                "",
                &[Failure::Truncated],
                RunStatus::Completed,
            )
        },
    }
}

impl Scenario {
    /// Panics, naming the scenario, unless `seen` is what was expected. An expected `None`
    /// status or last event is not compared (the run goes on after the client gave up), nor is
    /// the text of a cut connection, which depends on where the cut falls.
    pub fn check(&self, seen: &Outcome) {
        let mut seen = seen.clone();
        if self
            .script
            .runs
            .iter()
            .any(|r| r.delivery.disconnect_after.is_some())
        {
            seen.text.clear();
        }
        if self.expected.status.is_none() {
            seen.status = None;
        }
        if self.expected.last_event.is_none() {
            seen.last_event = None;
        }
        if self.expected.ended.is_none() {
            seen.ended = None;
        }
        if self.script.runs.iter().any(|r| {
            r.delivery.end_after.is_some()
                || matches!(
                    r.delivery.cut,
                    Some(Cut::InsideEvent(_) | Cut::AfterEvents(_))
                )
        }) {
            seen.text.clear();
        }
        assert_eq!(
            seen, self.expected,
            "scenario {:?} ({:?})",
            self.name, self.dialect
        );
    }
}
