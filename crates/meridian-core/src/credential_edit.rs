//! Editing and rotating a saved credential. An edit changes only what is
//! not secret (its name, a community's version, a v3 user name); a rotation
//! replaces only the secret and keeps the kind and protocols, so the
//! credential id (and every device that uses it) stays.

use serde::Deserialize;
use ts_rs::TS;

use crate::credential::{secret, CredentialSummary, SnmpCredential, SnmpVersion, UsmUser, PASSPHRASE_MIN};
use crate::error::CoreError;
use crate::validate::{Checker, NAME_MAX};

/// The non-secret fields of a credential to change; `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct CredentialPatch {
    pub name: Option<String>,
    /// v1 or v2c, for a community credential only.
    pub version: Option<SnmpVersion>,
    /// The USM user name, for a v3 credential only.
    pub user: Option<String>,
}

/// A checked edit: the row's new non-secret fields.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialEdit {
    pub name: String,
    pub version: SnmpVersion,
    pub user: Option<String>,
}

/// The new secret of a credential, as typed: the community for v1/v2c, the
/// pass phrases (one for each protocol the credential has) for v3.
#[derive(Clone, Default, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct SecretInput {
    pub community: Option<String>,
    pub auth_pass: Option<String>,
    pub priv_pass: Option<String>,
}

impl std::fmt::Debug for SecretInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretInput(***)")
    }
}

/// Checks an edit of `c`; every bad field is reported at once.
pub fn validate_edit(c: &CredentialSummary, p: &CredentialPatch) -> Result<CredentialEdit, CoreError> {
    let mut k = Checker::new();
    let name = match &p.name {
        Some(n) => k.text("name", n, NAME_MAX),
        None => c.name.clone(),
    };
    let version = match (c.version, p.version) {
        (v, None) => v,
        (SnmpVersion::V3, Some(SnmpVersion::V3)) => SnmpVersion::V3,
        (SnmpVersion::V3, Some(_)) => {
            k.fail("version", "a v3 user cannot become a community; add a new credential instead");
            SnmpVersion::V3
        }
        (_, Some(SnmpVersion::V3)) => {
            k.fail("version", "a community cannot become a v3 user; add a new credential instead");
            c.version
        }
        (_, Some(v)) => v,
    };
    let user = match (&p.user, c.version) {
        (None, _) => c.user.clone(),
        (Some(u), SnmpVersion::V3) => Some(k.text("user", u, 32)),
        (Some(_), _) => {
            k.fail("user", "only a v3 credential has a user name");
            None
        }
    };
    k.finish(CredentialEdit { name, version, user })
}

