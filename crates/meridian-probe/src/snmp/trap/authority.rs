//! What the receiver does with one datagram, without the socket: decode it,
//! check its community or USM user, and work out the reply (an inform's
//! Response, or a Report for engine discovery and USM errors).
//!
//! For informs Meridian is the authoritative engine (RFC 3414 3.2): senders
//! discover our engine id, boots and time, localise their keys to our
//! engine id, and must stay inside our 150 s time window. For v3 traps the
//! sender is authoritative, so a user's keys are localised to the sender's
//! engine id, which the configuration may pin (snmptrapd's `createUser -e`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Instant;

use meridian_core::credential::{Secret, UsmUser};

use super::super::ber::{self, Reader};
use super::super::oid::Oid;
use super::super::pdu::{encode_community_pdu, encode_pdu, Pdu, WireVersion, GET, INFORM, REPORT, RESPONSE, TRAP_V2};
use super::super::usm::{
    authenticate, decrypt_scoped, encode_v3_with, EngineParams, LocalKeys, Scoped, V3Head, V3Message, FLAG_AUTH,
    FLAG_PRIV, FLAG_REPORTABLE,
};
use super::super::value::{Value, VarBind};
use super::notification::{decode_community_pdu, from_v2_pdu, Notification};
use crate::snmp::DecodeError;

/// RFC 3414 2.2.3: a message more than 150 s off our clock is stale.
pub const TIME_WINDOW_SECS: u32 = 150;

/// Our own SNMP engine: the identity informs are sent to.
#[derive(Debug, Clone)]
pub struct LocalEngine {
    pub engine_id: Vec<u8>,
    pub boots: u32,
    started: Instant,
}

impl LocalEngine {
    /// `boots` is the persisted count, already incremented for this start.
    pub fn new(engine_id: Vec<u8>, boots: u32) -> Self {
        Self { engine_id, boots: boots.min(i32::MAX as u32), started: Instant::now() }
    }

    /// snmpEngineTime: seconds since this engine started.
    pub fn time(&self) -> u32 {
        u32::try_from(self.started.elapsed().as_secs()).unwrap_or(u32::MAX).min(i32::MAX as u32)
    }

    pub(crate) fn params(&self) -> EngineParams {
        EngineParams { engine_id: self.engine_id.clone(), boots: self.boots, time: self.time() }
    }
}

/// A new random engine id (RFC 3411 SnmpEngineID, format 5: octets
/// assigned by us, 8 random bytes). Enterprise 0 is used for want of a
/// private enterprise number of our own.
pub fn new_engine_id() -> Vec<u8> {
    let mut id = vec![0x80, 0x00, 0x00, 0x00, 0x05];
    id.extend_from_slice(&rand::random::<[u8; 8]>());
    id
}

/// A v3 user the receiver accepts.
#[derive(Debug, Clone)]
pub struct TrapUser {
    pub user: UsmUser,
    /// The sender's engine id for its traps; `None` accepts traps from any
    /// engine (keys are then localised per engine id seen). Informs always
    /// use our engine id.
    pub engine_id: Option<Vec<u8>>,
}

/// Who may send: communities (v1/v2c) and USM users (v3).
#[derive(Debug, Clone, Default)]
pub struct TrapAuth {
    /// Accepted communities; when empty every community is accepted and
    /// the event records that none matched.
    pub communities: Vec<Secret>,
    pub users: Vec<TrapUser>,
}

/// How the sender identified itself, without any secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Security {
    /// v1/v2c: whether the community was one of the configured ones.
    Community { matched: bool },
    /// v3: the USM user name.
    User(String),
}

/// An accepted notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub version: WireVersion,
    pub security: Security,
    /// The sender's engine id for v3 traps, ours for v3 informs, empty for v1/v2c.
    pub engine_id: Vec<u8>,
    pub notification: Notification,
    /// Identifies a retransmission: the community or user and engine, and the request-id.
    pub(crate) dedup: Vec<u8>,
}

/// Why a message was refused by the security layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    UnknownCommunity,
    UnknownEngineId,
    UnknownUser,
    UnsupportedSecLevel,
    WrongDigest,
    NotInTimeWindow,
    DecryptionError,
}

