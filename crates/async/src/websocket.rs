//! The Responses API over one WebSocket, on tokio-tungstenite: the core's
//! [`Connection`](streaming_assistants_core::drive::websocket::Connection) decides, this
//! file only opens the socket and moves frames.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::SinkExt;
use streaming_assistants_core::drive::websocket::{
    upgrade_headers, upgrade_url, CapacityError, Closed, Connection, End, Lane, LaneError,
    LanePoll, Limits,
};
use streaming_assistants_core::drive::Error;
use streaming_assistants_core::responses::ResponseEvent;
use streaming_assistants_core::wire::ApiError;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::Client;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

streaming_assistants_core::websocket_surface!([async] [.await] [AsyncFnMut]);

/// One WebSocket connection to the Responses API (`client.responses().connect().await`): send
/// creates on lanes, read each lane's events, run a tool loop without a new connection per
/// turn.
///
/// ```no_run
/// use streaming_assistants_async::{Client, Config};
/// use streaming_assistants_core::responses::ResponseRequest;
///
/// # async fn run() -> Result<(), streaming_assistants_async::Error> {
/// let client = Client::new(Config::from_env())?;
/// let mut connection = client.responses().connect().await?;
/// let first = connection.create(&ResponseRequest::new("gpt-4o-mini").input("Hi")).await?.into_response().await?;
/// let next = ResponseRequest::new("gpt-4o-mini").input("And again").previous_response_id(first.id.clone().unwrap_or_default());
/// let mut text = connection.create(&next).await?.text();
/// while let Some(piece) = text.next().await {
///     print!("{}", piece?);
/// }
/// # Ok(()) }
/// ```
pub struct ResponsesConnection {
    client: Client,
    socket: Option<Socket>,
    core: Connection,
    options: WebSocketOptions,
    opened: u32,
    idle: Pin<Box<tokio::time::Sleep>>,
    idle_armed: bool,
}

impl std::fmt::Debug for ResponsesConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponsesConnection")
            .field("core", &self.core)
            .field("opened", &self.opened)
            .finish_non_exhaustive()
    }
}

impl ResponsesConnection {
    pub(crate) async fn open(client: &Client, options: WebSocketOptions) -> Result<Self, Error> {
        let socket = connect(client, &options.limits).await?;
        Ok(ResponsesConnection {
            client: client.clone(),
            socket: Some(socket),
            core: Connection::new(options.limits),
            options,
            opened: 1,
            idle: Box::pin(tokio::time::sleep(client.idle)),
            idle_armed: false,
        })
    }

    /// A lane's next event, polled in place (the lane's `Stream`).
    fn poll_event(
        &mut self,
        cx: &mut Context<'_>,
        lane: &Lane,
    ) -> Poll<Option<Result<ResponseEvent, Error>>> {
        loop {
            match self.core.poll(lane) {
                LanePoll::Event(item) => return Poll::Ready(Some(item)),
                LanePoll::Idle => return Poll::Ready(None),
                LanePoll::Read => match self.poll_read(cx) {
                    Poll::Ready(Ok(())) => {}
                    Poll::Ready(Err(err)) => return Poll::Ready(Some(Err(err))),
                    Poll::Pending => return Poll::Pending,
                },
            }
        }
    }

    /// Closes the socket with a normal close frame.
    pub async fn close(mut self) -> Result<(), Error> {
        if let Some(mut socket) = self.socket.take() {
            let _ = socket.close(None).await;
        }
        Ok(())
    }

    async fn write(&mut self, frame: String) -> Result<(), Error> {
        let Some(socket) = self.socket.as_mut() else {
            return Err(Error::Lane(LaneError::Closed));
        };
        if let Err(err) = socket.send(Message::text(frame)).await {
            self.lost(End::Dropped(err.to_string()));
            return Err(ws_error(err));
        }
        Ok(())
    }

    /// Reads one message into the core (see [`poll_read`](Self::poll_read)).
    async fn read(&mut self) -> Result<(), Error> {
        // A read dropped while it waited (a `select!`, a `timeout`) leaves no stale deadline.
        self.idle_armed = false;
        poll_fn(|cx| self.poll_read(cx)).await
    }

