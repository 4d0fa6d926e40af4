//! The atomic writer of auth.json: a temp file 0600 in the same directory, fsync, rename, fsync
//! the directory. It refuses targets Codex would not replace, and a failure leaves the old file.
//! Outside CODEX_HOME (a symlinked auth.json's target, say in the user's home) it changes no
//! mode and deletes nothing: only the target is replaced (issue 8 item 6).

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::not_a_file;
use crate::storage::StoreError;

/// Prefix of our temp files; strays (from a killed process) in CODEX_HOME are swept at the next
/// save.
const TEMP_PREFIX: &str = ".codex-creds-auth-";
/// Codex's temp files are `.auth-XXXXXX` (spec §0).
const CODEX_TEMP_PREFIX: &str = ".auth-";

/// Replaces `target` with `bytes` atomically. The caller holds the commit lock. `home` is
/// CODEX_HOME: only a directory inside it is tightened to 0700 and swept of stale temp files.
pub(super) fn replace(home: &Path, target: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = target.parent().ok_or_else(|| StoreError::Refused {
        path: target.to_path_buf(),
        reason: "has no parent directory".to_owned(),
    })?;
    let write_error = |source| StoreError::Write {
        path: target.to_path_buf(),
        source,
    };
    create_dir(dir).map_err(write_error)?;
    let ours = is_inside(dir, home);
    if ours {
        tighten_dir(dir).map_err(write_error)?;
    }
    check_replaceable(target)?;
    if ours {
        sweep_stale_temp_files(dir);
    }
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .rand_bytes(8)
        .tempfile_in(dir)
        .map_err(write_error)?;
    set_private(temp.as_file()).map_err(write_error)?;
    temp.write_all(bytes).map_err(write_error)?;
    temp.as_file().sync_all().map_err(write_error)?;
    // On failure the temp file is removed when `temp` drops; the old file is untouched.
    temp.persist(target).map_err(|err| write_error(err.error))?;
    sync_dir(dir).map_err(write_error)
}

/// Codex refuses to replace hard-linked or read-only credential files (spec §3.1).
fn check_replaceable(target: &Path) -> Result<(), StoreError> {
    let Ok(meta) = fs::metadata(target) else {
        return Ok(());
    };
    if meta.is_dir() {
        return Err(not_a_file(target, "is a directory"));
    }
    if !meta.is_file() {
        return Err(not_a_file(
            target,
            "is not a regular file (a FIFO, socket or device)",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if meta.nlink() > 1 {
            return Err(StoreError::Refused {
                path: target.to_path_buf(),
                reason: "is hard-linked; an atomic replace would split the links. Remove the other links first"
                    .to_owned(),
            });
        }
        if meta.permissions().mode() & 0o200 == 0 {
            return Err(StoreError::Refused {
                path: target.to_path_buf(),
                reason: "is read-only; make it writable (chmod u+w) to replace it".to_owned(),
            });
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    Ok(())
}

/// Creates `dir` (0700) when it is missing, as Codex does (spec §3.1 step 3); an existing one
/// is left as it is.
fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Whether `dir` is CODEX_HOME or below it, compared on canonical paths (a symlinked target
/// may reach back inside through another name). Unknown counts as outside: then nothing is
/// changed. Both sides in std's form (verbatim on Windows): compared, never shown.
fn is_inside(dir: &Path, home: &Path) -> bool {
    match (dir.canonicalize(), home.canonicalize()) {
        (Ok(dir), Ok(home)) => dir.starts_with(home),
        _ => false,
    }
}

/// Tightens a directory of ours that others can read to 0700.
fn tighten_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::metadata(dir)?;
        if meta.permissions().mode() & 0o077 != 0 && is_owned_by_us(&meta) {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(unix)]
fn is_owned_by_us(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

/// 0600 on Unix. Windows has no mode to set, and no ACL code here: a file under
/// %USERPROFILE%\.codex inherits that profile's ACL, which already restricts it to the user.
fn set_private(file: &fs::File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

pub(super) fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Under the commit lock no cooperating writer is mid-save, so any temp file left in the
/// directory belongs to a process that died; remove ours and Codex's (`.auth-XXXXXX`). Only in
/// CODEX_HOME: elsewhere a file with such a name may be anyone's.
fn sweep_stale_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name.starts_with(TEMP_PREFIX);
        let codex = name.len() == CODEX_TEMP_PREFIX.len() + 6
            && name.starts_with(CODEX_TEMP_PREFIX)
            && name[CODEX_TEMP_PREFIX.len()..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric());
        if (ours || codex) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}
