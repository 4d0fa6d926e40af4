//! The `codex-creds` binary: a thin shell around [`codex_creds::run`], and the only place that exits.

use std::process::ExitCode;

fn main() -> ExitCode {
    codex_creds::run(std::env::args_os())
}
