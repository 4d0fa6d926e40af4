//! The real Codex CLI (npm `@openai/codex@0.169.0`, installed by `.ci/run` into
//! tests/harness/node_modules). Tests fail with an install hint when it is missing.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn binary() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/harness/node_modules/.bin/codex");
    assert!(
        path.exists(),
        "the Codex CLI is missing at {}; install it with `npm ci --prefix tests/harness` (see .ci/run)",
        path.display()
    );
    path
}

/// `codex` with a clean environment pointing at this CODEX_HOME.
pub fn cmd(home: &Path) -> Command {
    let mut cmd = Command::new(binary());
    super::clean_env(&mut cmd, home);
    cmd
}
