//! The loopback callback server of the browser login (spec §5.2–§5.4), one job per file:
//! [`port`] binds 127.0.0.1 before the browser opens, [`server`] answers the browser and hands
//! the code to the login flow, [`pages`] renders what the browser is shown.

mod pages;
mod port;
mod server;

pub use pages::Page;
pub use port::{BindError, DEFAULT_PORT, PortChoice, bind};
pub use server::{CALLBACK_PATH, Callback, CallbackServer};