impl AuthFailure {
    /// The usmStats counter (RFC 3414 usmStats N) a Report names.
    fn usm_stat(self) -> Option<u32> {
        match self {
            Self::UnknownCommunity => None,
            Self::UnsupportedSecLevel => Some(1),
            Self::NotInTimeWindow => Some(2),
            Self::UnknownUser => Some(3),
            Self::UnknownEngineId => Some(4),
            Self::WrongDigest => Some(5),
            Self::DecryptionError => Some(6),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownCommunity => "community not accepted",
            Self::UnknownEngineId => "unknown engine id",
            Self::UnknownUser => "unknown user name",
            Self::UnsupportedSecLevel => "security level differs from the user's",
            Self::WrongDigest => "wrong digest (wrong auth key or protocol)",
            Self::NotInTimeWindow => "not in time window",
            Self::DecryptionError => "decryption error (wrong privacy key or protocol)",
        }
    }
}

/// What became of one datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accepted(Received),
    /// Not a well-formed SNMP notification; the text names the field.
    Malformed(String),
    Rejected(AuthFailure),
    /// An engine-discovery probe, answered with a Report.
    Discovery,
}

/// A verdict and the datagram to send back, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub verdict: Verdict,
    pub reply: Option<Vec<u8>>,
}

impl Handled {
    fn quiet(verdict: Verdict) -> Self {
        Self { verdict, reply: None }
    }
}

/// Keys localised per (user, engine id) are kept up to this many entries:
/// a sender cycling engine ids must not grow memory without bound.
const KEY_CACHE_MAX: usize = 1024;

/// The receiver's security state: configuration, our engine, localised keys
/// and the usmStats counts that Reports carry.
pub struct Authority {
    auth: TrapAuth,
    engine: LocalEngine,
    keys: HashMap<(String, Vec<u8>), LocalKeys>,
    usm_stats: [u32; 7],
    salt: u64,
    /// The clocks of the engines whose traps we took (they are the
    /// authoritative side), for the replay check of RFC 3414 3.2 step 7b.
    remote: HashMap<Vec<u8>, RemoteClock>,
}

/// What an authenticated trap last said of its sender's clock.
struct RemoteClock {
    boots: u32,
    time: u32,
    at: Instant,
}

/// Senders whose clocks are kept; past it the cache starts again (a flood
/// of made-up engine ids must not grow memory, and an unknown sender is
/// accepted and learnt anyway).
const REMOTE_MAX: usize = 10_000;

impl Authority {
    pub fn new(auth: TrapAuth, engine: LocalEngine) -> Self {
        Self { auth, engine, keys: HashMap::new(), usm_stats: [0; 7], salt: rand::random(), remote: HashMap::new() }
    }

    /// Accepts `auth` from now on (a credential was rotated or the settings
    /// changed). Keys localised from the old secrets are forgotten; the
    /// senders' clocks and the USM counters are kept.
    pub fn set_auth(&mut self, auth: TrapAuth) {
        self.auth = auth;
        self.keys.clear();
    }

    pub fn engine(&self) -> &LocalEngine {
        &self.engine
    }

    /// Handles one datagram. Never panics, whatever the bytes.
    pub fn handle(&mut self, bytes: &[u8], from: SocketAddr) -> Handled {
        let mut outer = Reader::new(bytes);
        let parsed = (|| {
            let mut msg = outer.enter(ber::SEQUENCE)?;
            if !outer.is_empty() {
                return Err(DecodeError::TrailingBytes(outer.remaining()));
            }
            let version = match msg.read_integer()? {
                0 => WireVersion::V1,
                1 => WireVersion::V2c,
                3 => return Ok(Err(super::super::usm::decode_v3(msg)?)),
                v => return Err(DecodeError::UnsupportedVersion(v)),
            };
            let community = msg.read_octets()?.to_vec();
            let pdu = decode_community_pdu(&mut msg)?;
            if !msg.is_empty() {
                return Err(DecodeError::Invalid("bytes after the PDU"));
            }
            Ok(Ok((version, community, pdu)))
        })();
        match parsed {
            Err(e) => Handled::quiet(Verdict::Malformed(e.to_string())),
            Ok(Ok((version, community, Ok(n)))) => self.community(version, community, n, from),
            Ok(Ok((_, _, Err(pdu)))) => Handled::quiet(Verdict::Malformed(format!(
                "PDU type 0x{:02x} is not a notification (Trap, SNMPv2-Trap or InformRequest)",
                pdu.tag
            ))),
            Ok(Err(m)) => self.v3(bytes, m, from),
        }
    }

