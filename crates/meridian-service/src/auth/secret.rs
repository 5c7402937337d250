//! Secrets: argon2id password hashes, and random 32-byte session, CSRF and
//! token secrets that are stored only as their SHA-256.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiErrorKind};

/// 32 random bytes, base64url without padding (43 characters).
pub(crate) fn random_secret() -> Result<String, ApiError> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("random source: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}

pub(crate) fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// argon2id (the crate's default parameters: 19 MiB, 2 passes), off the
/// async threads.
pub(crate) async fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt)
        .map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("random source: {e}")))?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&salt).map_err(internal)?;
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(internal)
    })
    .await?
}

/// False for a wrong password and for a stored hash that does not parse.
pub(crate) async fn verify_password(password: &str, hash: &str) -> Result<bool, ApiError> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    Ok(tokio::task::spawn_blocking(move || match PasswordHash::new(&hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(e) => {
            tracing::warn!(error = %e, "a stored password hash does not parse");
            false
        }
    })
    .await?)
}

fn internal(e: argon2::password_hash::Error) -> ApiError {
    ApiError::new(ApiErrorKind::Internal, format!("password hashing: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let h = hash_password("correct horse battery").await.expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery", &h).await.expect("verify"));
        assert!(!verify_password("wrong horse battery", &h).await.expect("verify"));
        assert!(!verify_password("x", "not a hash").await.expect("garbage hash is a mismatch"));
        let (a, b) = (random_secret().expect("a"), random_secret().expect("b"));
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(digest(&a).len(), 32);
    }
}
