//! The Responses API over one WebSocket, on tokio-tungstenite: the core's
//! [`Connection`](streaming_assistants_core::drive::websocket::Connection) decides, this
//! file only opens the socket and moves frames.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::SinkExt;
use streaming_assistants_core::drive::websocket::{
    Connection, End, Lane, LanePoll, Limits, Upgrade,
};
use streaming_assistants_core::drive::Error;
use streaming_assistants_core::responses::ResponseEvent;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::Client;

type Io = MaybeTlsStream<TcpStream>;
type Socket = WebSocketStream<Io>;

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
        self.take(message);
        Poll::Ready(Ok(()))
    }

    /// Between responses, takes in what already arrived without waiting: a close frame the
    /// server sent since (at the end of a connection's life, say) is then seen before the next
    /// create is written into a socket that is gone.
    fn take_arrived(&mut self) {
        if self.core.any_in_flight() {
            return;
        }
        let mut cx = Context::from_waker(std::task::Waker::noop());
        while self.socket.is_some() {
            match self.poll_read(&mut cx) {
                Poll::Ready(Ok(())) => continue,
                Poll::Ready(Err(_)) | Poll::Pending => break,
            }
        }
        // The next read starts its own idle deadline.
        self.idle_armed = false;
    }
}

impl Stream for LaneEvents<'_> {
    type Item = Result<ResponseEvent, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.connection.poll_event(cx, &this.lane)
    }
}

/// Opens the socket within the connect timeout: TCP, TLS for `wss`, then the core's upgrade
/// request (written here, not by tungstenite, which logs the request it writes: the key is in
/// it) and its answer.
async fn connect(client: &Client, limits: &Limits) -> Result<Socket, Error> {
    match tokio::time::timeout(client.connect, open(client, limits)).await {
        Ok(opened) => opened,
        Err(_) => Err(Error::Timeout(None)),
    }
}

async fn open(client: &Client, limits: &Limits) -> Result<Socket, Error> {
    let key = tungstenite::handshake::client::generate_key();
    let upgrade = Upgrade::new(&client.config, &key).map_err(|e| Error::Transport(Box::new(e)))?;
    let tcp = TcpStream::connect((upgrade.host.as_str(), upgrade.port))
        .await
        .map_err(|err| Error::Connect(Box::new(err)))?;
    let _ = tcp.set_nodelay(true);
    let mut stream = if upgrade.tls {
        let name = rustls::pki_types::ServerName::try_from(upgrade.host.clone())
            .map_err(|e| Error::Connect(Box::new(e)))?;
        let tls = tokio_rustls::TlsConnector::from(tls_config())
            .connect(name, tcp)
            .await
            .map_err(|e| Error::Connect(Box::new(e)))?;
        MaybeTlsStream::Rustls(tls)
    } else {
        MaybeTlsStream::Plain(tcp)
    };
    let ahead = handshake(&mut stream, &upgrade, &key).await?;
    let config = socket_config(limits);
    Ok(WebSocketStream::from_partially_read(stream, ahead, Role::Client, Some(config)).await)
}

/// An I/O error of the handshake (its timeout is the connect timeout's, around it).
fn io_error(err: std::io::Error) -> Error {
    Error::Transport(Box::new(err))
}

/// tungstenite's error on a write as the one error.
fn ws_error(err: tungstenite::Error) -> Error {
    Error::Transport(Box::new(err))
}
