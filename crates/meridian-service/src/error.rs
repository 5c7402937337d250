use std::time::Duration;

use meridian_core::{CoreError, FieldError};
use meridian_probe::icmp::{DEFAULT_MAX_TARGETS, HARD_MAX_TARGETS};
use meridian_probe::snmp::UsmReport;
use meridian_probe::ProbeError;
use meridian_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// What a front end can switch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorKind {
    /// The request is wrong; `fields` says which inputs and why.
    Validation,
    NotFound,
    /// The record changed or is still referenced; reload and retry.
    Conflict,
    /// Another process holds the data directory.
    InUse,
    /// The store's schema is newer than this build.
    Schema,
    Store,
    Vault,
    /// The encrypted-file vault needs its passphrase (`unlock_vault`).
    VaultLocked,
    /// A peer did not answer or answered wrongly (timeouts, agent errors).
    Network,
    /// The OS refused (e.g. ICMP sockets); `detail` names the fix.
    Permission,
    /// No valid credentials (team server): log in again.
    Unauthorized,
    /// Authenticated, but the role or sites do not allow it.
    Forbidden,
    /// Too many failed logins; an admin must unlock the account.
    Locked,
    /// Too many failed logins from this address (team server); wait
    /// `retryAfterSecs` seconds.
    Throttled,
    /// This front end has no such function (e.g. the web console asks for a
    /// desktop-only command the team server does not serve).
    Unsupported,
    Internal,
}

/// The error every use case returns, serialised as `{kind, detail, fields}`.
/// `detail` is one line a person can read; `fields` is empty unless `kind`
/// is `validation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error, utoipa::ToSchema)]
#[error("{detail}")]
pub struct ApiError {
    pub kind: ApiErrorKind,
    pub detail: String,
    pub fields: Vec<FieldError>,
    /// With `throttled`: seconds until the next try is allowed.
    #[serde(rename = "retryAfterSecs", skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(kind: ApiErrorKind, detail: impl Into<String>) -> Self {
        Self { kind, detail: detail.into(), fields: Vec::new(), retry_after_secs: None }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        CoreError::field(field, message).into()
    }

    /// Both checks' results, or every field error of both: two independent
    /// checks of one request report together, so a form shows all its
    /// mistakes at once. An error that is not a validation error wins alone.
    pub(crate) fn both<A, B>(a: Result<A, Self>, b: Result<B, Self>) -> Result<(A, B), Self> {
        match (a, b) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (Err(x), Err(y)) if x.kind == ApiErrorKind::Validation && y.kind == ApiErrorKind::Validation => {
                // A field both checks look at (a timeout, say) is named once.
                let more: Vec<FieldError> = y.fields.into_iter().filter(|f| !fields_has(&x.fields, &f.field)).collect();
                let fields = x.fields.into_iter().chain(more).collect();
                Err(CoreError::Validation(fields).into())
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }

    /// A network failure that still names the input it concerns, so a form
    /// can show it next to that field.
    pub(crate) fn network(field: &str, message: impl Into<String>) -> Self {
        Self { kind: ApiErrorKind::Network, ..Self::field(field, message) }
    }
}

fn fields_has(fields: &[FieldError], name: &str) -> bool {
    fields.iter().any(|f| f.field == name)
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        let kind = match e {
            CoreError::Validation(_) => ApiErrorKind::Validation,
            CoreError::Conflict(_) => ApiErrorKind::Conflict,
            CoreError::Forbidden(_) => ApiErrorKind::Forbidden,
        };
        Self { kind, detail: e.to_string(), fields: e.fields().to_vec(), retry_after_secs: None }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let kind = match &e {
            StoreError::Duplicate { field, what, value } => {
                return Self::field(field, format!("{what} '{value}' already exists"));
            }
            StoreError::NotFound { .. } => ApiErrorKind::NotFound,
            StoreError::Referenced(_) => ApiErrorKind::Conflict,
            StoreError::InUse { .. } => ApiErrorKind::InUse,
            StoreError::NewerSchema { .. } => ApiErrorKind::Schema,
            StoreError::Vault(_) => ApiErrorKind::Vault,
            StoreError::VaultLocked(_) => ApiErrorKind::VaultLocked,
            StoreError::Config(_) => ApiErrorKind::Validation,
            StoreError::Encode { .. } => ApiErrorKind::Internal,
            StoreError::Io { .. }
            | StoreError::Embedded(_)
            | StoreError::Database(_)
            | StoreError::Migrate(_)
            | StoreError::Damaged { .. }
            | StoreError::DiskFull { .. } => ApiErrorKind::Store,
        };
        Self::new(kind, e.to_string())
    }
}

/// A device write naming a site or credential that does not exist is the
/// caller's mistake in that field, not a missing device.
pub(crate) fn reference_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound { what: what @ ("site" | "credential"), key } => {
            ApiError::field(what, format!("{what} '{key}' does not exist"))
        }
        other => other.into(),
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::new(ApiErrorKind::Internal, format!("background task failed: {e}"))
    }
}

