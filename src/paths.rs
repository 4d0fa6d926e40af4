//! Where things live: CODEX_HOME (flag > env > ~/.codex) and the files inside it.
//!
//! A missing CODEX_HOME is not an error here: read commands treat it as "not logged in", and
//! only writers create it (0700) through [`CodexHome::create`].

use std::io;
use std::path::{Path, PathBuf};

/// Codex's credential file.
pub const AUTH_JSON: &str = "auth.json";
/// Codex's configuration file.
pub const CONFIG_TOML: &str = "config.toml";
/// Codex's cross-process auth-state lock (spec §3.1).
pub const AUTH_LOCK: &str = "auth.lock";
/// Our own lock that serialises refreshes across codex-creds processes (single flight).
pub const REFRESH_LOCK: &str = "codex-creds-refresh.lock";

/// The resolved Codex home directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodexHome {
    dir: PathBuf,
}

impl CodexHome {
    /// Resolves the home from the `--codex-home` flag, then `CODEX_HOME`, then `~/.codex`
    /// (`%USERPROFILE%\.codex` on Windows, from `dirs::home_dir` as in Codex); a path that
    /// exists is canonicalised. On Windows the canonical path is kept in its normal form
    /// (`C:\...`, not the verbatim `\\?\C:\...` std returns), because it is what users see;
    /// the keyring account name re-derives Codex's verbatim form itself (`storage::keyring`).
    pub fn resolve(flag: Option<&Path>, env: Option<&std::ffi::OsStr>) -> io::Result<Self> {
        let dir = match (flag, env) {
            (Some(flag), _) => flag.to_path_buf(),
            (None, Some(env)) => PathBuf::from(env),
            (None, None) => dirs::home_dir()
                .ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::NotFound,
                        "cannot find the home directory; set CODEX_HOME or pass --codex-home",
                    )
                })?
                .join(".codex"),
        };
        let dir = absolute(&dir)?;
        let dir = dunce::canonicalize(&dir).unwrap_or(dir);
        // A missing home is fine (read commands: not logged in); a file in its place is not.
        if dir.exists() && !dir.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!(
                    "{} is not a directory; point --codex-home or CODEX_HOME at a directory",
                    dir.display()
                ),
            ));
        }
        Ok(CodexHome { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn exists(&self) -> bool {
        self.dir.is_dir()
    }

    pub fn auth_json(&self) -> PathBuf {
        self.dir.join(AUTH_JSON)
    }

    pub fn config_toml(&self) -> PathBuf {
        self.dir.join(CONFIG_TOML)
    }

    pub fn auth_lock(&self) -> PathBuf {
        self.dir.join(AUTH_LOCK)
    }

    pub fn refresh_lock(&self) -> PathBuf {
        self.dir.join(REFRESH_LOCK)
    }

    /// Creates the directory (0700) when it is missing, then re-canonicalises the path (normal
    /// form, as in [`CodexHome::resolve`]). On Windows there is no mode to set: a directory under
    /// %USERPROFILE% inherits its ACL, which already restricts it to the user.
    pub fn create(&mut self) -> io::Result<()> {
        if !self.exists() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(&self.dir)?;
        }
        if let Ok(canonical) = dunce::canonicalize(&self.dir) {
            self.dir = canonical;
        }
        Ok(())
    }
}

fn absolute(path: &Path) -> io::Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "CODEX_HOME is empty",
        ));
    }
    std::path::absolute(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_env() {
        let home = CodexHome::resolve(
            Some(Path::new("/nonexistent/flag")),
            Some(std::ffi::OsStr::new("/nonexistent/env")),
        )
        .unwrap();
        let flag = std::path::absolute("/nonexistent/flag").unwrap(); // C:\nonexistent\flag on Windows
        assert_eq!(home.dir(), flag);
        assert!(!home.exists());
    }

    #[test]
    fn a_file_is_not_a_home() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        std::fs::write(&file, "").unwrap();
        let err = CodexHome::resolve(Some(&file), None).unwrap_err();
        assert!(err.to_string().contains("is not a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn existing_home_is_canonicalised() {
        let tmp = tempfile::tempdir().unwrap();
        let link = tmp.path().join("link");
        std::fs::create_dir(tmp.path().join("real")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("real"), &link).unwrap();
        let home = CodexHome::resolve(None, Some(link.as_os_str())).unwrap();
        assert_eq!(home.dir(), tmp.path().join("real").canonicalize().unwrap());
    }

    /// Issue 13: on Windows std's canonical form is `\\?\C:\...`; users see `C:\...`.
    #[test]
    fn homes_are_shown_without_the_verbatim_prefix() {
        let tmp = tempfile::tempdir().unwrap();
        let existing = CodexHome::resolve(Some(tmp.path()), None).unwrap();
        let mut created = CodexHome::resolve(Some(&tmp.path().join("new")), None).unwrap();
        created.create().unwrap();
        for home in [&existing, &created] {
            let shown = home.dir().to_string_lossy().into_owned();
            assert!(!shown.starts_with(r"\\?\"), "{shown}");
            assert!(!home.auth_json().to_string_lossy().starts_with(r"\\?\"));
        }
        let canonical = std::fs::canonicalize(tmp.path()).unwrap();
        assert_eq!(existing.dir(), dunce::simplified(&canonical));
        assert_eq!(created.dir(), dunce::simplified(&canonical).join("new"));
    }

    #[cfg(unix)]
    #[test]
    fn create_makes_a_private_directory() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let mut home = CodexHome::resolve(Some(&tmp.path().join("a/b")), None).unwrap();
        home.create().unwrap();
        let mode = std::fs::metadata(home.dir()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
