//! The only reader of stdin: secrets from a pipe (trimmed; empty or multi-line input refused) or
//! from a hidden prompt when stdin is a terminal. Never prompts when stdin is not a terminal.

use std::io::{IsTerminal, Read};

use crate::secret::Secret;

/// Secrets are short; more than this on stdin is a mistake (a file piped in by accident).
const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// Why no usable secret was read. Never contains the input.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(
        "no {what} on stdin (it was empty). Pipe it in, e.g. `printenv OPENAI_API_KEY | codex-creds login --with-api-key`"
    )]
    Empty { what: &'static str },
    #[error("the {what} on stdin spans several lines; pipe exactly one line (nothing was saved)")]
    MultiLine { what: &'static str },
    #[error(
        "the {what} on stdin is longer than {MAX_SECRET_BYTES} bytes; pipe only the {what} (nothing was saved)"
    )]
    TooLong { what: &'static str },
    #[error("the {what} on stdin is not valid UTF-8 (nothing was saved)")]
    NotUtf8 { what: &'static str },
    #[error("cannot read the {what}: {source}")]
    Io {
        what: &'static str,
        source: std::io::Error,
    },
}

/// Reads one secret: from the terminal with a hidden prompt, else all of stdin.
pub fn read_secret(what: &'static str) -> Result<Secret, InputError> {
    let raw = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Paste the {what} (input is hidden): "))
            .map_err(|source| InputError::Io { what, source })?
    } else {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_SECRET_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| InputError::Io { what, source })?;
        if bytes.len() as u64 > MAX_SECRET_BYTES {
            return Err(InputError::TooLong { what });
        }
        String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { what })?
    };
    validate(&raw, what)
}

/// Reads one line of stdin (the app-server's protocol): `None` at end of input. Invalid UTF-8
/// is replaced, never fatal: the caller answers a malformed line and goes on.
pub fn protocol_line(stdin: &mut impl std::io::BufRead) -> Option<String> {
    let mut bytes = Vec::new();
    match stdin.read_until(b'\n', &mut bytes) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(
            String::from_utf8_lossy(&bytes)
                .trim_end_matches(['\n', '\r'])
                .to_owned(),
        ),
    }
}

/// Reads a whole document (an auth.json) from stdin, as bounded as a secret. Never prompts: a
/// terminal on stdin counts as empty.
pub fn read_document(what: &'static str) -> Result<Vec<u8>, InputError> {
    let max = MAX_SECRET_BYTES;
    if std::io::stdin().is_terminal() {
        return Err(InputError::Empty { what });
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Io { what, source })?;
    if bytes.len() as u64 > max {
        return Err(InputError::TooLong { what });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty { what });
    }
    Ok(bytes)
}

/// Trims the outer whitespace and refuses empty or multi-line values.
pub fn validate(raw: &str, what: &'static str) -> Result<Secret, InputError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(InputError::Empty { what });
    }
    if trimmed.contains(['\n', '\r']) {
        return Err(InputError::MultiLine { what });
    }
    Ok(Secret::new(trimmed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_refuses_bad_input() {
        assert_eq!(validate("  sk-1\n", "API key").unwrap().expose(), "sk-1");
        assert!(matches!(
            validate(" \n\t", "API key"),
            Err(InputError::Empty { .. })
        ));
        assert!(matches!(
            validate("a\nb", "API key"),
            Err(InputError::MultiLine { .. })
        ));
        assert!(matches!(
            validate("a\r\nb\n", "API key"),
            Err(InputError::MultiLine { .. })
        ));
    }
}