/// Maps a probe error to the API error a front end shows:
/// - the ICMP permission error keeps the probe's text, which names the fix
///   (the `net.ipv4.ping_group_range` sysctl, or `setcap cap_net_raw+ep`);
/// - an SNMP agent that does not answer is "no response from ADDR within T",
///   a `network` error on `target` (wrong community or credentials is the
///   usual cause);
/// - SNMPv3 reports (unknown user, wrong digest, decryption error) are
///   `validation` errors on the credential field at fault;
/// - an agent that misbehaves on the wire (malformed replies, OIDs that do
///   not increase, tooBig for one varbind) is `network`;
/// - a PTP clock or NTP server that does not answer, or a ptp4l socket that
///   is gone, is a `network` error on `target`; what they send that we
///   cannot read, or a management error status, is `network`.
pub(crate) fn probe_error(e: ProbeError) -> ApiError {
    match e {
        // The probe's text names the fix (sysctl or setcap); keep it whole.
        ProbeError::Permission(msg) => ApiError::new(ApiErrorKind::Permission, msg),
        ProbeError::Bind { ref what, .. } if what.contains("TLS") => ApiError::field("tls_port", e.to_string()),
        ProbeError::Bind { .. } => ApiError::field("port", e.to_string()),
        ProbeError::Tls { what: "certificate", .. } => ApiError::field("tls_cert", e.to_string()),
        ProbeError::Tls { .. } => ApiError::field("tls_key", e.to_string()),
        ProbeError::InvalidRange { .. } => ApiError::field("range", e.to_string()),
        ProbeError::RangeTooLarge { count, limit } => range_too_large(count, limit > DEFAULT_MAX_TARGETS),
        ProbeError::InvalidOid { .. } => ApiError::field("oid", e.to_string()),
        ProbeError::InvalidTarget(msg) => ApiError::new(ApiErrorKind::Validation, msg),
        ProbeError::Timeout(d) => ApiError::network("target", format!("no response within {}", duration(d))),
        ProbeError::SnmpTimeout { target, attempts, timeout } => ApiError::network(
            "target",
            format!(
                "no response from {target} within {} ({attempts} attempt{}); wrong community or credentials, \
                 or the agent is down",
                duration(timeout),
                if attempts == 1 { "" } else { "s" }
            ),
        ),
        ProbeError::SnmpUsm { ref report, .. } => {
            let field = match report {
                UsmReport::UnknownUserName | UsmReport::UnsupportedSecLevel => "user",
                UsmReport::WrongDigest => "authPass",
                UsmReport::DecryptionError => "privPass",
                _ => "target",
            };
            ApiError::field(field, e.to_string())
        }
        ProbeError::SnmpErrorStatus { status: "noSuchName", .. } => ApiError::field("oid", e.to_string()),
        ProbeError::SnmpErrorStatus { status: "authorizationError" | "noAccess", .. } => {
            ApiError::field("target", e.to_string())
        }
        ProbeError::Cancelled | ProbeError::Encode(_) => ApiError::new(ApiErrorKind::Internal, e.to_string()),
        ProbeError::Malformed(_)
        | ProbeError::Io(_)
        | ProbeError::Icmp { .. }
        | ProbeError::SnmpDecode(_)
        | ProbeError::SnmpErrorStatus { .. }
        | ProbeError::SnmpOidNotIncreasing { .. }
        | ProbeError::SnmpTooBig { .. }
        | ProbeError::SnmpProtocol { .. } => ApiError::new(ApiErrorKind::Network, e.to_string()),
        // Timing probes: the probe's text names the socket or server and the likely cause.
        ProbeError::PtpTimeout { .. } | ProbeError::PtpUnavailable { .. } | ProbeError::NtpTimeout { .. } => {
            ApiError::network("target", e.to_string())
        }
        ProbeError::PtpDecode(_)
        | ProbeError::PtpManagementError { .. }
        | ProbeError::PtpProtocol { .. }
        | ProbeError::NtpDecode(_) => ApiError::new(ApiErrorKind::Network, e.to_string()),
    }
}

/// A sweep over more addresses than allowed: says how to narrow it, or that
/// `force` lifts the default limit up to the hard one.
pub(crate) fn range_too_large(count: u128, force: bool) -> ApiError {
    let msg = if force || count > HARD_MAX_TARGETS {
        format!("{count} addresses requested, more than the hard limit of {HARD_MAX_TARGETS} even with force; narrow the range")
    } else {
        format!(
            "{count} addresses requested, more than the limit of {DEFAULT_MAX_TARGETS}; narrow the range, \
             or force it (--force) to sweep up to {HARD_MAX_TARGETS}"
        )
    };
    ApiError::field("range", msg)
}

/// `300 ms`, `1 s`, `2.5 s`.
fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        let s = format!("{:.3}", d.as_secs_f64());
        format!("{} s", s.trim_end_matches('0').trim_end_matches('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_errors_map_to_clear_api_errors() {
        let e = probe_error(ProbeError::SnmpTimeout {
            target: "127.0.0.1:161".parse().expect("addr"),
            attempts: 1,
            timeout: Duration::from_millis(300),
        });
        assert_eq!(e.fields.first().map(|f| f.field.as_str()), Some("target"));
        assert!(e.detail.contains("no response from 127.0.0.1:161 within 300 ms (1 attempt)"), "{}", e.detail);
        assert_eq!(e.kind, ApiErrorKind::Network);
        let fix = meridian_probe::icmp::PERMISSION_FIX;
        let e = probe_error(ProbeError::Permission(format!("cannot open an ICMP socket. Fix: {fix}")));
        assert_eq!(e.kind, ApiErrorKind::Permission);
        assert!(e.detail.contains("ping_group_range") && e.detail.contains("cap_net_raw"), "{}", e.detail);
        assert_eq!(duration(Duration::from_millis(2500)), "2.5 s");
        assert_eq!(duration(Duration::from_secs(1)), "1 s");
    }
}
