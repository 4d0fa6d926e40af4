//! The checked-in completions (`completions/`) and man pages (`man/`) match what the clap tree
//! generates. On a mismatch the test names the stale files and the command that rewrites them:
//! `CODEX_CREDS_UPDATE_GENERATED=1 cargo test --test cli generated`.

use std::path::{Path, PathBuf};

use clap_complete::Shell;
use clap_mangen::roff::{Roff, bold, roman};
use codex_creds::error::{EXIT_CODES, exit_code_help};

use crate::support::{TestHome, run};

const UPDATE_VAR: &str = "CODEX_CREDS_UPDATE_GENERATED";
const UPDATE_COMMAND: &str = "CODEX_CREDS_UPDATE_GENERATED=1 cargo test --test cli generated";
const BIN: &str = "codex-creds";

/// The completion script file name for each shell (as shells look them up).
const COMPLETIONS: [(Shell, &str); 5] = [
    (Shell::Bash, "codex-creds.bash"),
    (Shell::Zsh, "_codex-creds"),
    (Shell::Fish, "codex-creds.fish"),
    (Shell::Elvish, "codex-creds.elv"),
    (Shell::PowerShell, "_codex-creds.ps1"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn completion(shell: Shell) -> Vec<u8> {
    let mut cmd = codex_creds::cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut out);
    out
}

/// The exit-code table as a man-page section (clap_mangen would run `after_long_help` together
/// into one paragraph under "EXTRA").
fn exit_status_section() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_CODES {
        roff.control("TP", []);
        roff.text([bold(code.to_string())]);
        roff.text([roman(*meaning)]);
    }
    roff
}

/// One page: clap_mangen's sections, with EXIT STATUS in place of the raw after-help text.
fn man_page(cmd: &clap::Command) -> Vec<u8> {
    // Every page names the package and version (subcommands carry no version of their own).
    let man = clap_mangen::Man::new(cmd.clone())
        .source(format!("{BIN} {}", env!("CARGO_PKG_VERSION")))
        .manual("codex-creds manual");
    let mut out = Vec::new();
    man.render_title(&mut out).unwrap();
    man.render_name_section(&mut out).unwrap();
    man.render_synopsis_section(&mut out).unwrap();
    man.render_description_section(&mut out).unwrap();
    if cmd.get_arguments().any(|arg| !arg.is_hide_set()) {
        man.render_options_section(&mut out).unwrap();
    }
    if cmd.get_subcommands().any(|sub| !sub.is_hide_set()) {
        man.render_subcommands_section(&mut out).unwrap();
    }
    exit_status_section().to_writer(&mut out).unwrap();
    if cmd.get_version().is_some() {
        man.render_version_section(&mut out).unwrap();
    }
    out
}

/// `man/codex-creds.1` and `man/codex-creds-<sub>.1` for every visible subcommand.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut cmd = codex_creds::cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![(format!("{BIN}.1"), man_page(&cmd))];
    for sub in cmd.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        pages.push((format!("{BIN}-{}.1", sub.get_name()), man_page(sub)));
    }
    pages
}

fn expected_files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = COMPLETIONS
        .iter()
        .map(|(shell, name)| (Path::new("completions").join(name), completion(*shell)))
        .collect();
    for (name, bytes) in man_pages() {
        files.push((Path::new("man").join(name), bytes));
    }
    files
}

fn update_requested() -> bool {
    std::env::var_os(UPDATE_VAR).is_some_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn generated_files_are_up_to_date() {
    let expected = expected_files();
    if update_requested() {
        for dir in ["completions", "man"] {
            let dir = root().join(dir);
            // Pages of removed subcommands go too.
            if dir.exists() {
                std::fs::remove_dir_all(&dir).unwrap();
            }
            std::fs::create_dir_all(&dir).unwrap();
        }
        for (path, bytes) in &expected {
            std::fs::write(root().join(path), bytes).unwrap();
        }
        return;
    }
    let mut stale: Vec<String> = expected
        .iter()
        .filter(|(path, bytes)| std::fs::read(root().join(path)).ok().as_ref() != Some(bytes))
        .map(|(path, _)| format!("  {} (stale or missing)", path.display()))
        .collect();
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root().join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = Path::new(dir).join(entry.file_name());
            if !expected.iter().any(|(known, _)| *known == path) {
                stale.push(format!("  {} (no longer generated)", path.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are out of date:\n{}\nRegenerate them with:\n  {UPDATE_COMMAND}\n",
        stale.join("\n")
    );
}

#[test]
fn man_pages_document_the_exit_codes() {
    let pages = man_pages();
    assert!(pages.len() >= 8, "top page + one per subcommand");
    for (name, bytes) in &pages {
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(".SH \"EXIT STATUS\""), "{name}");
        assert!(text.contains("re\\-login required"), "{name}:\n{text}");
        assert!(!text.contains(".SH EXTRA"), "{name}");
    }
    let login = &pages
        .iter()
        .find(|(name, _)| name == "codex-creds-login.1")
        .expect("a login page")
        .1;
    let login = String::from_utf8_lossy(login);
    assert!(login.contains("codex\\-creds\\-login") && login.contains("with\\-api\\-key"));
}

#[test]
fn completion_command_prints_the_checked_in_scripts() {
    let home = TestHome::new();
    for (shell, name) in COMPLETIONS {
        let out = run(home.cmd().args(["completion", &shell.to_string()]));
        assert_eq!(out.code, 0, "{out:?}");
        assert_eq!(out.stdout.as_bytes(), completion(shell), "{name}");
    }
    assert!(
        home.files().is_empty(),
        "completion reads and writes nothing"
    );
}

#[test]
fn help_shows_the_exit_codes() {
    let home = TestHome::new();
    let out = run(home.cmd().arg("--help"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(&exit_code_help()), "{out:?}");
    let out = run(home.cmd().arg("--version"));
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        format!("codex-creds {}\n", env!("CARGO_PKG_VERSION"))
    );
}

const EXIT_CODES_BEGIN: &str = "<!-- exit codes: generated from src/error.rs EXIT_CODES -->\n";
const EXIT_CODES_END: &str = "<!-- end of exit codes -->\n";

/// README's exit-code table, rendered from the one table in `src/error.rs`.
fn readme_exit_codes() -> String {
    let mut table = String::from("| code | meaning |\n|---|---|\n");
    for (code, meaning) in EXIT_CODES {
        table.push_str(&format!("| {code} | {} |\n", meaning.replace('|', "\\|")));
    }
    table
}

#[test]
fn readme_exit_codes_come_from_the_one_table() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (before, rest) = readme
        .split_once(EXIT_CODES_BEGIN)
        .expect("README.md has the exit-code table markers");
    let (current, after) = rest.split_once(EXIT_CODES_END).expect("end marker");
    let expected = readme_exit_codes();
    if update_requested() {
        let updated = format!("{before}{EXIT_CODES_BEGIN}{expected}{EXIT_CODES_END}{after}");
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        current, expected,
        "README's exit codes are stale; regenerate with:\n  {UPDATE_COMMAND}"
    );
}
