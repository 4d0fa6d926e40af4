//! Lints as architecture, over the whole production code (every `#[cfg(test)]` item and test-only
//! file left out, nothing else):
//! - imports point down only: each module imports from the layers below its own, as listed once
//!   in `src/lib.rs`;
//! - IO stays at the edges: printing only in output.rs, and the calls `clippy.toml` bans
//!   (environment, clock, exit, sleep, fs::write) are really banned there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`.
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

/// `text` without comments (line, doc and block) and without string literals' contents, so a
/// pattern in a comment or a message does not count.
fn strip_comments_and_strings(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == '*' && bytes[i + 1] == '/') {
                if bytes[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                if bytes[i] == '\\' {
                    i += 1;
                }
                if bytes.get(i) == Some(&'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            out.push('"');
            i += 1;
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !i
                .checked_sub(1)
                .is_some_and(|p| bytes[p].is_alphanumeric() || bytes[p] == '_')
        {
            // A raw string: r"…", r#"…"#.
            let hashes = bytes[i + 1..].iter().take_while(|c| **c == '#').count();
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            i += 2 + hashes;
            out.push_str("\"\"");
            while i < bytes.len() && !bytes[i..].iter().collect::<String>().starts_with(&close) {
                if bytes[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += close.chars().count();
        } else if c == '\'' && next == Some('\\') {
            // An escaped char literal: '\'', '\"', '\n', '\u{1b}'.
            i += 2;
            while i < bytes.len() && bytes[i] != '\'' {
                i += 1;
            }
            out.push_str("' '");
            i += 1;
        } else if c == '\'' && next.is_some() && bytes.get(i + 2) == Some(&'\'') {
            // A char literal such as '"' or '{'.
            out.push_str("' '");
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The production part of a file: every item behind `#[cfg(test)]` (or `cfg(all(test, …))`)
/// removed, whether a `mod x { … }` block, a `mod x;` declaration or a function. Line breaks are
/// kept, so line numbers stay right.
fn production_code(text: &str) -> String {
    let code = strip_comments_and_strings(text);
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 24)].iter().collect();
        if rest.starts_with("#[cfg(test)]") || rest.starts_with("#[cfg(all(test") {
            // Skip the attribute, then the item: up to its `;`, or its matching `}`.
            let mut depth = 0usize;
            let mut in_attr = true;
            while i < chars.len() {
                let c = chars[i];
                if c == '\n' {
                    out.push('\n');
                }
                i += 1;
                if in_attr {
                    if c == ']' {
                        in_attr = false;
                    }
                    continue;
                }
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ';' if depth == 0 => break,
                    _ => {}
                }
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Files compiled only for tests: the targets of `#[cfg(test)] mod x;` declarations.
fn test_only_files(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut test_only = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let dir = match file.file_name().and_then(|n| n.to_str()) {
            Some("lib.rs" | "mod.rs" | "main.rs") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            let line = line.trim();
            if !(line.starts_with("#[cfg(test)]") || line.starts_with("#[cfg(all(test")) {
                continue;
            }
            let Some(item) = lines.peek() else { continue };
            let item = item.trim();
            let Some(name) = item
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ")
                .strip_prefix("mod ")
                .and_then(|rest| rest.strip_suffix(';'))
            else {
                continue;
            };
            test_only.insert(dir.join(format!("{name}.rs")));
            test_only.insert(dir.join(name).join("mod.rs"));
        }
    }
    test_only
}

/// The production files of the crate, with their production code, as (`src/…` path, code).
fn production_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    let test_only = test_only_files(&files);
    let mut production = Vec::new();
    for file in &files {
        let inside_test_only = test_only
            .iter()
            .any(|t| file == t || file.starts_with(t.with_extension("")));
        if inside_test_only {
            continue;
        }
        let relative = file
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap();
        production.push((relative, production_code(&text)));
    }
    production
}

#[test]
fn production_code_keeps_what_tests_do_not_need() {
    let text = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { let s = \"}\"; }\n}\nfn c() {} // println!\n#[cfg(test)]\nmod fake;\nfn d() {}\n";
    let code = production_code(text);
    assert!(code.contains("fn a()") && code.contains("fn c()") && code.contains("fn d()"));
    assert!(!code.contains("fn b()") && !code.contains("println") && !code.contains("fake"));
    assert_eq!(
        code.lines().count(),
        text.lines().count(),
        "line numbers kept"
    );
}

#[test]
fn the_whole_production_code_is_checked() {
    let files = production_files();
    let names: Vec<_> = files.iter().map(|(name, _)| name.as_str()).collect();
    // Files with production code after their first `#[cfg(test)]` are checked too.
    for expected in [
        "src/refresh.rs",
        "src/auth_json.rs",
        "src/storage/mod.rs",
        "src/storage/keyring.rs",
    ] {
        assert!(names.contains(&expected), "{expected} missing: {names:?}");
    }
    for test_only in [
        "src/refresh/tests.rs",
        "src/storage/keyring/fake.rs",
        "src/proptests.rs",
    ] {
        assert!(!names.contains(&test_only), "{test_only} is test-only");
    }
    let (_, storage) = files
        .iter()
        .find(|(n, _)| n == "src/storage/mod.rs")
        .unwrap();
    assert!(
        storage.contains("pub trait CredentialStore"),
        "code after the first #[cfg(test)] is kept"
    );
}

/// (what is searched, files allowed to contain it, why).
const PRINTING: &[(&str, &[&str], &str)] = &[
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
    (
        "print!",
        &["src/output.rs"],
        "output.rs is the only module that prints",
    ),
    ("dbg!", &[], "no debugging output in production"),
];

#[test]
fn only_output_prints() {
    let mut violations = Vec::new();
    for (file, code) in production_files() {
        for (pattern, allowed, why) in PRINTING {
            if allowed.contains(&file.as_str()) {
                continue;
            }
            for (number, line) in code.lines().enumerate() {
                if line.contains(pattern) {
                    violations.push(format!("{file}:{}: `{pattern}`: {why}", number + 1));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The calls that only the modules owning them may make. `clippy.toml` bans them
/// (`disallowed-methods`), and each allowed use carries `#[allow(clippy::disallowed_methods)]`.
const BANNED: &[&str] = &[
    "std::env::var",
    "std::env::var_os",
    "std::env::vars",
    "std::env::vars_os",
    "std::fs::write",
    "std::process::exit",
    "std::thread::sleep",
    "chrono::Utc::now",
];

#[test]
fn clippy_bans_the_io_calls_outside_their_modules() {
    let config = std::fs::read_to_string(root().join("clippy.toml")).unwrap();
    for path in BANNED {
        assert!(
            config.contains(&format!("path = \"{path}\"")),
            "clippy.toml does not ban {path}"
        );
    }
    // Where a use is allowed, the allowance is local: never for a whole file or crate.
    for (file, code) in production_files() {
        for (number, line) in code.lines().enumerate() {
            assert!(
                !line.contains("#![allow(clippy::disallowed_methods)]"),
                "{file}:{}: allow disallowed_methods on the item that needs it, not the module",
                number + 1
            );
        }
    }
}

/// The layers as `src/lib.rs` lists them: module name → layer number (1 is the top).
fn layers() -> BTreeMap<String, usize> {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let mut layers = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("//! ") else {
            continue;
        };
        let Some((number, rest)) = rest.split_once(". ") else {
            continue;
        };
        let Ok(number) = number.trim().parse::<usize>() else {
            continue;
        };
        let names = rest.split(':').next().unwrap_or_default();
        for name in names.split(',') {
            let name = name.trim().trim_matches('`');
            if !name.is_empty() {
                layers.insert(name.to_owned(), number);
            }
        }
    }
    layers
}

/// The top-level module a `src/…` file belongs to.
fn top_module(file: &str) -> Option<String> {
    let rest = file.strip_prefix("src/")?;
    let first = rest.split('/').next()?;
    let name = first.trim_end_matches(".rs");
    (!matches!(name, "lib" | "main")).then(|| name.to_owned())
}

#[test]
fn imports_point_down_only() {
    let layers = layers();
    assert!(layers.len() > 10, "src/lib.rs lists the layers: {layers:?}");
    let mut violations = Vec::new();
    for (file, code) in production_files() {
        let Some(module) = top_module(&file) else {
            continue;
        };
        let Some(&own) = layers.get(&module) else {
            violations.push(format!(
                "{file}: module `{module}` is in no layer of src/lib.rs"
            ));
            continue;
        };
        let mut imported = BTreeSet::new();
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            imported.insert(name);
        }
        for group in code.split("use crate::{").skip(1) {
            let inside = group.split('}').next().unwrap_or_default();
            for part in inside.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                imported.insert(name);
            }
        }
        for name in imported {
            if name == module {
                continue;
            }
            let Some(&layer) = layers.get(&name) else {
                continue;
            };
            if layer <= own {
                violations.push(format!(
                    "{file}: `{module}` (layer {own}) imports `{name}` (layer {layer}), which is \
                     not below it"
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
