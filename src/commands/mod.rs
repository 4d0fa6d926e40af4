//! One module per subcommand. Commands take the [`crate::ctx::Ctx`] and their args, and return
//! `Ok` or an [`crate::error::Error`]; they never import each other.

pub(crate) mod account;
pub(crate) mod app_server;
pub(crate) mod completion;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod migrate;
pub(crate) mod refresh;
pub(crate) mod status;
pub(crate) mod token;
pub(crate) mod usage;
pub(crate) mod workspace;
