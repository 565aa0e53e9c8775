//! The Responses API over one WebSocket, on tungstenite: the core's
//! [`Connection`](streaming_assistants_core::drive::websocket::Connection) decides, this
//! file only opens the socket and moves frames.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use std::io::{Read, Write};

use streaming_assistants_core::drive::websocket::{Connection, End, Limits, Upgrade};
use streaming_assistants_core::drive::Error;
use streaming_assistants_core::responses::{FunctionCall, ResponseEvent};
use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::error::from_io;
use crate::Client;

type Io = MaybeTlsStream<TcpStream>;
type Socket = WebSocket<Io>;

streaming_assistants_core::websocket_surface!([] [] [FnMut]);

/// One WebSocket connection to the Responses API (`client.responses().connect()`): send
/// creates on lanes, read each lane's events, run a tool loop without a new connection per
/// turn.
///
/// ```no_run
/// use streaming_assistants_sync::{Client, Config};
/// use streaming_assistants_core::responses::ResponseRequest;
///
/// let client = Client::new(Config::from_env())?;
/// let mut connection = client.responses().connect()?;
/// let first = connection.create(&ResponseRequest::new("gpt-4o-mini").input("Hi"))?.into_response()?;
/// let next = ResponseRequest::new("gpt-4o-mini").input("And again").previous_response_id(first.id.clone().unwrap_or_default());
/// for text in connection.create(&next)?.text() {
///     print!("{}", text?);
/// }
/// # Ok::<(), streaming_assistants_sync::Error>(())
/// ```
pub struct ResponsesConnection {
    client: Client,
    socket: Option<Socket>,
    core: Connection,
    options: WebSocketOptions,
    opened: u32,
}

impl ResponsesConnection {
    pub(crate) fn open(client: &Client, options: WebSocketOptions) -> Result<Self, Error> {
        let socket = connect(client, &options.limits)?;
        Ok(ResponsesConnection {
            client: client.clone(),
            socket: Some(socket),
            core: Connection::new(options.limits),
            options,
            opened: 1,
        })
    }

    /// Closes the socket with a normal close frame.
    pub fn close(mut self) -> Result<(), Error> {
        if let Some(mut socket) = self.socket.take() {
            let _ = socket.close(None);
            let _ = socket.flush();
        }
        Ok(())
    }

    /// Reads one message into the core. A timeout is the caller's error (the connection
    /// stays); any other failure ends the connection, which the core reports in each lane.
    fn read(&mut self) -> Result<(), Error> {
        let Some(socket) = self.socket.as_mut() else {
            self.core.ended(End::Dropped("the socket is closed".into()));
            return Ok(());
        };
        match socket.read() {
            Err(tungstenite::Error::Io(err))
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Err(Error::Timeout(None))
            }
            message => {
                self.take(Some(message));
                Ok(())
            }
        }
    }

    /// Between responses, takes in what already arrived without waiting: a close frame the
    /// server sent since (at the end of a connection's life, say) is then seen before the next
    /// create is written into a socket that is gone.
    fn take_arrived(&mut self) {
        if self.core.any_in_flight() {
            return;
        }
        let Some(tcp) = self.socket.as_ref().and_then(tcp_of) else {
            return;
        };
        if tcp.set_nonblocking(true).is_err() {
            return;
        }
        // `read` says `Timeout` when nothing is there (the socket would block).
        while self.socket.is_some() && self.read().is_ok() {}
        if let Some(tcp) = self.socket.as_ref().and_then(tcp_of) {
            let _ = tcp.set_nonblocking(false);
        }
    }
}

impl Iterator for LaneEvents<'_> {
    type Item = Result<ResponseEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        LaneEvents::next(self)
    }
}

impl Iterator for LaneText<'_> {
    type Item = Result<String, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        LaneText::next(self)
    }
}

impl<F: FnMut(&FunctionCall) -> String> Iterator for WebSocketToolLoop<'_, F> {
    type Item = Result<ResponseEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        WebSocketToolLoop::next(self)
    }
}

/// Opens the socket: TCP within the connect timeout, TLS for `wss`, then the core's upgrade
/// request (written here, not by tungstenite, which logs the request it writes: the key is in
/// it) and its answer; reads wait the idle timeout after that.
fn connect(client: &Client, limits: &Limits) -> Result<Socket, Error> {
    let key = tungstenite::handshake::client::generate_key();
    let upgrade = Upgrade::new(&client.config, &key).map_err(|e| Error::Transport(Box::new(e)))?;
    let timeouts = client.timeouts;
    let addrs = (upgrade.host.as_str(), upgrade.port)
        .to_socket_addrs()
        .map_err(|err| Error::Connect(Box::new(err)))?;
    let mut last = None;
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeouts.connect) {
            Ok(tcp) => {
                stream = Some(tcp);
                break;
            }
            Err(err) => last = Some(err),
        }
    }
    let Some(tcp) = stream else {
        let err = last.unwrap_or_else(|| std::io::Error::other("no address for the host"));
        return Err(Error::Connect(Box::new(err)));
    };
    let _ = tcp.set_nodelay(true);
    // The handshake must finish within the connect timeout; then reads wait the idle timeout.
    tcp.set_read_timeout(Some(timeouts.connect))
        .map_err(from_io)?;
    let mut stream = if upgrade.tls {
        let name = rustls::pki_types::ServerName::try_from(upgrade.host.clone())
            .map_err(|e| Error::Connect(Box::new(e)))?;
        let tls = rustls::ClientConnection::new(tls_config(), name)
            .map_err(|e| Error::Connect(Box::new(e)))?;
        MaybeTlsStream::Rustls(rustls::StreamOwned::new(tls, tcp))
    } else {
        MaybeTlsStream::Plain(tcp)
    };
    let ahead = handshake(&mut stream, &upgrade, &key)?;
    let config = socket_config(limits);
    let socket = WebSocket::from_partially_read(stream, ahead, Role::Client, Some(config));
    set_idle(&socket, timeouts.idle)?;
    Ok(socket)
}

fn set_idle(socket: &Socket, idle: Duration) -> Result<(), Error> {
    match tcp_of(socket) {
        Some(tcp) => tcp.set_read_timeout(Some(idle)).map_err(from_io),
        None => Ok(()),
    }
}

/// The TCP socket under the WebSocket.
fn tcp_of(socket: &Socket) -> Option<&TcpStream> {
    match socket.get_ref() {
        MaybeTlsStream::Plain(tcp) => Some(tcp),
        MaybeTlsStream::Rustls(tls) => Some(tls.get_ref()),
        _ => None,
    }
}

/// An I/O error of the handshake (the read timeout is the connect timeout there).
fn io_error(err: std::io::Error) -> Error {
    from_io(err)
}

/// tungstenite's error on a write as the one error.
fn ws_error(err: tungstenite::Error) -> Error {
    match err {
        tungstenite::Error::Io(err) => from_io(err),
        err => Error::Transport(Box::new(err)),
    }
}
