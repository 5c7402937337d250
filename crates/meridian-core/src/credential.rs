//! SNMP credentials. The secret parts (communities, pass phrases) are held in
//! [`Secret`], which has no `Serialize` and prints as `***`, so a secret can
//! reach a log line, a JSON reply or a sync payload only by an explicit
//! `expose()`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

use crate::error::CoreError;
use crate::ids::CredentialId;
use crate::validate::{Checker, NAME_MAX};

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Zeroed when dropped, so a community or pass phrase does not linger in
/// freed memory.
impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SnmpVersion {
    V1,
    V2c,
    V3,
}

impl SnmpVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V2c => "v2c",
            Self::V3 => "v3",
        }
    }
}

impl FromStr for SnmpVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "v1" => Ok(Self::V1),
            "v2c" => Ok(Self::V2c),
            "v3" => Ok(Self::V3),
            _ => Err(format!("unknown SNMP version '{s}'")),
        }
    }
}

/// Parses case-insensitively from the spellings net-snmp and vendors use.
macro_rules! proto_enum {
    ($name:ident, $what:literal, { $($var:ident => $canon:literal $(| $alias:literal)*),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
        pub enum $name { $(#[serde(rename = $canon)] $var),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$var),+];
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$var => $canon),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let norm = s.trim().to_ascii_uppercase().replace(['-', '_'], "");
                $(
                    if norm == $canon.replace('-', "") $(|| norm == $alias)* {
                        return Ok(Self::$var);
                    }
                )+
                let names: Vec<_> = Self::ALL.iter().map(|p| p.as_str()).collect();
                Err(format!("'{s}' is not a {} (one of: {})", $what, names.join(", ")))
            }
        }
    };
}

proto_enum!(AuthProtocol, "USM auth protocol", {
    Md5 => "MD5",
    Sha1 => "SHA-1" | "SHA",
    Sha224 => "SHA-224",
    Sha256 => "SHA-256",
    Sha384 => "SHA-384",
    Sha512 => "SHA-512",
});

proto_enum!(PrivProtocol, "USM privacy protocol", {
    Des => "DES",
    Aes128 => "AES-128" | "AES",
    Aes192 => "AES-192",
    Aes256 => "AES-256",
});

/// RFC 3414 asks for pass phrases of at least 8 characters; net-snmp
/// refuses shorter ones, so accepting them would only fail later, on the wire.
pub const PASSPHRASE_MIN: usize = 8;
pub const SECRET_MAX: usize = 255;

/// A validated credential with its secret parts.
#[derive(Debug, Clone, PartialEq)]
pub enum SnmpCredential {
    Community { version: SnmpVersion, community: Secret },
    Usm(UsmUser),
}

#[derive(Debug, Clone, PartialEq)]
pub struct UsmUser {
    pub user: String,
    pub auth: Option<(AuthProtocol, Secret)>,
    pub privacy: Option<(PrivProtocol, Secret)>,
}

impl SnmpCredential {
    pub fn version(&self) -> SnmpVersion {
        match self {
            Self::Community { version, .. } => *version,
            Self::Usm(_) => SnmpVersion::V3,
        }
    }
}

/// What the UI and `credential list` show: everything but the secrets.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CredentialSummary {
    pub id: CredentialId,
    pub name: String,
    pub version: SnmpVersion,
    pub user: Option<String>,
    pub auth_proto: Option<AuthProtocol>,
    pub priv_proto: Option<PrivProtocol>,
    /// Where the secret lives: "keyring" or "encrypted-file".
    pub backend: String,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
}

pub(crate) fn secret(c: &mut Checker, field: &str, raw: &str, min: usize) -> Secret {
    let n = raw.chars().count();
    if n < min.max(1) {
        if min > 1 {
            c.fail(field, format!("must be at least {min} characters"));
        } else {
            c.fail(field, "must not be empty");
        }
    } else if n > SECRET_MAX {
        c.fail(field, format!("must be at most {SECRET_MAX} characters"));
    } else if raw.chars().any(|ch| ch.is_control() || !ch.is_ascii()) {
        // Agents compare octets; non-ASCII would depend on the encoding the
        // agent was configured with, so refuse it rather than fail silently.
        c.fail(field, "must be printable ASCII");
    }
    Secret::new(raw)
}

