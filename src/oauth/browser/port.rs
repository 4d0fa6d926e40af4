//! Choosing and binding the callback port (spec §5.2), always on 127.0.0.1 and before the
//! browser opens: an explicit port is used or the login fails; the default is 1455, then 1457,
//! each after asking a stale login server on it to stop (`GET /cancel`), as Codex does.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// Codex's registered callback ports (spec §5.2).
pub const DEFAULT_PORT: u16 = 1455;
pub const FALLBACK_PORT: u16 = 1457;
const CANCEL_TIMEOUT: Duration = Duration::from_secs(2);
const BIND_RETRIES: u32 = 10;
const BIND_RETRY_DELAY: Duration = Duration::from_millis(200);

/// Which port to listen on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortChoice {
    /// 1455, else 1457.
    Default,
    /// Exactly this port, or fail.
    Exact(u16),
}

/// The callback port could not be bound or served. Kept typed up to `Error::Bind`.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    #[error(
        "port 127.0.0.1:{port} is already in use{also}, so the sign-in callback cannot be received. \
         Close the program using it (another login?) or choose a free port with `--port N`"
    )]
    Busy { port: u16, also: String },
    #[error("cannot listen on 127.0.0.1:{port} for the sign-in callback: {source}")]
    Io {
        port: u16,
        #[source]
        source: std::io::Error,
    },
}

/// A bound callback listener, and whether the default port had to give way to the fallback.
pub struct Bound {
    pub listener: TcpListener,
    pub port: u16,
    pub used_fallback: bool,
}

/// Binds the callback port (spec §5.2): on "address in use", asks a previous login server there
/// to cancel and retries for about 2 s; the default port falls back to 1457.
pub fn bind(choice: PortChoice) -> Result<Bound, BindError> {
    match choice {
        PortChoice::Exact(port) => bind_with_cancel(port).map(|listener| Bound {
            port: port_of(&listener, port),
            listener,
            used_fallback: false,
        }),
        PortChoice::Default => match bind_with_cancel(DEFAULT_PORT) {
            Ok(listener) => Ok(Bound {
                listener,
                port: DEFAULT_PORT,
                used_fallback: false,
            }),
            Err(BindError::Busy { .. }) => match bind_with_cancel(FALLBACK_PORT) {
                Ok(listener) => Ok(Bound {
                    listener,
                    port: FALLBACK_PORT,
                    used_fallback: true,
                }),
                Err(BindError::Busy { port, .. }) => Err(BindError::Busy {
                    port,
                    also: format!(" (as is the default port {DEFAULT_PORT})"),
                }),
                Err(other) => Err(other),
            },
            Err(other) => Err(other),
        },
    }
}

fn port_of(listener: &TcpListener, asked: u16) -> u16 {
    listener.local_addr().map(|a| a.port()).unwrap_or(asked)
}

#[allow(clippy::disallowed_methods)] // waits for the old server to release the port
fn bind_with_cancel(port: u16) -> Result<TcpListener, BindError> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut cancelled = false;
    let mut attempt = 0;
    loop {
        match TcpListener::bind(addr) {
            Ok(listener) => return Ok(listener),
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => {
                if !cancelled {
                    send_cancel(addr);
                    cancelled = true;
                }
                if attempt >= BIND_RETRIES {
                    return Err(BindError::Busy {
                        port,
                        also: String::new(),
                    });
                }
                attempt += 1;
                std::thread::sleep(BIND_RETRY_DELAY);
            }
            Err(source) => return Err(BindError::Io { port, source }),
        }
    }
}

/// Asks a stale Codex or codex-creds login server on this port to stop (best effort). The
/// `Host` is the one a callback server accepts (see `server`).
fn send_cancel(addr: SocketAddr) {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, CANCEL_TIMEOUT) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(CANCEL_TIMEOUT));
    let _ = stream.set_write_timeout(Some(CANCEL_TIMEOUT));
    let request = format!("GET /cancel HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut sink = [0u8; 512];
        let _ = stream.read(&mut sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exact_busy_port_is_an_error_naming_it() {
        let holder = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = holder.local_addr().unwrap().port();
        let err = match bind(PortChoice::Exact(port)) {
            Err(err) => err,
            Ok(_) => panic!("bound a busy port"),
        };
        assert!(matches!(err, BindError::Busy { port: p, .. } if p == port));
        assert!(
            err.to_string().contains(&format!("127.0.0.1:{port}")),
            "{err}"
        );
        assert!(err.to_string().contains("--port"), "{err}");
    }
}
