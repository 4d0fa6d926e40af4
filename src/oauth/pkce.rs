//! PKCE (S256), `state` and `login_owner_id`: random values in Codex's sizes (spec §1.2, §5.3).
//!
//! Pure given the random bytes: the source is a parameter ([`Random`]), the OS in production.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::secret::Secret;

/// Where random bytes come from (the OS, or fixed bytes in tests).
pub trait Random {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), RandomError>;
}

/// The OS random source could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read random bytes from the operating system: {0}")]
pub struct RandomError(pub String);

/// The operating system's random source.
pub struct OsRandom;

impl Random for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), RandomError> {
        getrandom::fill(buf).map_err(|err| RandomError(err.to_string()))
    }
}

/// A PKCE pair: the verifier stays with us, the challenge goes into the authorize URL.
/// `Debug` shows the challenge (public) and redacts the verifier.
#[derive(Debug)]
pub struct Pkce {
    pub verifier: Secret,
    pub challenge: String,
}

impl Pkce {
    /// 64 random bytes, base64url without padding (86 characters), as Codex makes it.
    pub fn generate(random: &mut dyn Random) -> Result<Self, RandomError> {
        let verifier = URL_SAFE_NO_PAD.encode(bytes::<64>(random)?);
        Ok(Pkce::from_verifier(Secret::new(verifier)))
    }

    /// S256: base64url without padding of SHA-256(verifier).
    pub fn from_verifier(verifier: Secret) -> Self {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()));
        Pkce {
            verifier,
            challenge,
        }
    }
}

/// The `state` parameter: 32 random bytes, base64url without padding (43 characters).
pub fn state(random: &mut dyn Random) -> Result<String, RandomError> {
    Ok(URL_SAFE_NO_PAD.encode(bytes::<32>(random)?))
}

/// `tokens.login_owner_id`: 32 random bytes, base64url without padding, new at each login.
pub fn login_owner_id(random: &mut dyn Random) -> Result<String, RandomError> {
    Ok(URL_SAFE_NO_PAD.encode(bytes::<32>(random)?))
}

fn bytes<const N: usize>(random: &mut dyn Random) -> Result<[u8; N], RandomError> {
    let mut buf = [0u8; N];
    random.fill(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Deterministic bytes: 0, 1, 2, …
    pub(crate) struct Counting(pub u8);

    impl Random for Counting {
        fn fill(&mut self, buf: &mut [u8]) -> Result<(), RandomError> {
            for byte in buf {
                *byte = self.0;
                self.0 = self.0.wrapping_add(1);
            }
            Ok(())
        }
    }

    #[test]
    fn sizes_match_codex() {
        let mut random = OsRandom;
        let pkce = Pkce::generate(&mut random).unwrap();
        assert_eq!(pkce.verifier.expose().len(), 86);
        assert_eq!(pkce.challenge.len(), 43);
        assert_eq!(state(&mut random).unwrap().len(), 43);
        assert_eq!(login_owner_id(&mut random).unwrap().len(), 43);
    }

    #[test]
    fn challenge_is_rfc7636_s256() {
        // Expected value from `openssl dgst -sha256 -binary | base64url`.
        let pkce = Pkce::from_verifier(Secret::new("dBjftJeZ4CK-P0rTcqbj0S-z-R6jS6QMJgeaOD0sxJk"));
        assert_eq!(
            pkce.challenge,
            "FROprQR8bgm4Z-Fk73qu5aJKhpiWTt9wz6nar6ss4JE"
        );
    }

    #[test]
    fn values_come_from_the_given_source() {
        let a = state(&mut Counting(0)).unwrap();
        let b = state(&mut Counting(0)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, state(&mut Counting(1)).unwrap());
        assert!(!a.contains('=') && !a.contains('+') && !a.contains('/'));
    }
}
