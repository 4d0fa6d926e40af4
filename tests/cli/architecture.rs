//! Lints as architecture: IO stays at the edges. Each rule names a call and the only files that
//! may make it; the test fails with the offending lines.

use std::path::{Path, PathBuf};

/// (what is searched, files allowed to contain it, why).
const RULES: &[(&str, &[&str], &str)] = &[
    (
        "std::env::var",
        &["src/env.rs", "src/logging.rs"],
        "read the environment once, in env.rs",
    ),
    (
        "env::var_os",
        &["src/env.rs", "src/logging.rs"],
        "read the environment once, in env.rs",
    ),
    (
        "process::exit",
        &[],
        "main.rs returns the exit code; nothing exits early",
    ),
    (
        "fs::write(",
        &[],
        "credentials are written atomically by storage::file",
    ),
    (
        "Utc::now()",
        &["src/ctx.rs"],
        "time is a parameter; Ctx::now is the one clock",
    ),
    (
        "println!",
        &["src/output.rs"],
        "output.rs is the only module that prints",
    ),
    (
        "eprintln!",
        &["src/output.rs"],
        "output.rs is the only module that prints",
    ),
];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The non-test part of a source file (unit tests sit in a trailing `mod tests`).
fn production_code(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

#[test]
fn io_stays_at_the_edges() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if relative == "src/proptests.rs" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (pattern, allowed, why) in RULES {
            if allowed.contains(&relative.as_str()) {
                continue;
            }
            for (number, line) in production_code(&text).lines().enumerate() {
                if line.contains(pattern) && !line.trim_start().starts_with("//") {
                    violations.push(format!(
                        "{relative}:{}: `{pattern}`: {why}\n    {}",
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