    fn community(&self, version: WireVersion, community: Vec<u8>, n: Notification, from: SocketAddr) -> Handled {
        let matched = self.auth.communities.iter().any(|c| c.expose().as_bytes() == community.as_slice());
        if !matched && !self.auth.communities.is_empty() {
            return Handled::quiet(Verdict::Rejected(AuthFailure::UnknownCommunity));
        }
        let reply = (n.kind == super::NotificationKind::Inform)
            .then(|| encode_community_pdu(version, &community, &response_pdu(&n)));
        let dedup = dedup_key(from, &community, b"", n.request_id);
        let r = Received {
            version,
            security: Security::Community { matched },
            engine_id: Vec::new(),
            notification: n,
            dedup,
        };
        Handled { verdict: Verdict::Accepted(r), reply }
    }

    fn v3(&mut self, bytes: &[u8], m: V3Message, from: SocketAddr) -> Handled {
        let ours = m.engine_id == self.engine.engine_id;
        let reportable = m.flags & FLAG_REPORTABLE != 0;
        if !ours && reportable {
            // Discovery (an empty engine id), or an inform to an engine id
            // that is not ours: tell the sender ours (RFC 3414 3.2 step 3).
            let verdict = if m.engine_id.is_empty() {
                Verdict::Discovery
            } else {
                Verdict::Rejected(AuthFailure::UnknownEngineId)
            };
            let reply = self.report(&m, AuthFailure::UnknownEngineId, &LocalKeys::none());
            return Handled { verdict, reply };
        }
        let found = self.auth.users.iter().find(|u| {
            u.user.user.as_bytes() == m.user.as_slice()
                && (ours || u.engine_id.as_ref().is_none_or(|e| *e == m.engine_id))
        });
        let Some(user) = found.map(|u| u.user.clone()) else {
            return self.refuse(&m, ours, AuthFailure::UnknownUser, &LocalKeys::none());
        };
        let has_auth = m.flags & FLAG_AUTH != 0;
        let has_priv = m.flags & FLAG_PRIV != 0;
        if has_auth != user.auth.is_some() || has_priv != user.privacy.is_some() || (has_priv && !has_auth) {
            return self.refuse(&m, ours, AuthFailure::UnsupportedSecLevel, &LocalKeys::none());
        }
        let keys = self.keys_for(&user, &m.engine_id);
        if authenticate(bytes, &m, &keys).is_err() {
            return self.refuse(&m, ours, AuthFailure::WrongDigest, &LocalKeys::none());
        }
        if ours && has_auth && !self.in_window(&m) {
            // Answered authenticated, so the sender may trust our clock
            // (RFC 3414 3.2 step 7b): this is how net-snmp syncs its time.
            let auth_only = LocalKeys { auth: keys.auth.clone(), privacy: None };
            return self.refuse(&m, ours, AuthFailure::NotInTimeWindow, &auth_only);
        }
        if !ours && has_auth && !self.remote_in_window(&m) {
            // A replayed or stale trap: its sender's clock went back.
            return self.refuse(&m, ours, AuthFailure::NotInTimeWindow, &LocalKeys::none());
        }
        let Ok(scoped) = decrypt_scoped(&m, &keys) else {
            return self.refuse(&m, ours, AuthFailure::DecryptionError, &LocalKeys::none());
        };
        let tag = scoped.pdu.tag;
        let expected = if ours { INFORM } else { TRAP_V2 };
        if tag != expected {
            let why = match (tag, ours) {
                (GET, true) => "a GET to the trap receiver's engine (only informs are served)".to_owned(),
                (INFORM, false) => "an InformRequest for another engine id".to_owned(),
                _ => format!("PDU type 0x{tag:02x} is not a notification for this engine"),
            };
            return Handled::quiet(Verdict::Malformed(why));
        }
        let n = match from_v2_pdu(scoped.pdu) {
            Ok(n) => n,
            Err(e) => return Handled::quiet(Verdict::Malformed(e.to_string())),
        };
        let reply = ours.then(|| {
            let engine = self.engine.params();
            let head = V3Head {
                msg_id: m.msg_id,
                reportable: false,
                user: &m.user,
                engine: &engine,
                context_engine_id: &scoped.context_engine_id,
                context_name: &scoped.context_name,
            };
            let pdu = response_pdu(&n);
            let mut out = Vec::with_capacity(256);
            self.salt = self.salt.wrapping_add(1);
            encode_v3_with(&mut out, &head, &keys, self.salt, |b| encode_pdu(b, &pdu)).ok().map(|()| out)
        });
        let dedup = dedup_key(from, &m.user, &m.engine_id, n.request_id);
        let r = Received {
            version: WireVersion::V3,
            security: Security::User(String::from_utf8_lossy(&m.user).into_owned()),
            engine_id: m.engine_id.clone(),
            notification: n,
            dedup,
        };
        Handled { verdict: Verdict::Accepted(r), reply: reply.flatten() }
    }

