//! `codex-creds completion <shell>`: prints the completion script generated from the clap tree.

use crate::cli::{CompletionArgs, command};
use crate::output::Output;

pub fn run(args: &CompletionArgs, _out: &Output) {
    let mut cmd = command();
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "codex-creds", &mut buffer);
    let mut stdout = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut stdout, &buffer);
}
