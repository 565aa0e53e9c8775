//! The WebSocket connection's surface both transports share, written once: what a
//! `ResponsesConnection` does on top of the core's `drive::websocket::Connection`, its
//! `LaneEvents` and its `WebSocketToolLoop`.

/// Expands the WebSocket surface in a transport crate (see [`crate::surface`]), with the same
/// `[] [] [FnMut]` or `[async] [.await] [AsyncFnMut]` as [`transport_surface!`]. Expects, in
/// scope at the expansion site: `Error`, `Client`, tungstenite's `Message` and `tungstenite`
/// itself, `WebSocketConfig`, the I/O traits (`Read` and `Write`, or their async kin),
/// `Io` (the stream under the WebSocket, TLS or not), `connect(&Client, &Limits)` (a new
/// socket), `io_error` and `ws_error` (an I/O or tungstenite error as the one `Error`),
/// `crate::client::sleep_until`, and `ResponsesConnection` with the fields `client`,
/// `socket: Option<_>`, `core: Connection`, `options` and `opened: u32` and the methods `read()`
/// (one message into the core by `take`; an error is the caller's: the idle timeout) and
/// `take_arrived()` (what arrived, without waiting), `async` in the async transport where they
/// wait; `rustls` and `webpki_roots` among its dependencies.
#[doc(hidden)]
#[macro_export]
#[allow(clippy::crate_in_macro_def)]
macro_rules! websocket_surface {
    ([$($kw:tt)*] [$($aw:tt)*] [$tool:ident]) => {
        use $crate::drive::websocket::{
            Lane as __Lane, LanePoll as __LanePoll, ToolTurns as __ToolTurns,
            TurnStep as __TurnStep,
        };
        use $crate::responses::{
            FunctionCall as __FunctionCall, Response as __Response,
            ResponseEvent as __ResponseEvent, ResponseRequest as __WsRequest,
        };

        /// How [`ResponsesClient::connect_with`] connects: buffer limits and a reconnect
        /// policy with its hook.
        pub type WebSocketOptions = $crate::drive::websocket::Options;

        impl ResponsesConnection {
            /// Sockets opened so far: 1, plus one per reconnect.
            pub fn connections_opened(&self) -> u32 {
                self.opened
            }

            /// The default lane (no `stream_id`).
            pub fn default_lane(&self) -> __Lane {
                self.core.default_lane()
            }

            /// Registers the lane `stream_id` (1-256 ASCII letters, digits, `_`, `-`, `.`).
            pub fn lane(&mut self, stream_id: &str) -> Result<__Lane, Error> {
                Ok(self.core.lane(stream_id)?)
            }

            /// Sends a `response.create` on `lane`; an error, with nothing sent, while the
            /// lane's last response is still in flight. A socket that ended is opened again
            /// first if a reconnect policy says so.
            pub $($kw)* fn send(&mut self, lane: &__Lane, request: &__WsRequest) -> Result<(), Error> {
                self.revive() $($aw)* ?;
                let frame = self.core.create(lane, request)?;
                self.write(frame) $($aw)*
            }

            /// Sends a create on the default lane and returns its events.
            pub $($kw)* fn create(&mut self, request: &__WsRequest) -> Result<LaneEvents<'_>, Error> {
                let lane = self.default_lane();
                self.send(&lane, request) $($aw)* ?;
                Ok(self.events(&lane))
            }

            /// Sends `response.steer`: `input` queued for a continuation of the response in
            /// flight `previous_response_id` (acknowledged on its lane by
            /// `response.steer.accepted`, or refused by `response.steer.failed`).
            pub $($kw)* fn steer(
                &mut self,
                previous_response_id: &str,
                input: serde_json::Value,
            ) -> Result<(), Error> {
                let frame = self.core.steer(previous_response_id, input)?;
                self.write(frame) $($aw)*
            }

            /// The events of `lane`'s response, up to its terminal event.
            pub fn events(&mut self, lane: &__Lane) -> LaneEvents<'_> {
                LaneEvents { connection: self, lane: lane.clone() }
            }

            /// The next event of `lane` (reading frames, and queueing other lanes' events, as
            /// needed); `None` once its response is over.
            pub $($kw)* fn next_event(&mut self, lane: &__Lane) -> Option<Result<__ResponseEvent, Error>> {
                loop {
                    match self.core.poll(lane) {
                        __LanePoll::Event(item) => return Some(item),
                        __LanePoll::Idle => return None,
                        __LanePoll::Read => {
                            if let Err(err) = self.read() $($aw)* {
                                return Some(Err(err));
                            }
                        }
                    }
                }
            }

            /// `lane`'s response so far; after its terminal event, the final one (the SSE
            /// path's `Response` for the same events).
            pub fn response(&self, lane: &__Lane) -> Option<__Response> {
                self.core.response(lane)
            }

            /// The tool loop on the default lane: each response's function calls are answered
            /// with `tool(call)` in a `response.create` with `previous_response_id` and only the
            /// `function_call_output` items, over this one connection.
            pub fn run_with_tools<F>(&mut self, request: &__WsRequest, tool: F) -> WebSocketToolLoop<'_, F>
            where
                F: $tool(&__FunctionCall) -> String,
            {
                let lane = self.default_lane();
                WebSocketToolLoop {
                    turns: __ToolTurns::new(request.clone(), lane),
                    connection: self,
                    tool,
                    sent_at: None,
                }
            }
        }

        impl std::fmt::Debug for ResponsesConnection {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // The core holds the state; the client's config is never shown (it has the key).
                f.debug_struct("ResponsesConnection")
                    .field("core", &self.core)
                    .field("opened", &self.opened)
                    .finish_non_exhaustive()
            }
        }

        /// Writes the upgrade request (the core's: the key passes through no library that
        /// logs requests) and reads its answer; the bytes read past its head, which belong
        /// to the WebSocket.
        $($kw)* fn handshake(
            stream: &mut Io,
            upgrade: &$crate::drive::websocket::Upgrade,
            key: &str,
        ) -> Result<Vec<u8>, Error> {
            use $crate::drive::websocket::{Handshake, Progress};
            stream.write_all(upgrade.request()) $($aw)* .map_err(io_error)?;
            stream.flush() $($aw)* .map_err(io_error)?;
            let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
            let mut handshake = Handshake::new(accept);
            let mut buffer = [0u8; 4096];
            loop {
                let n = stream.read(&mut buffer) $($aw)* .map_err(io_error)?;
                match handshake.push(buffer.get(..n).unwrap_or_default()) {
                    Progress::Read => continue,
                    Progress::Open { ahead } => return Ok(ahead),
                    Progress::Refused(err) => return Err(err.into()),
                    Progress::Failed(err) => return Err(Error::Transport(Box::new(err))),
                }
            }
        }

        /// The WebSocket library's limits: frames and messages up to the connection's.
        fn socket_config(limits: &$crate::drive::websocket::Limits) -> WebSocketConfig {
            WebSocketConfig::default()
                .max_message_size(Some(limits.max_frame_bytes))
                .max_frame_size(Some(limits.max_frame_bytes))
        }

        impl ResponsesConnection {
            $($kw)* fn write(&mut self, frame: String) -> Result<(), Error> {
                let Some(socket) = self.socket.as_mut() else {
                    return Err(Error::Lane($crate::drive::websocket::LaneError::Closed));
                };
                if let Err(err) = socket.send(Message::text(frame)) $($aw)* {
                    self.lost($crate::drive::websocket::End::Dropped(err.to_string()));
                    return Err(ws_error(err));
                }
                Ok(())
            }

            /// One message, or the end of the socket (`None`), into the core.
            fn take(&mut self, message: Option<Result<Message, tungstenite::Error>>) {
                use $crate::drive::websocket::{CapacityError, Closed, End};
                match message {
                    Some(Ok(Message::Text(text))) => self.receive(|core| core.receive(text.as_str())),
                    Some(Ok(Message::Binary(bytes))) => {
                        self.receive(|core| core.receive_binary(&bytes))
                    }
                    Some(Ok(Message::Close(frame))) => {
                        let closed = match frame {
                            Some(frame) => {
                                Closed::new(Some(frame.code.into()), frame.reason.as_str())
                            }
                            None => Closed::new(None, ""),
                        };
                        self.lost(End::Closed(closed));
                    }
                    // Pings are answered by tungstenite on the next read or write.
                    Some(Ok(_)) => {}
                    Some(Err(tungstenite::Error::Capacity(_))) => {
                        let max = self.options.limits.max_frame_bytes;
                        self.lost(End::Capacity(CapacityError::frame(max)));
                    }
                    Some(Err(err)) => self.lost(End::Dropped(err.to_string())),
                    None => self.lost(End::Dropped("the connection closed".into())),
                }
            }

            fn receive(
                &mut self,
                take: impl FnOnce(
                    &mut $crate::drive::websocket::Connection,
                ) -> Result<(), $crate::drive::websocket::CapacityError>,
            ) {
                self.options.frame_arrived();
                if take(&mut self.core).is_err() {
                    // The core ended the connection: the socket under it goes.
                    self.socket = None;
                }
            }

            fn lost(&mut self, end: $crate::drive::websocket::End) {
                self.socket = None;
                self.core.ended(end);
            }

            /// Opens the socket again if it ended, a reconnect policy is set and the close was
            /// transient; the last attempt's error if every attempt failed.
            $($kw)* fn revive(&mut self) -> Result<(), Error> {
                self.take_arrived();
                let Some(code) = self.core.end().map($crate::drive::websocket::End::close_code)
                else {
                    return Ok(());
                };
                let limits = self.options.limits;
                let mut last = None;
                for attempt in self.options.attempts(code) {
                    crate::client::sleep_until(std::time::Instant::now() + attempt.delay) $($aw)*;
                    match connect(&self.client, &limits) $($aw)* {
                        Ok(socket) => {
                            self.socket = Some(socket);
                            self.core.reconnected();
                            self.opened += 1;
                            return Ok(());
                        }
                        Err(err) => last = Some(err),
                    }
                }
                last.map_or(Ok(()), Err)
            }
        }

        /// rustls with the webpki roots, as the HTTP clients': made once.
        fn tls_config() -> std::sync::Arc<rustls::ClientConfig> {
            static CONFIG: std::sync::OnceLock<std::sync::Arc<rustls::ClientConfig>> =
                std::sync::OnceLock::new();
            CONFIG
                .get_or_init(|| {
                    let roots = rustls::RootCertStore {
                        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                    };
                    std::sync::Arc::new(
                        rustls::ClientConfig::builder()
                            .with_root_certificates(roots)
                            .with_no_client_auth(),
                    )
                })
                .clone()
        }

        /// The events of one lane's response ([`ResponsesConnection::events`]): read as
        /// needed, over after the terminal event.
        #[derive(Debug)]
        pub struct LaneEvents<'c> {
            connection: &'c mut ResponsesConnection,
            lane: __Lane,
        }

        impl<'c> LaneEvents<'c> {
            /// The next event; `None` after the terminal event.
            #[allow(clippy::should_implement_trait)]
            pub $($kw)* fn next(&mut self) -> Option<Result<__ResponseEvent, Error>> {
                self.connection.next_event(&self.lane) $($aw)*
            }

            /// Reads the response to its end and returns it (the SSE path's `Response` for the
            /// same events); the first error ends it.
            pub $($kw)* fn into_response(mut self) -> Result<__Response, Error> {
                while let Some(event) = self.next() $($aw)* {
                    event?;
                }
                self.connection.response(&self.lane).ok_or(Error::from(
                    $crate::drive::StreamError::Truncated { at: 0 },
                ))
            }

            /// The reply's text deltas as they arrive.
            pub fn text(self) -> LaneText<'c> {
                LaneText(self)
            }
        }

        /// The text deltas of a lane's response ([`LaneEvents::text`]).
        #[derive(Debug)]
        pub struct LaneText<'c>(LaneEvents<'c>);

        impl LaneText<'_> {
            /// The next piece of text; `None` after the terminal event.
            #[allow(clippy::should_implement_trait)]
            pub $($kw)* fn next(&mut self) -> Option<Result<String, Error>> {
                loop {
                    match self.0.next() $($aw)* ? {
                        Ok(event) => {
                            if let Some(text) = event.output_text_delta() {
                                return Some(Ok(text.to_owned()));
                            }
                        }
                        Err(err) => return Some(Err(err)),
                    }
                }
            }
        }

        /// The tool loop over one connection ([`ResponsesConnection::run_with_tools`]): every
        /// event of every turn; `into_response()` reads to the last turn's response.
        pub struct WebSocketToolLoop<'c, F> {
            connection: &'c mut ResponsesConnection,
            turns: __ToolTurns,
            tool: F,
            sent_at: Option<std::time::Instant>,
        }

        impl<F> std::fmt::Debug for WebSocketToolLoop<'_, F> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("WebSocketToolLoop")
                    .field("turns", &self.turns)
                    .finish_non_exhaustive()
            }
        }

        impl<F: $tool(&__FunctionCall) -> String> WebSocketToolLoop<'_, F> {
            /// Turns sent so far.
            pub fn turns(&self) -> u32 {
                self.turns.turns()
            }

            /// When the current turn's create was sent (for its time to first token).
            pub fn turn_sent_at(&self) -> Option<std::time::Instant> {
                self.sent_at
            }

            /// The next event, across turns; `None` after the last turn.
            #[allow(clippy::should_implement_trait)]
            pub $($kw)* fn next(&mut self) -> Option<Result<__ResponseEvent, Error>> {
                loop {
                    if !self.turns.in_turn() {
                        // Between turns: a socket that ended is opened again first, by the
                        // policy.
                        if let Err(err) = self.connection.revive() $($aw)* {
                            return Some(Err(err));
                        }
                    }
                    match self.turns.poll(&mut self.connection.core) {
                        __TurnStep::Send(frame) => {
                            self.sent_at = Some(std::time::Instant::now());
                            if let Err(err) = self.connection.write(frame) $($aw)* {
                                return Some(Err(err));
                            }
                        }
                        __TurnStep::Read => {
                            if let Err(err) = self.connection.read() $($aw)* {
                                return Some(Err(err));
                            }
                        }
                        __TurnStep::Event(item) => return Some(item),
                        __TurnStep::Answer(calls) => {
                            let mut outputs = Vec::with_capacity(calls.len());
                            for call in calls {
                                outputs.push((self.tool)(call) $($aw)*);
                            }
                            self.turns.answered(outputs);
                        }
                        __TurnStep::Done => return None,
                    }
                }
            }

            /// Reads every turn to its end and returns the last turn's response.
            pub $($kw)* fn into_response(mut self) -> Result<__Response, Error> {
                while let Some(event) = self.next() $($aw)* {
                    event?;
                }
                self.connection.response(self.turns.lane()).ok_or(Error::from(
                    $crate::drive::StreamError::Truncated { at: 0 },
                ))
            }
        }
    };
}