    fn in_window(&self, m: &V3Message) -> bool {
        m.engine_boots == self.engine.boots
            && self.engine.boots < i32::MAX as u32
            && m.engine_time.abs_diff(self.engine.time()) <= TIME_WINDOW_SECS
    }

    /// RFC 3414 3.2 step 7b for a non-authoritative receiver: refused when
    /// the sender's boots went back, or, in the same boot, its time is more
    /// than the window behind what it said before plus the time since. A
    /// first message from an engine is accepted and learnt; newer ones
    /// move the cache forward. Only authenticated messages get here.
    fn remote_in_window(&mut self, m: &V3Message) -> bool {
        if m.engine_boots >= i32::MAX as u32 {
            return false;
        }
        if let Some(c) = self.remote.get(&m.engine_id) {
            let theirs_now = u64::from(c.time) + c.at.elapsed().as_secs();
            if m.engine_boots < c.boots
                || (m.engine_boots == c.boots && u64::from(m.engine_time) + u64::from(TIME_WINDOW_SECS) < theirs_now)
            {
                return false;
            }
            if m.engine_boots == c.boots && m.engine_time <= c.time {
                return true;
            }
        } else if self.remote.len() >= REMOTE_MAX {
            self.remote.clear();
        }
        let clock = RemoteClock { boots: m.engine_boots, time: m.engine_time, at: Instant::now() };
        self.remote.insert(m.engine_id.clone(), clock);
        true
    }

    /// Counts the failure and, when the sender asked for reports and we are
    /// the authoritative engine, answers with the matching Report.
    fn refuse(&mut self, m: &V3Message, ours: bool, why: AuthFailure, keys: &LocalKeys) -> Handled {
        let reply = if ours && m.flags & FLAG_REPORTABLE != 0 { self.report(m, why, keys) } else { None };
        Handled { verdict: Verdict::Rejected(why), reply }
    }

    fn report(&mut self, m: &V3Message, why: AuthFailure, keys: &LocalKeys) -> Option<Vec<u8>> {
        let n = why.usm_stat()?;
        let slot = self.usm_stats.get_mut(n as usize)?;
        *slot = slot.wrapping_add(1);
        let count = *slot;
        let request_id = match &m.scoped {
            Scoped::Plain(p) => p.request_id,
            Scoped::Encrypted(_) => 0,
        };
        let pdu = Pdu {
            tag: REPORT,
            request_id,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind {
                oid: Oid::from_decoded(vec![1, 3, 6, 1, 6, 3, 15, 1, 1, n, 0]),
                value: Value::Counter32(count),
            }],
        };
        let engine = self.engine.params();
        let head = V3Head {
            msg_id: m.msg_id,
            reportable: false,
            user: &m.user,
            engine: &engine,
            context_engine_id: &engine.engine_id,
            context_name: &m.context_name,
        };
        let mut out = Vec::with_capacity(128);
        encode_v3_with(&mut out, &head, keys, 0, |b| encode_pdu(b, &pdu)).ok()?;
        Some(out)
    }

    fn keys_for(&mut self, user: &UsmUser, engine_id: &[u8]) -> LocalKeys {
        let k = (user.user.clone(), engine_id.to_vec());
        if let Some(keys) = self.keys.get(&k) {
            return keys.clone();
        }
        if self.keys.len() >= KEY_CACHE_MAX {
            self.keys.clear();
        }
        let keys = LocalKeys::localize(user, engine_id);
        self.keys.insert(k, keys.clone());
        keys
    }
}

/// An inform's acknowledgement: a Response with the same request-id and
/// varbinds (RFC 3416 4.2.7).
fn response_pdu(n: &Notification) -> Pdu {
    Pdu { tag: RESPONSE, request_id: n.request_id, error_status: 0, error_index: 0, varbinds: n.varbinds.clone() }
}

fn dedup_key(from: SocketAddr, who: &[u8], engine: &[u8], request_id: i32) -> Vec<u8> {
    let mut k = from.to_string().into_bytes();
    for part in [who, engine, &request_id.to_be_bytes()] {
        k.extend_from_slice(&(part.len() as u32).to_be_bytes());
        k.extend_from_slice(part);
    }
    k
}