/// Checks a new secret for `c`: the same kind and protocols, every secret
/// the kind needs, and none it does not have.
pub fn validate_rotation(c: &CredentialSummary, s: &SecretInput) -> Result<SnmpCredential, CoreError> {
    let mut k = Checker::new();
    let unused = |k: &mut Checker, field: &str, v: &Option<String>, why: &str| {
        if v.is_some() {
            k.fail(field, why.to_owned());
        }
    };
    let needed = |k: &mut Checker, field: &str, v: &Option<String>, min: usize| match v {
        Some(raw) => secret(k, field, raw, min),
        None => secret(k, field, "", min),
    };
    let cred = if c.version == SnmpVersion::V3 {
        unused(&mut k, "community", &s.community, "a v3 credential has no community");
        let auth = match c.auth_proto {
            Some(p) => Some((p, needed(&mut k, "authPass", &s.auth_pass, PASSPHRASE_MIN))),
            None => {
                unused(&mut k, "authPass", &s.auth_pass, "this user has no authentication protocol");
                None
            }
        };
        let privacy = match c.priv_proto {
            Some(p) => Some((p, needed(&mut k, "privPass", &s.priv_pass, PASSPHRASE_MIN))),
            None => {
                unused(&mut k, "privPass", &s.priv_pass, "this user has no privacy protocol");
                None
            }
        };
        if auth.is_none() && privacy.is_none() {
            k.fail("authPass", "a noAuthNoPriv user has no secret to rotate");
        }
        SnmpCredential::Usm(UsmUser { user: c.user.clone().unwrap_or_default(), auth, privacy })
    } else {
        unused(&mut k, "authPass", &s.auth_pass, "a community credential has no pass phrase");
        unused(&mut k, "privPass", &s.priv_pass, "a community credential has no pass phrase");
        SnmpCredential::Community { version: c.version, community: needed(&mut k, "community", &s.community, 1) }
    };
    k.finish(cred)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::{AuthProtocol, PrivProtocol};
    use crate::ids::CredentialId;

    fn summary(version: SnmpVersion) -> CredentialSummary {
        let v3 = version == SnmpVersion::V3;
        CredentialSummary {
            id: CredentialId(uuid::Uuid::nil()),
            name: "lab".into(),
            version,
            user: v3.then(|| "admin".into()),
            auth_proto: v3.then_some(AuthProtocol::Sha256),
            priv_proto: v3.then_some(PrivProtocol::Aes128),
            backend: "encrypted-file".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn fields(e: CoreError) -> Vec<String> {
        match e {
            CoreError::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn an_edit_changes_only_what_the_kind_has() {
        let c = summary(SnmpVersion::V2c);
        let p = CredentialPatch { name: Some(" core ".into()), version: Some(SnmpVersion::V1), user: None };
        let e = validate_edit(&c, &p).expect("ok");
        assert_eq!((e.name.as_str(), e.version, e.user), ("core", SnmpVersion::V1, None));
        let bad = CredentialPatch { name: Some(" ".into()), version: Some(SnmpVersion::V3), user: Some("x".into()) };
        assert_eq!(fields(validate_edit(&c, &bad).expect_err("bad")), ["name", "version", "user"]);
        let v3 = summary(SnmpVersion::V3);
        let e = validate_edit(&v3, &CredentialPatch { user: Some("ops".into()), ..Default::default() }).expect("ok");
        assert_eq!((e.name.as_str(), e.user.as_deref()), ("lab", Some("ops")));
        let down = CredentialPatch { version: Some(SnmpVersion::V2c), ..Default::default() };
        assert_eq!(fields(validate_edit(&v3, &down).expect_err("bad")), ["version"]);
    }

    #[test]
    fn a_rotation_needs_every_secret_of_the_kind_and_no_other() {
        let c = summary(SnmpVersion::V2c);
        let ok = SecretInput { community: Some("new-one".into()), ..Default::default() };
        match validate_rotation(&c, &ok).expect("ok") {
            SnmpCredential::Community { version, community } => {
                assert_eq!((version, community.expose()), (SnmpVersion::V2c, "new-one"))
            }
            other => panic!("{other:?}"),
        }
        let bad = SecretInput { community: None, auth_pass: Some("x".into()), priv_pass: None };
        assert_eq!(fields(validate_rotation(&c, &bad).expect_err("bad")), ["authPass", "community"]);

        let v3 = summary(SnmpVersion::V3);
        let short = SecretInput { auth_pass: Some("short".into()), ..Default::default() };
        assert_eq!(fields(validate_rotation(&v3, &short).expect_err("bad")), ["authPass", "privPass"]);
        let both = SecretInput {
            auth_pass: Some("authpass-2".into()),
            priv_pass: Some("privpass-2".into()),
            ..Default::default()
        };
        match validate_rotation(&v3, &both).expect("ok") {
            SnmpCredential::Usm(u) => {
                assert_eq!(u.user, "admin");
                assert_eq!(
                    u.auth.map(|(p, s)| (p, s.expose().to_owned())),
                    Some((AuthProtocol::Sha256, "authpass-2".into()))
                );
            }
            other => panic!("{other:?}"),
        }
        // Garbage never panics and never echoes the secret.
        let junk = SecretInput { community: Some("\u{0}\u{1b}[2J".repeat(200)), ..Default::default() };
        let e = validate_rotation(&c, &junk).expect_err("junk");
        assert!(!format!("{e:?}").contains("[2J"), "{e:?}");
    }
}