    /// Reads one message into the core. The idle timeout is the caller's error (the
    /// connection stays); any other failure ends the connection, which the core reports in
    /// each lane.
    fn poll_read(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let Some(socket) = self.socket.as_mut() else {
            self.core.ended(End::Dropped("the socket is closed".into()));
            return Poll::Ready(Ok(()));
        };
        let message = match Pin::new(socket).poll_next(cx) {
            Poll::Ready(message) => message,
            Poll::Pending => {
                if !self.idle_armed {
                    let deadline = tokio::time::Instant::now() + self.client.idle;
                    self.idle.as_mut().reset(deadline);
                    self.idle_armed = true;
                }
                if self.idle.as_mut().poll(cx).is_ready() {
                    self.idle_armed = false;
                    return Poll::Ready(Err(Error::Timeout(None)));
                }
                return Poll::Pending;
            }
        };
        self.idle_armed = false;
        match message {
            Some(Ok(Message::Text(text))) => self.receive(|core| core.receive(text.as_str())),
            Some(Ok(Message::Binary(bytes))) => self.receive(|core| core.receive_binary(&bytes)),
            Some(Ok(Message::Close(frame))) => {
                let closed = match frame {
                    Some(frame) => Closed::new(Some(frame.code.into()), frame.reason.as_str()),
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
        Poll::Ready(Ok(()))
    }

    fn receive(&mut self, take: impl FnOnce(&mut Connection) -> Result<(), CapacityError>) {
        self.options.frame_arrived();
        if take(&mut self.core).is_err() {
            // The core ended the connection: drop the socket under it.
            self.socket = None;
        }
    }

    fn lost(&mut self, end: End) {
        self.socket = None;
        self.core.ended(end);
    }

    /// Opens the socket again if it ended, a reconnect policy is set and the close was
    /// transient; the last attempt's error if every attempt failed.
    async fn revive(&mut self) -> Result<(), Error> {
        let Some(code) = self.core.end().map(End::close_code) else {
            return Ok(());
        };
        let limits = self.options.limits;
        let mut last = None;
        for attempt in self.options.attempts(code) {
            tokio::time::sleep(attempt.delay).await;
            match connect(&self.client, &limits).await {
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

impl Stream for LaneEvents<'_> {
    type Item = Result<ResponseEvent, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.connection.poll_event(cx, &this.lane)
    }
}

/// Opens the socket within the connect timeout: TCP, TLS for `wss`, the upgrade with the
/// config's headers.
async fn connect(client: &Client, limits: &Limits) -> Result<Socket, Error> {
    let url = upgrade_url(&client.config);
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|err| Error::Transport(Box::new(err)))?;
    for (name, value) in upgrade_headers(&client.config) {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|err| Error::Transport(Box::new(err)))?;
        // The value is a secret: its parse error says nothing of it.
        let value = HeaderValue::from_str(value)
            .map_err(|_| Error::Transport(format!("header {name} has an invalid value").into()))?;
        request.headers_mut().append(name, value);
    }
    let config = WebSocketConfig::default()
        .max_message_size(Some(limits.max_frame_bytes))
        .max_frame_size(Some(limits.max_frame_bytes));
    let upgrade =
        tokio_tungstenite::connect_async_tls_with_config(request, Some(config), true, None);
    match tokio::time::timeout(client.connect, upgrade).await {
        Ok(Ok((socket, _))) => Ok(socket),
        // Before the upgrade is answered nothing was sent: an I/O error is a failed connect.
        Ok(Err(tungstenite::Error::Io(err))) => Err(Error::Connect(Box::new(err))),
        Ok(Err(err)) => Err(ws_error(err)),
        Err(_) => Err(Error::Timeout(None)),
    }
}

/// tungstenite's error as the one error: a refused upgrade is the API's error answer.
fn ws_error(err: tungstenite::Error) -> Error {
    match err {
        tungstenite::Error::Http(response) => {
            let status = response.status().as_u16();
            let request_id = response
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = response
                .into_body()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            ApiError::from_response(status, request_id, body).into()
        }
        tungstenite::Error::Io(err) if err.kind() == std::io::ErrorKind::ConnectionRefused => {
            Error::Connect(Box::new(err))
        }
        err @ (tungstenite::Error::Tls(_) | tungstenite::Error::Url(_)) => {
            Error::Connect(Box::new(err))
        }
        err => Error::Transport(Box::new(err)),
    }
}
