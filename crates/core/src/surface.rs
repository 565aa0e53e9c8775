//! The client surface both transports share, written once: the API handles
//! (`client.assistants()`, `client.threads()` with `messages()`, `runs()` and `runs().steps()`,
//! `client.responses()`, `client.chat()`) and their calls, each a request description from
//! [`wire::Request`](crate::wire::Request) sent by the transport's `Client`.
//!
//! Each transport expands [`transport_surface!`](crate::transport_surface) once: the sync one
//! with `[] [] [FnMut]`, the async one with `[async] [.await] [AsyncFnMut]` (the last: the
//! tool callbacks' trait). So the two surfaces have the same names, arguments and
//! documentation by construction (async adds `.await`), and no call is written twice. What
//! differs by nature each transport supplies: `crate::client::sleep_until` (the legacy flow's
//! wait), `crate::tools::no_tools`, and its pumps (`stream.rs`, `tools.rs`).
//!
//! [`websocket_surface!`](crate::websocket_surface) is the same for the Responses API's
//! WebSocket connection: each transport supplies the socket (open, write, read, reopen).

mod websocket;

/// Expands the shared client surface in a transport crate (see [`crate::surface`]). Expects, in
/// scope at the expansion site: `Client` (with `send` and `stream`), `Error`, `EventStream`
/// and `NoTools`; and in the transport crate `crate::tools::no_tools` and
/// `crate::client::sleep_until` (hence `crate`, not `$crate`, for those two).
#[doc(hidden)]
#[macro_export]
#[allow(clippy::crate_in_macro_def)]
macro_rules! transport_surface {
    ([$($kw:tt)*] [$($aw:tt)*] [$tool:ident]) => {
        use $crate::chat::ChatRequest as __ChatRequest;
        use $crate::responses::ResponseRequest as __ResponseRequest;
        use $crate::wire::Request as __Request;

        /// Every event of every leg of a tool loop, the calls answered by the user's function;
        /// a cut leg is resumed where the protocol can (a background response). Made by the
        /// `run_with_tools` of [`RunsClient`], [`ResponsesClient`] and [`ChatClient`], and by
        /// [`ResponsesClient::create_stream_resuming`]. `into_snapshot()` reads it to the end.
        pub struct ToolLoop<F, S: $crate::drive::ToolSession, P: $crate::wire::protocol::Protocol> {
            pub(crate) pump: crate::pump::Pump<S, P>,
            pub(crate) tool: F,
        }

        impl<F, S: $crate::drive::ToolSession, P: $crate::wire::protocol::Protocol> std::fmt::Debug
            for ToolLoop<F, S, P>
        {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("ToolLoop").field("pump", &self.pump).finish_non_exhaustive()
            }
        }

        impl<S: $crate::drive::ToolSession, P: $crate::wire::protocol::Protocol> std::fmt::Debug
            for crate::pump::Pump<S, P>
        {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // The session holds all the state; the rest is the socket and timers.
                f.debug_tuple("Pump").field(&self.session).finish()
            }
        }

        impl<F, S, P> ToolLoop<F, S, P>
        where
            S: $crate::drive::ToolSession<Event = P::Event>,
            P: $crate::wire::protocol::Protocol,
            F: $tool(&S::Call) -> String,
        {
            pub(crate) fn new(client: &Client, session: S, tool: F) -> Self {
                ToolLoop { pump: crate::pump::Pump::new(client, session), tool }
            }
        }

        /// Astra's legacy message stream: the text of each chunk as it arrives, for a run made
        /// by [`RunsClient::legacy_stream`]. Frames that are not chunks are skipped; a body that
        /// stops inside a frame (a server-side failure writes `data: []` with no blank line)
        /// ends with a truncation error.
        #[derive(Debug)]
        pub struct LegacyStream {
            run_id: String,
            pub(crate) events: EventStream<$crate::assistants::Legacy>,
        }

        impl LegacyStream {
            /// The run being streamed: retrieve it afterwards to learn how it ended.
            pub fn run_id(&self) -> &str {
                &self.run_id
            }

            /// How the stream ended, once it has.
            pub fn verdict(&self) -> Option<$crate::drive::Verdict> {
                self.events.verdict()
            }

            /// Reads the stream to its end and returns the whole text; the first error ends it.
            pub $($kw)* fn into_text(self) -> Result<String, Error> {
                self.events.into_text() $($aw)*
            }
        }

        impl RunsClient<'_> {
            /// Astra's legacy flow: creates a run without streaming, polls it every `poll` until
            /// it is `generating` (or has ended), then streams the reply from
            /// `GET /threads/{id}/messages?limit=1&stream=true`. The legacy stream has no end
            /// marker: retrieve the run afterwards to learn how it ended.
            pub $($kw)* fn legacy_stream(
                &self,
                thread_id: &str,
                assistant_id: &str,
                poll: std::time::Duration,
            ) -> Result<LegacyStream, Error> {
                use std::time::Instant;
                let mut flow = $crate::assistants::LegacyFlow::new(thread_id, assistant_id, poll);
                loop {
                    match flow.step(Instant::now()) {
                        $crate::assistants::LegacyStep::Send(request) => {
                            let run: $crate::assistants::types::Run =
                                self.client.send(&request) $($aw)* ?;
                            flow.run(&run, Instant::now());
                        }
                        $crate::assistants::LegacyStep::Wait(at) => crate::client::sleep_until(at) $($aw)*,
                        $crate::assistants::LegacyStep::Stream(request) => {
                            let run_id = flow.run_id().unwrap_or_default().to_owned();
                            let events = self.client.stream(&request) $($aw)* ?;
                            return Ok(LegacyStream { run_id, events });
                        }
                    }
                }
            }
        }

        /// The assistants of a [`Client`], from [`Client::assistants`].
        #[derive(Debug, Clone, Copy)]
        pub struct AssistantsClient<'a> {
            client: &'a Client,
        }

        /// The threads of a [`Client`], from [`Client::threads`]: their messages and runs.
        #[derive(Debug, Clone, Copy)]
        pub struct ThreadsClient<'a> {
            client: &'a Client,
        }

        /// A thread's messages, from [`ThreadsClient::messages`].
        #[derive(Debug, Clone, Copy)]
        pub struct MessagesClient<'a> {
            client: &'a Client,
        }

        /// A thread's runs, from [`ThreadsClient::runs`].
        #[derive(Debug, Clone, Copy)]
        pub struct RunsClient<'a> {
            pub(crate) client: &'a Client,
        }

        /// A run's steps, from [`RunsClient::steps`].
        #[derive(Debug, Clone, Copy)]
        pub struct StepsClient<'a> {
            client: &'a Client,
        }

        /// The Responses API of a [`Client`], from [`Client::responses`].
        #[derive(Debug, Clone, Copy)]
        pub struct ResponsesClient<'a> {
            pub(crate) client: &'a Client,
        }

        /// Chat Completions of a [`Client`], from [`Client::chat`]. Any base URL and headers:
        /// Azure's `api-key` header and `api-version` query come from the
        /// [`Config`](crate::Config).
        #[derive(Debug, Clone, Copy)]
        pub struct ChatClient<'a> {
            pub(crate) client: &'a Client,
        }

        /// A tool loop over Responses, as [`ResponsesClient::run_with_tools`] and
        /// [`ResponsesClient::create_stream_resuming`] make it.
        pub type ResponsesToolLoop<F> =
            ToolLoop<F, $crate::responses::ResponsesSession, $crate::responses::Responses>;

        /// A tool loop over Chat Completions, as [`ChatClient::run_with_tools`] makes it.
        pub type ChatToolLoop<F> =
            ToolLoop<F, $crate::chat::ChatSession, $crate::chat::Chat>;

        /// A tool loop over an Assistants run, as [`RunsClient::run_with_tools`] makes it.
        pub type RunToolLoop<F> =
            ToolLoop<F, $crate::assistants::AssistantsTools, $crate::assistants::Assistants>;

        impl Client {
            /// The assistants.
            pub fn assistants(&self) -> AssistantsClient<'_> {
                AssistantsClient { client: self }
            }

            /// The threads, their messages and runs.
            pub fn threads(&self) -> ThreadsClient<'_> {
                ThreadsClient { client: self }
            }

            /// The Responses API.
            pub fn responses(&self) -> ResponsesClient<'_> {
                ResponsesClient { client: self }
            }

            /// Chat Completions.
            pub fn chat(&self) -> ChatClient<'_> {
                ChatClient { client: self }
            }
        }

        impl AssistantsClient<'_> {
            /// Creates an assistant (`body`: `model`, `instructions`, `tools`, ...).
            pub $($kw)* fn create(&self, body: serde_json::Value)
                -> Result<$crate::assistants::types::Assistant, Error> {
                self.client.send(&__Request::create_assistant(body)) $($aw)*
            }

            /// Retrieves an assistant.
            pub $($kw)* fn retrieve(&self, id: &str)
                -> Result<$crate::assistants::types::Assistant, Error> {
                self.client.send(&__Request::retrieve_assistant(id)) $($aw)*
            }

            /// Deletes an assistant.
            pub $($kw)* fn delete(&self, id: &str) -> Result<serde_json::Value, Error> {
                self.client.send(&__Request::delete_assistant(id)) $($aw)*
            }
        }

        impl<'a> ThreadsClient<'a> {
            /// The thread's messages.
            pub fn messages(&self) -> MessagesClient<'a> {
                MessagesClient { client: self.client }
            }

            /// The thread's runs.
            pub fn runs(&self) -> RunsClient<'a> {
                RunsClient { client: self.client }
            }

            /// Creates an empty thread.
            pub $($kw)* fn create(&self) -> Result<$crate::assistants::types::Thread, Error> {
                self.client.send(&__Request::create_empty_thread()) $($aw)*
            }

            /// Retrieves a thread.
            pub $($kw)* fn retrieve(&self, id: &str)
                -> Result<$crate::assistants::types::Thread, Error> {
                self.client.send(&__Request::retrieve_thread(id)) $($aw)*
            }

            /// Deletes a thread.
            pub $($kw)* fn delete(&self, id: &str) -> Result<serde_json::Value, Error> {
                self.client.send(&__Request::delete_thread(id)) $($aw)*
            }

            /// Creates a thread with these user messages and streams a run of it (the stream
            /// starts with `thread.created`).
            pub $($kw)* fn create_and_run_stream(&self, assistant_id: &str, messages: &[&str])
                -> Result<EventStream<$crate::assistants::Assistants>, Error> {
                self.client.stream(&__Request::run_new_thread(assistant_id, messages, true)) $($aw)*
            }
        }

        impl MessagesClient<'_> {
            /// Adds a user message to a thread.
            pub $($kw)* fn create(&self, thread_id: &str, content: &str)
                -> Result<$crate::assistants::types::Message, Error> {
                self.client.send(&__Request::create_user_message(thread_id, content)) $($aw)*
            }

            /// Lists a thread's messages, newest first.
            pub $($kw)* fn list(&self, thread_id: &str)
                -> Result<$crate::assistants::types::ListPage<$crate::assistants::types::Message>, Error> {
                self.client.send(&__Request::list_messages(thread_id)) $($aw)*
            }

            /// Retrieves a message.
            pub $($kw)* fn retrieve(&self, thread_id: &str, message_id: &str)
                -> Result<$crate::assistants::types::Message, Error> {
                self.client.send(&__Request::retrieve_message(thread_id, message_id)) $($aw)*
            }
        }

        impl<'a> RunsClient<'a> {
            /// The runs' steps.
            pub fn steps(&self) -> StepsClient<'a> {
                StepsClient { client: self.client }
            }

            /// Creates a run without streaming it.
            pub $($kw)* fn create(&self, thread_id: &str, assistant_id: &str)
                -> Result<$crate::assistants::types::Run, Error> {
                self.client.send(&__Request::run_assistant(thread_id, assistant_id, false)) $($aw)*
            }

            /// Creates a run and streams it.
            pub $($kw)* fn create_stream(&self, thread_id: &str, assistant_id: &str)
                -> Result<EventStream<$crate::assistants::Assistants>, Error> {
                self.client.stream(&__Request::run_assistant(thread_id, assistant_id, true)) $($aw)*
            }

            /// Retrieves a run.
            pub $($kw)* fn retrieve(&self, thread_id: &str, run_id: &str)
                -> Result<$crate::assistants::types::Run, Error> {
                self.client.send(&__Request::retrieve_run(thread_id, run_id)) $($aw)*
            }

            /// Cancels a run.
            pub $($kw)* fn cancel(&self, thread_id: &str, run_id: &str)
                -> Result<$crate::assistants::types::Run, Error> {
                self.client.send(&__Request::cancel_run(thread_id, run_id)) $($aw)*
            }

            /// Lists a thread's runs, newest first.
            pub $($kw)* fn list(&self, thread_id: &str)
                -> Result<$crate::assistants::types::ListPage<$crate::assistants::types::Run>, Error> {
                self.client.send(&__Request::list_runs(thread_id)) $($aw)*
            }

            /// Submits tool outputs (`(tool_call_id, output)`) and streams the run's
            /// continuation.
            pub $($kw)* fn submit_tool_outputs_stream(
                &self,
                thread_id: &str,
                run_id: &str,
                outputs: &[(String, String)],
            ) -> Result<EventStream<$crate::assistants::Assistants>, Error> {
                self.client
                    .stream(&__Request::submit_tool_outputs(thread_id, run_id, outputs, true)) $($aw)*
            }
        }

        impl<'a> RunsClient<'a> {
            /// Streams a run to its end, answering each `requires_action` with `tool(call)`'s
            /// output through a streamed `submit_tool_outputs`; the loop yields every event of
            /// every leg.
            pub fn run_with_tools<F>(&self, thread_id: &str, assistant_id: &str, tool: F)
                -> RunToolLoop<F>
            where
                F: $tool(&$crate::assistants::types::RequiredToolCall) -> String,
            {
                let session = $crate::assistants::AssistantsTools::new(thread_id, assistant_id);
                ToolLoop::new(self.client, session, tool)
            }
        }

        impl StepsClient<'_> {
            /// Lists a run's steps, newest first.
            pub $($kw)* fn list(&self, thread_id: &str, run_id: &str)
                -> Result<$crate::assistants::types::ListPage<$crate::assistants::types::RunStep>, Error> {
                self.client.send(&__Request::list_run_steps(thread_id, run_id)) $($aw)*
            }

            /// Retrieves a run step.
            pub $($kw)* fn retrieve(&self, thread_id: &str, run_id: &str, step_id: &str)
                -> Result<$crate::assistants::types::RunStep, Error> {
                self.client.send(&__Request::retrieve_run_step(thread_id, run_id, step_id)) $($aw)*
            }
        }

        impl<'a> ResponsesClient<'a> {
            /// Creates a response and streams it: `ResponseEvent`s as they arrive, then
            /// `.text()`, `.into_text()` or `.into_response()` (the typed `Response`).
            pub $($kw)* fn create_stream(&self, request: &__ResponseRequest)
                -> Result<EventStream<$crate::responses::Responses>, Error> {
                self.client.stream(&__Request::create_response(request, true)) $($aw)*
            }

            /// Streams a response as its structured-output events (text and arguments with
            /// their value so far, the answer parsed): see [`ResponsesParsedStream`]. Ask for
            /// structured output with `ResponseRequest::json_schema`.
            pub $($kw)* fn create_parsed_stream(&self, request: &__ResponseRequest)
                -> Result<ResponsesParsedStream, Error> {
                Ok(self.create_stream(request) $($aw)* ?.parsed())
            }

            /// Opens one WebSocket connection to the Responses API (`{base}/responses` with
            /// `ws`/`wss`, the same headers and query as HTTP): creates on lanes, each turn of a
            /// tool loop without a new connection. No reconnect policy: see `connect_with`.
            pub $($kw)* fn connect(&self) -> Result<ResponsesConnection, Error> {
                ResponsesConnection::open(self.client, WebSocketOptions::default()) $($aw)*
            }

            /// [`connect`](Self::connect) with buffer limits and a reconnect policy.
            pub $($kw)* fn connect_with(&self, options: WebSocketOptions)
                -> Result<ResponsesConnection, Error> {
                ResponsesConnection::open(self.client, options) $($aw)*
            }

            /// Creates a response without streaming it.
            pub $($kw)* fn create(&self, request: &__ResponseRequest)
                -> Result<$crate::responses::Response, Error> {
                self.client.send(&__Request::create_response(request, false)) $($aw)*
            }

            /// Retrieves a response.
            pub $($kw)* fn retrieve(&self, id: &str) -> Result<$crate::responses::Response, Error> {
                self.client.send(&__Request::retrieve_response(id)) $($aw)*
            }

            /// Cancels a background response.
            pub $($kw)* fn cancel(&self, id: &str) -> Result<$crate::responses::Response, Error> {
                self.client.send(&__Request::cancel_response(id)) $($aw)*
            }

            /// Deletes a response.
            pub $($kw)* fn delete(&self, id: &str) -> Result<serde_json::Value, Error> {
                self.client.send(&__Request::delete_response(id)) $($aw)*
            }

            /// A stored (background) response's stream again, from the event after
            /// `starting_after` (from its start with `None`).
            pub $($kw)* fn retrieve_stream(&self, id: &str, starting_after: Option<u64>)
                -> Result<EventStream<$crate::responses::Responses>, Error> {
                self.client
                    .stream(&__Request::resume_response_stream(id, starting_after)) $($aw)*
            }

            /// Creates a response and streams it; when the stream is cut and the response runs
            /// in the background, resumes it (`starting_after` the last event seen) without
            /// delivering any event twice, until resumes stop bringing new events.
            /// `into_snapshot()` ends equal to an uncut stream's.
            pub fn create_stream_resuming(&self, request: &__ResponseRequest)
                -> ResponsesToolLoop<NoTools> {
                let session = $crate::responses::ResponsesSession::new(request.clone()).without_tools();
                ToolLoop::new(self.client, session, crate::tools::no_tools as NoTools)
            }

            /// The tool loop: streams a response, answers its function calls with
            /// `tool(call)`'s output as `function_call_output` items with
            /// `previous_response_id`, and streams the next response, until one asks for
            /// nothing. Cut background responses are resumed.
            pub fn run_with_tools<F>(&self, request: &__ResponseRequest, tool: F)
                -> ResponsesToolLoop<F>
            where
                F: $tool(&$crate::responses::FunctionCall) -> String,
            {
                ToolLoop::new(self.client, $crate::responses::ResponsesSession::new(request.clone()), tool)
            }
        }

        impl<'a> ChatClient<'a> {
            /// Streams a chat completion: `ChatEvent`s (chunks) as they arrive, then `.text()`
            /// (choice 0's content), `.into_text()` or `.into_completion()` (the typed
            /// `ChatCompletion`).
            pub $($kw)* fn create_stream(&self, request: &__ChatRequest)
                -> Result<EventStream<$crate::chat::Chat>, Error> {
                self.client.stream(&__Request::create_chat_completion(request, true)) $($aw)*
            }

            /// Streams a chat completion as openai-python's structured-output events
            /// (`content.delta` with `parsed`, ...): see [`ParsedStream`]. Ask for structured
            /// output with `ChatRequest::json_schema`.
            pub $($kw)* fn create_parsed_stream(&self, request: &__ChatRequest)
                -> Result<ParsedStream, Error> {
                let mut stream = self.create_stream(request) $($aw)* ?.parsed();
                // As the SDK sets itself up from the request: structured content only with a
                // `json_schema` response format, parsed arguments only for strict tools.
                stream.state = $crate::chat::StructuredState::for_request(
                    &request.to_json(true),
                    $crate::json::PartialMode::On,
                );
                Ok(stream)
            }

            /// A chat completion, not streamed.
            pub $($kw)* fn create(&self, request: &__ChatRequest)
                -> Result<$crate::chat::ChatCompletion, Error> {
                self.client.send(&__Request::create_chat_completion(request, false)) $($aw)*
            }

            /// The tool loop: streams a completion; when choice 0 ends with tool calls, appends
            /// the assistant's message and one `tool` message per call with `tool(call)`'s
            /// output, and streams again, until a final answer.
            pub fn run_with_tools<F>(&self, request: &__ChatRequest, tool: F) -> ChatToolLoop<F>
            where
                F: $tool(&$crate::chat::ChatToolCall) -> String,
            {
                ToolLoop::new(self.client, $crate::chat::ChatSession::new(request.clone()), tool)
            }
        }

        impl EventStream<$crate::responses::Responses> {
            /// Reads the stream to its end and returns the typed `Response` (the terminal
            /// event's own when it carries its output); the first error ends it.
            pub $($kw)* fn into_response(self) -> Result<$crate::responses::Response, Error> {
                self.into_snapshot() $($aw)*
            }

            /// The stream as its structured-output events: see [`ResponsesParsedStream`].
            pub fn parsed(self) -> ResponsesParsedStream {
                ResponsesParsedStream {
                    events: self,
                    state: $crate::responses::StructuredState::new(),
                    over: false,
                }
            }

            /// Reads the stream to its end and parses the structured answer as `T`, by
            /// openai-python's `output_parsed` rule (the first output text of a message whose
            /// phase is absent or `final_answer`).
            pub $($kw)* fn into_parsed<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
                let response = self.into_response() $($aw)* ?;
                let text = response
                    .output_parsed_text()
                    .ok_or($crate::chat::StructuredError::Missing)?;
                serde_json::from_str(text).map_err(Error::Json)
            }
        }

        impl EventStream<$crate::chat::Chat> {
            /// Reads the stream to its end and returns the typed `ChatCompletion` (lenient
            /// rule); the first error ends it.
            pub $($kw)* fn into_completion(self) -> Result<$crate::chat::ChatCompletion, Error> {
                self.into_snapshot() $($aw)*
            }

            /// As `into_completion`, by `rule` (`ChatRule::Strict`: exactly what openai-node's
            /// `ChatCompletionStream` builds; see `docs/chat.md`).
            pub $($kw)* fn into_completion_with(self, rule: $crate::chat::Rule)
                -> Result<$crate::chat::ChatCompletion, Error> {
                self.into_snapshot_with($crate::chat::Accumulator::new(rule)) $($aw)*
            }

            /// The stream as openai-python's structured-output events (the content taken as
            /// structured output, every named tool as strict): see [`ParsedStream`].
            pub fn parsed(self) -> ParsedStream {
                ParsedStream {
                    events: self,
                    state: $crate::chat::StructuredState::new(),
                    pending: std::collections::VecDeque::new(),
                    over: false,
                }
            }

            /// Reads the stream to its end and parses choice 0's structured answer as `T`.
            pub $($kw)* fn into_parsed<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
                self.parsed().into_parsed() $($aw)*
            }
        }

        /// A Chat stream as openai-python 3.57's structured-output events
        /// (`chat::StructuredEvent`: `content.delta`, `content.done`, `refusal.*`,
        /// `tool_calls.function.arguments.*`, `logprobs.*`), from
        /// [`ChatClient::create_parsed_stream`] or `EventStream<Chat>::parsed()`. The values
        /// (the content parsed so far, a tool call's parsed arguments) are read from
        /// [`ParsedStream::state`], lent, not copied per event: linear in the answer. Where the
        /// SDK raises (a `length` or `content_filter` finish, content that is not JSON), the
        /// stream ends with that error (`StreamError::Structured`).
        #[derive(Debug)]
        pub struct ParsedStream {
            events: EventStream<$crate::chat::Chat>,
            state: $crate::chat::StructuredState,
            pending: std::collections::VecDeque<$crate::chat::StructuredEvent>,
            over: bool,
        }

        impl ParsedStream {
            /// The next event; `None` at the end.
            pub $($kw)* fn next(&mut self) -> Option<Result<$crate::chat::StructuredEvent, Error>> {
                loop {
                    if let Some(event) = self.pending.pop_front() {
                        return Some(Ok(event));
                    }
                    if self.over {
                        return None;
                    }
                    match self.events.next() $($aw)* {
                        Some(Ok($crate::chat::ChatEvent::Chunk(chunk))) => {
                            let applied = serde_json::to_value(&chunk)
                                .map_err(Error::Json)
                                .and_then(|json| self.state.handle_chunk(&json).map_err(Error::from));
                            match applied {
                                Ok(events) => self.pending.extend(events),
                                Err(err) => {
                                    self.over = true;
                                    return Some(Err(err));
                                }
                            }
                        }
                        Some(Ok(_)) => {}
                        Some(Err(err)) => return Some(Err(err)),
                        None => {
                            self.over = true;
                            return None;
                        }
                    }
                }
            }

            /// The state the events' values are read from: `parsed(choice)`,
            /// `content(choice)`, `parsed_arguments(choice, index)`, and each event's
            /// `to_json(state)` (the SDK's event as JSON).
            pub fn state(&self) -> &$crate::chat::StructuredState {
                &self.state
            }

            /// Reads the stream to its end and parses choice 0's structured answer as `T`:
            /// a refusal, no answer or a failed parse is an error.
            pub $($kw)* fn into_parsed<T: serde::de::DeserializeOwned>(mut self) -> Result<T, Error> {
                while let Some(event) = self.next() $($aw)* {
                    event?;
                }
                self.state.final_check()?;
                if self.state.refusal(0).is_some_and(|r| !r.is_empty()) {
                    return Err($crate::chat::StructuredError::Refusal.into());
                }
                let content = self.state.content(0).ok_or($crate::chat::StructuredError::Missing)?;
                serde_json::from_str(content).map_err(Error::Json)
            }
        }

        /// A Responses stream as its structured-output events (`responses::StructuredEvent`:
        /// text and arguments deltas, their done events with the parsed value, the completed
        /// response), from [`ResponsesClient::create_parsed_stream`] or
        /// `EventStream<Responses>::parsed()`. The values so far are lent by
        /// [`ResponsesParsedStream::state`] (`parsed_text`, `parsed_arguments`,
        /// `output_parsed`), not copied per event. A final answer that is not JSON ends the
        /// stream with `StreamError::Structured`.
        #[derive(Debug)]
        pub struct ResponsesParsedStream {
            events: EventStream<$crate::responses::Responses>,
            state: $crate::responses::StructuredState,
            over: bool,
        }

        impl ResponsesParsedStream {
            /// The next structured event; `None` at the end.
            pub $($kw)* fn next(&mut self)
                -> Option<Result<$crate::responses::StructuredEvent, Error>> {
                loop {
                    if self.over {
                        return None;
                    }
                    match self.events.next() $($aw)* {
                        Some(Ok(event)) => {
                            let applied = serde_json::to_value(&event)
                                .map_err(Error::Json)
                                .and_then(|json| self.state.handle_event(&json).map_err(Error::from));
                            match applied {
                                Ok(Some(event)) => return Some(Ok(event)),
                                Ok(None) => {}
                                Err(err) => {
                                    self.over = true;
                                    return Some(Err(err));
                                }
                            }
                        }
                        Some(Err(err)) => return Some(Err(err)),
                        None => {
                            self.over = true;
                            return None;
                        }
                    }
                }
            }

            /// The state the events' values are read from.
            pub fn state(&self) -> &$crate::responses::StructuredState {
                &self.state
            }
        }
    };
}