pub fn validate_community(
    name: &str,
    version: SnmpVersion,
    community: &str,
) -> Result<(String, SnmpCredential), CoreError> {
    let mut c = Checker::new();
    let name = c.text("name", name, NAME_MAX);
    if version == SnmpVersion::V3 {
        c.fail("version", "a community needs SNMP v1 or v2c");
    }
    let community = secret(&mut c, "community", community, 1);
    c.finish((name, SnmpCredential::Community { version, community }))
}

/// The raw fields of a v3 user as a form or the CLI delivers them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct UsmInput {
    pub name: String,
    pub user: String,
    pub auth_proto: Option<String>,
    pub auth_pass: Option<String>,
    pub priv_proto: Option<String>,
    pub priv_pass: Option<String>,
}

pub fn validate_usm(input: &UsmInput) -> Result<(String, SnmpCredential), CoreError> {
    let mut c = Checker::new();
    let name = c.text("name", &input.name, NAME_MAX);
    let user = c.text("user", &input.user, 32);
    let auth = pair::<AuthProtocol>(&mut c, "authProto", &input.auth_proto, "authPass", &input.auth_pass);
    let privacy = pair::<PrivProtocol>(&mut c, "privProto", &input.priv_proto, "privPass", &input.priv_pass);
    if privacy.is_some() && auth.is_none() {
        c.fail("authProto", "privacy needs authentication (authPriv); give --auth-proto and --auth-pass");
    }
    c.finish((name, SnmpCredential::Usm(UsmUser { user, auth, privacy })))
}

fn pair<P: FromStr<Err = String>>(
    c: &mut Checker,
    proto_field: &str,
    proto: &Option<String>,
    pass_field: &str,
    pass: &Option<String>,
) -> Option<(P, Secret)> {
    match (proto.as_deref(), pass.as_deref()) {
        (None, None) => None,
        (Some(_), None) => {
            c.fail(pass_field, "is required with a protocol");
            None
        }
        (None, Some(_)) => {
            c.fail(proto_field, "is required with a pass phrase");
            None
        }
        (Some(p), Some(s)) => {
            let secret = secret(c, pass_field, s, PASSPHRASE_MIN);
            match p.parse::<P>() {
                Ok(p) => Some((p, secret)),
                Err(e) => {
                    c.fail(proto_field, e);
                    None
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_parse_from_common_spellings() {
        assert_eq!("sha".parse::<AuthProtocol>(), Ok(AuthProtocol::Sha1));
        assert_eq!("SHA-256".parse::<AuthProtocol>(), Ok(AuthProtocol::Sha256));
        assert_eq!("sha512".parse::<AuthProtocol>(), Ok(AuthProtocol::Sha512));
        assert_eq!("aes".parse::<PrivProtocol>(), Ok(PrivProtocol::Aes128));
        assert_eq!("AES256".parse::<PrivProtocol>(), Ok(PrivProtocol::Aes256));
        assert!("3des".parse::<PrivProtocol>().is_err());
    }

    #[test]
    fn secrets_never_print() {
        let (_, cred) = validate_community("lab", SnmpVersion::V2c, "s3cr3t-community").expect("valid");
        assert!(!format!("{cred:?}").contains("s3cr3t"));
    }

    #[test]
    fn usm_rules() {
        let good = UsmInput {
            name: "lab-v3".into(),
            user: "admin".into(),
            auth_proto: Some("SHA-512".into()),
            auth_pass: Some("authpass1".into()),
            priv_proto: Some("AES-256".into()),
            priv_pass: Some("privpass1".into()),
        };
        assert!(validate_usm(&good).is_ok());
        let no_auth = UsmInput { auth_proto: None, auth_pass: None, ..good.clone() };
        let e = validate_usm(&no_auth).expect_err("priv without auth");
        assert_eq!(e.fields()[0].field, "authProto");
        let short = UsmInput { auth_pass: Some("short".into()), ..good.clone() };
        assert_eq!(validate_usm(&short).expect_err("short").fields()[0].field, "authPass");
        let bad_proto = UsmInput { priv_proto: Some("rot13".into()), ..good };
        assert_eq!(validate_usm(&bad_proto).expect_err("proto").fields()[0].field, "privProto");
    }

    #[test]
    fn community_rules() {
        assert!(validate_community("x", SnmpVersion::V2c, "").is_err());
        assert!(validate_community("x", SnmpVersion::V2c, "caf\u{e9}").is_err());
        assert!(validate_community("x", SnmpVersion::V2c, &"c".repeat(SECRET_MAX + 1)).is_err());
        assert!(validate_community("x", SnmpVersion::V3, "public").is_err());
        assert!(validate_community("x", SnmpVersion::V1, "public").is_ok());
    }
}
