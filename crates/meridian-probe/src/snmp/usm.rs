//! SNMPv3 framing and the User-based Security Model: key localisation
//! (RFC 3414 A.2), HMAC authentication (RFC 3414 / RFC 7860 SHA-2),
//! DES-CBC (RFC 3414 8) and AES-CFB (RFC 3826; 192/256 with the Blumenthal
//! key extension net-snmp uses for its plain `AES-192`/`AES-256`).
//!
//! Why not snmp2's `v3::Security`: snmp2 0.5 keeps its v3 message builder
//! and cipher helpers crate-private (only its own per-session sockets can
//! use them) and its v3 decoder zeroes the authentication parameters by
//! writing through a shared `&[u8]` with `unsafe`. We share sockets across
//! targets and forbid unsafe code, so the same RustCrypto primitives are
//! driven from here instead.

use std::fmt;
use std::ops::Range;

use aes::cipher::{AsyncStreamCipher, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use cbc::cipher::block_padding::NoPadding;
use hmac::{Mac, SimpleHmac};
use meridian_core::credential::{AuthProtocol, PrivProtocol, UsmUser};
use sha2::Digest;

use super::ber::{self, DecodeError, Reader};
use super::pdu::{decode_pdu, Pdu, RequestPdu};

pub const FLAG_AUTH: u8 = 0x01;
pub const FLAG_PRIV: u8 = 0x02;
pub const FLAG_REPORTABLE: u8 = 0x04;
/// What we announce as msgMaxSize: the largest UDP payload over IPv4.
pub const MAX_SIZE: i64 = 65_507;

/// A v3 message with its security header decoded; the scoped PDU may still
/// be encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V3Message {
    pub msg_id: i32,
    pub flags: u8,
    pub engine_id: Vec<u8>,
    pub engine_boots: u32,
    pub engine_time: u32,
    pub user: Vec<u8>,
    pub auth_params: Vec<u8>,
    /// Where the authentication parameters sit in the whole message.
    pub auth_params_at: Range<usize>,
    pub priv_params: Vec<u8>,
    pub scoped: Scoped,
    /// contextEngineID and contextName of a plain scoped PDU (empty while it
    /// is encrypted; [`decrypt_scoped`] returns them then). A responder
    /// echoes them, and net-snmp checks that it does.
    pub context_engine_id: Vec<u8>,
    pub context_name: Vec<u8>,
}

/// A scoped PDU with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedPdu {
    pub context_engine_id: Vec<u8>,
    pub context_name: Vec<u8>,
    pub pdu: Pdu,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scoped {
    Plain(Pdu),
    Encrypted(Vec<u8>),
}

fn u31(v: i64, what: &'static str) -> Result<u32, DecodeError> {
    u32::try_from(v).ok().filter(|v| *v <= i32::MAX as u32).ok_or(DecodeError::Invalid(what))
}

pub(crate) fn decode_v3(mut msg: Reader<'_>) -> Result<V3Message, DecodeError> {
    let mut header = msg.enter(ber::SEQUENCE)?;
    let msg_id = i32::try_from(header.read_integer()?).map_err(|_| DecodeError::Invalid("msgID out of range"))?;
    let _max_size = header.read_integer()?;
    let flags = match header.read_octets()? {
        [f] => *f,
        _ => return Err(DecodeError::Invalid("msgFlags must be one byte")),
    };
    if header.read_integer()? != 3 {
        return Err(DecodeError::Invalid("security model is not USM"));
    }
    let mut sec_os = msg.enter(ber::OCTET_STRING)?;
    let mut sec = sec_os.enter(ber::SEQUENCE)?;
    let engine_id = sec.read_octets()?.to_vec();
    let engine_boots = u31(sec.read_integer()?, "engineBoots out of range")?;
    let engine_time = u31(sec.read_integer()?, "engineTime out of range")?;
    let user = sec.read_octets()?.to_vec();
    let auth_params_at = sec.read_expect(ber::OCTET_STRING)?;
    let auth_params = sec.slice(auth_params_at.clone())?.to_vec();
    let priv_params = sec.read_octets()?.to_vec();
    let (scoped, context_engine_id, context_name) = if flags & FLAG_PRIV != 0 {
        (Scoped::Encrypted(msg.read_octets()?.to_vec()), Vec::new(), Vec::new())
    } else {
        let s = decode_scoped(&mut msg)?;
        (Scoped::Plain(s.pdu), s.context_engine_id, s.context_name)
    };
    if !msg.is_empty() {
        return Err(DecodeError::Invalid("bytes after the scoped PDU"));
    }
    Ok(V3Message {
        msg_id,
        flags,
        engine_id,
        engine_boots,
        engine_time,
        user,
        auth_params,
        auth_params_at,
        priv_params,
        scoped,
        context_engine_id,
        context_name,
    })
}

fn decode_scoped(r: &mut Reader<'_>) -> Result<ScopedPdu, DecodeError> {
    let mut s = r.enter(ber::SEQUENCE)?;
    let context_engine_id = s.read_octets()?.to_vec();
    let context_name = s.read_octets()?.to_vec();
    let pdu = decode_pdu(&mut s)?;
    Ok(ScopedPdu { context_engine_id, context_name, pdu })
}

/// Keys localised to one authoritative engine.
#[derive(Clone)]
pub struct LocalKeys {
    pub auth: Option<(AuthProtocol, Vec<u8>)>,
    pub privacy: Option<(PrivProtocol, Vec<u8>)>,
}

/// Localised keys open every message of their user: zeroed when dropped.
impl Drop for LocalKeys {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        if let Some((_, k)) = self.auth.as_mut() {
            k.zeroize();
        }
        if let Some((_, k)) = self.privacy.as_mut() {
            k.zeroize();
        }
    }
}

impl fmt::Debug for LocalKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalKeys")
            .field("auth", &self.auth.as_ref().map(|a| a.0))
            .field("privacy", &self.privacy.as_ref().map(|p| p.0))
            .finish()
    }
}

impl LocalKeys {
    pub fn none() -> Self {
        Self { auth: None, privacy: None }
    }

    /// Localises the user's pass phrases to `engine_id`. Costs a 1 MB hash
    /// per pass phrase, so the engine caches the result per agent.
    pub fn localize(user: &UsmUser, engine_id: &[u8]) -> Self {
        let auth = user.auth.as_ref().map(|(p, s)| (*p, password_to_key(*p, s.expose().as_bytes(), engine_id)));
        let privacy = match (&user.auth, &user.privacy) {
            (Some((ap, _)), Some((pp, s))) => {
                let mut key = password_to_key(*ap, s.expose().as_bytes(), engine_id);
                let need = priv_key_len(*pp);
                // Blumenthal (draft-blumenthal-aes-usm-04 3.1.2.1): append
                // H(key) until long enough.
                while key.len() < need {
                    let more = digest(*ap, &key);
                    key.extend_from_slice(&more);
                }
                key.truncate(need);
                Some((*pp, key))
            }
            _ => None,
        };
        Self { auth, privacy }
    }

    pub fn flags(&self) -> u8 {
        match (&self.auth, &self.privacy) {
            (None, _) => 0,
            (Some(_), None) => FLAG_AUTH,
            (Some(_), Some(_)) => FLAG_AUTH | FLAG_PRIV,
        }
    }
}

fn priv_key_len(p: PrivProtocol) -> usize {
    match p {
        PrivProtocol::Des | PrivProtocol::Aes128 => 16,
        PrivProtocol::Aes192 => 24,
        PrivProtocol::Aes256 => 32,
    }
}

/// Truncated MAC length: 12 for MD5/SHA-1 (RFC 3414), RFC 7860 for SHA-2.
pub fn mac_len(p: AuthProtocol) -> usize {
    match p {
        AuthProtocol::Md5 | AuthProtocol::Sha1 => 12,
        AuthProtocol::Sha224 => 16,
        AuthProtocol::Sha256 => 24,
        AuthProtocol::Sha384 => 32,
        AuthProtocol::Sha512 => 48,
    }
}

macro_rules! with_digest {
    ($p:expr, $d:ident => $body:expr) => {
        match $p {
            AuthProtocol::Md5 => {
                type $d = md5::Md5;
                $body
            }
            AuthProtocol::Sha1 => {
                type $d = sha1::Sha1;
                $body
            }
            AuthProtocol::Sha224 => {
                type $d = sha2::Sha224;
                $body
            }
            AuthProtocol::Sha256 => {
                type $d = sha2::Sha256;
                $body
            }
            AuthProtocol::Sha384 => {
                type $d = sha2::Sha384;
                $body
            }
            AuthProtocol::Sha512 => {
                type $d = sha2::Sha512;
                $body
            }
        }
    };
}

fn digest(p: AuthProtocol, data: &[u8]) -> Vec<u8> {
    with_digest!(p, D => D::digest(data).to_vec())
}

/// RFC 3414 A.2: hash 1 MiB of the repeated pass phrase, then localise.
pub fn password_to_key(p: AuthProtocol, password: &[u8], engine_id: &[u8]) -> Vec<u8> {
    with_digest!(p, D => {
        let mut h = D::new();
        let mut block = [0u8; 64];
        if !password.is_empty() {
            let mut src = password.iter().cycle();
            for _ in 0..16_384 {
                for b in block.iter_mut() {
                    *b = src.next().copied().unwrap_or(0);
                }
                h.update(block);
            }
        }
        let ku = h.finalize();
        let mut l = D::new();
        l.update(ku.as_slice());
        l.update(engine_id);
        l.update(ku.as_slice());
        l.finalize().to_vec()
    })
}

fn hmac(p: AuthProtocol, key: &[u8], data: &[u8]) -> Vec<u8> {
    with_digest!(p, D => {
        match <SimpleHmac<D> as Mac>::new_from_slice(key) {
            Ok(mut m) => {
                m.update(data);
                m.finalize().into_bytes().to_vec()
            }
            // SimpleHmac accepts any key length; unreachable in practice.
            Err(_) => Vec::new(),
        }
    })
}

/// Why a v3 reply was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    Decode(DecodeError),
    NotAuthenticated,
    BadDigest,
    Decrypt,
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Decode(v) => write!(f, "{v}"),
            Self::NotAuthenticated => f.write_str("reply is not authenticated but the user needs authentication"),
            Self::BadDigest => f.write_str("authentication parameters do not match (wrong key, or a forged reply)"),
            Self::Decrypt => f.write_str("reply could not be decrypted"),
        }
    }
}

// A detail kind; ProbeError is the crate's error type.
impl std::error::Error for OpenError {}

impl From<DecodeError> for OpenError {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

/// Checks the HMAC of a received message and decrypts its scoped PDU.
pub fn open(bytes: &[u8], msg: &V3Message, keys: &LocalKeys) -> Result<Pdu, OpenError> {
    if msg.flags & FLAG_AUTH != 0 && keys.auth.is_none() {
        // A user without auth cannot check it; accept the PDU unchecked
        // only if it is not encrypted.
        return match &msg.scoped {
            Scoped::Plain(pdu) => Ok(pdu.clone()),
            Scoped::Encrypted(_) => Err(OpenError::Decrypt),
        };
    }
    if msg.flags & FLAG_AUTH == 0
        && keys.auth.is_some()
        && !matches!(&msg.scoped, Scoped::Plain(p) if p.tag == super::pdu::REPORT)
    {
        // Only reports may come back unauthenticated to an auth user.
        return Err(OpenError::NotAuthenticated);
    }
    authenticate(bytes, msg, keys)?;
    Ok(decrypt_scoped(msg, keys)?.pdu)
}

/// Checks the message's HMAC with `keys` when the message claims
/// authentication (a message without it passes; the caller decides whether
/// its user may send unauthenticated ones).
pub fn authenticate(bytes: &[u8], msg: &V3Message, keys: &LocalKeys) -> Result<(), OpenError> {
    if msg.flags & FLAG_AUTH == 0 {
        return Ok(());
    }
    let Some((p, key)) = &keys.auth else {
        return Err(OpenError::BadDigest);
    };
    if msg.auth_params.len() != mac_len(*p) {
        return Err(OpenError::BadDigest);
    }
    let mut copy = bytes.to_vec();
    match copy.get_mut(msg.auth_params_at.clone()) {
        Some(slot) => slot.fill(0),
        None => return Err(OpenError::BadDigest),
    }
    let mac = hmac(*p, key, &copy);
    if mac.get(..mac_len(*p)) != Some(msg.auth_params.as_slice()) {
        return Err(OpenError::BadDigest);
    }
    Ok(())
}

/// The scoped PDU with its context, decrypted with `keys` when encrypted.
/// Does not authenticate: call [`authenticate`] first.
pub fn decrypt_scoped(msg: &V3Message, keys: &LocalKeys) -> Result<ScopedPdu, OpenError> {
    match &msg.scoped {
        Scoped::Plain(pdu) => Ok(ScopedPdu {
            context_engine_id: msg.context_engine_id.clone(),
            context_name: msg.context_name.clone(),
            pdu: pdu.clone(),
        }),
        Scoped::Encrypted(ct) => {
            let Some((pp, key)) = &keys.privacy else {
                return Err(OpenError::Decrypt);
            };
            let plain = decrypt(*pp, key, msg.engine_boots, msg.engine_time, &msg.priv_params, ct)?;
            let mut r = Reader::new(&plain);
            // DES pads to 8 bytes, so bytes after the scoped PDU are allowed.
            Ok(decode_scoped(&mut r)?)
        }
    }
}

fn decrypt(p: PrivProtocol, key: &[u8], boots: u32, time: u32, salt: &[u8], ct: &[u8]) -> Result<Vec<u8>, OpenError> {
    let mut buf = ct.to_vec();
    match p {
        PrivProtocol::Des => {
            let (Some(k), Some(pre_iv), true) = (key.get(..8), key.get(8..16), salt.len() == 8) else {
                return Err(OpenError::Decrypt);
            };
            let iv: Vec<u8> = pre_iv.iter().zip(salt).map(|(a, b)| a ^ b).collect();
            let dec = cbc::Decryptor::<des::Des>::new_from_slices(k, &iv).map_err(|_| OpenError::Decrypt)?;
            let n = dec.decrypt_padded_mut::<NoPadding>(&mut buf).map_err(|_| OpenError::Decrypt)?.len();
            buf.truncate(n);
        }
        _ => {
            if salt.len() != 8 {
                return Err(OpenError::Decrypt);
            }
            let iv = aes_iv(boots, time, salt);
            let k = key.get(..priv_key_len(p)).ok_or(OpenError::Decrypt)?;
            match p {
                PrivProtocol::Aes128 => cfb_mode::Decryptor::<aes::Aes128>::new_from_slices(k, &iv)
                    .map_err(|_| OpenError::Decrypt)?
                    .decrypt(&mut buf),
                PrivProtocol::Aes192 => cfb_mode::Decryptor::<aes::Aes192>::new_from_slices(k, &iv)
                    .map_err(|_| OpenError::Decrypt)?
                    .decrypt(&mut buf),
                _ => cfb_mode::Decryptor::<aes::Aes256>::new_from_slices(k, &iv)
                    .map_err(|_| OpenError::Decrypt)?
                    .decrypt(&mut buf),
            }
        }
    }
    Ok(buf)
}

fn aes_iv(boots: u32, time: u32, salt: &[u8]) -> Vec<u8> {
    let mut iv = Vec::with_capacity(16);
    iv.extend_from_slice(&boots.to_be_bytes());
    iv.extend_from_slice(&time.to_be_bytes());
    iv.extend_from_slice(salt);
    iv
}

/// Returns (ciphertext, privParameters).
fn encrypt(p: PrivProtocol, key: &[u8], boots: u32, time: u32, salt: u64, plain: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    match p {
        PrivProtocol::Des => {
            let mut salt_bytes = boots.to_be_bytes().to_vec();
            salt_bytes.extend_from_slice(&(salt as u32).to_be_bytes());
            let iv: Vec<u8> = key.get(8..16)?.iter().zip(&salt_bytes).map(|(a, b)| a ^ b).collect();
            let mut buf = plain.to_vec();
            buf.resize(plain.len().div_ceil(8) * 8, 0);
            let n = buf.len();
            let enc = cbc::Encryptor::<des::Des>::new_from_slices(key.get(..8)?, &iv).ok()?;
            enc.encrypt_padded_mut::<NoPadding>(&mut buf, n).ok()?;
            Some((buf, salt_bytes))
        }
        _ => {
            let salt_bytes = salt.to_be_bytes().to_vec();
            let iv = aes_iv(boots, time, &salt_bytes);
            let k = key.get(..priv_key_len(p))?;
            let mut buf = plain.to_vec();
            match p {
                PrivProtocol::Aes128 => {
                    cfb_mode::Encryptor::<aes::Aes128>::new_from_slices(k, &iv).ok()?.encrypt(&mut buf)
                }
                PrivProtocol::Aes192 => {
                    cfb_mode::Encryptor::<aes::Aes192>::new_from_slices(k, &iv).ok()?.encrypt(&mut buf)
                }
                _ => cfb_mode::Encryptor::<aes::Aes256>::new_from_slices(k, &iv).ok()?.encrypt(&mut buf),
            }
            Some((buf, salt_bytes))
        }
    }
}

/// The authoritative engine's identity and clock as we last saw them.
#[derive(Debug, Clone, Default)]
pub struct EngineParams {
    pub engine_id: Vec<u8>,
    pub boots: u32,
    pub time: u32,
}

/// Encodes a v3 request. `keys` decides the security level; discovery uses
/// empty params and [`LocalKeys::none`].
pub fn encode_v3(
    out: &mut Vec<u8>,
    msg_id: i32,
    user: &[u8],
    engine: &EngineParams,
    keys: &LocalKeys,
    salt: u64,
    pdu: &RequestPdu<'_>,
) -> Result<(), &'static str> {
    let head =
        V3Head { msg_id, reportable: true, user, engine, context_engine_id: &engine.engine_id, context_name: b"" };
    encode_v3_with(out, &head, keys, salt, |b| pdu.encode(b))
}

/// The parts of a v3 message around its PDU.
pub struct V3Head<'a> {
    pub msg_id: i32,
    /// Requests and informs are reportable; responses, reports and traps not.
    pub reportable: bool,
    pub user: &'a [u8],
    /// The authoritative engine: ours for inform responses and reports, the
    /// agent's for requests.
    pub engine: &'a EngineParams,
    /// A response echoes its request's context (net-snmp checks it).
    pub context_engine_id: &'a [u8],
    pub context_name: &'a [u8],
}

/// Encodes a v3 message whose PDU `write_pdu` appends, secured with `keys`.
pub fn encode_v3_with(
    out: &mut Vec<u8>,
    head: &V3Head<'_>,
    keys: &LocalKeys,
    salt: u64,
    write_pdu: impl FnOnce(&mut Vec<u8>),
) -> Result<(), &'static str> {
    let engine = head.engine;
    let flags = keys.flags() | if head.reportable { FLAG_REPORTABLE } else { 0 };
    let mut scoped_inner = Vec::with_capacity(64);
    ber::octets(&mut scoped_inner, head.context_engine_id);
    ber::octets(&mut scoped_inner, head.context_name);
    write_pdu(&mut scoped_inner);
    let mut scoped = Vec::with_capacity(scoped_inner.len() + 4);
    ber::tlv(&mut scoped, ber::SEQUENCE, &scoped_inner);

    let mut priv_params = Vec::new();
    let scoped_field = match &keys.privacy {
        Some((p, key)) => {
            let (ct, pp) = encrypt(*p, key, engine.boots, engine.time, salt, &scoped).ok_or("encryption failed")?;
            priv_params = pp;
            let mut f = Vec::with_capacity(ct.len() + 4);
            ber::octets(&mut f, &ct);
            f
        }
        None => scoped,
    };
    let mac_n = keys.auth.as_ref().map_or(0, |(p, _)| mac_len(*p));

    // msgSecurityParameters, with the MAC as zeros for now.
    let mut sec_head = Vec::with_capacity(64);
    ber::octets(&mut sec_head, &engine.engine_id);
    ber::integer(&mut sec_head, i64::from(engine.boots));
    ber::integer(&mut sec_head, i64::from(engine.time));
    ber::octets(&mut sec_head, head.user);
    let mac_in_sec = sec_head.len() + ber::header_len(mac_n);
    let mut sec_inner = sec_head;
    ber::octets(&mut sec_inner, &vec![0u8; mac_n]);
    ber::octets(&mut sec_inner, &priv_params);
    let mut sec = Vec::with_capacity(sec_inner.len() + 4);
    ber::tlv(&mut sec, ber::SEQUENCE, &sec_inner);

    let mut body = Vec::with_capacity(128 + scoped_field.len());
    ber::integer(&mut body, 3);
    let mut header = Vec::with_capacity(24);
    ber::integer(&mut header, i64::from(head.msg_id));
    ber::integer(&mut header, MAX_SIZE);
    ber::octets(&mut header, &[flags]);
    ber::integer(&mut header, 3);
    ber::tlv(&mut body, ber::SEQUENCE, &header);
    let mac_in_body = body.len() + ber::header_len(sec.len()) + ber::header_len(sec_inner.len()) + mac_in_sec;
    ber::octets(&mut body, &sec);
    body.extend_from_slice(&scoped_field);
    let start = out.len();
    ber::tlv(out, ber::SEQUENCE, &body);
    if let Some((p, key)) = &keys.auth {
        let at = start + ber::header_len(body.len()) + mac_in_body;
        let mac = hmac(*p, key, out.get(start..).unwrap_or(&[]));
        let (Some(slot), Some(m)) = (out.get_mut(at..at + mac_n), mac.get(..mac_n)) else {
            return Err("MAC placement");
        };
        slot.copy_from_slice(m);
    }
    Ok(())
}

/// The USM statistics a report names (RFC 3414 usmStats, 1.3.6.1.6.3.15.1.1.N.0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsmReport {
    UnsupportedSecLevel,
    NotInTimeWindow,
    UnknownUserName,
    UnknownEngineId,
    WrongDigest,
    DecryptionError,
    /// Any other report, by OID (e.g. snmpUnknownContexts).
    Other(String),
}

impl UsmReport {
    pub fn from_pdu(pdu: &Pdu) -> Self {
        let Some(vb) = pdu.varbinds.first() else {
            return UsmReport::Other("empty report".into());
        };
        match vb.oid.arcs() {
            [1, 3, 6, 1, 6, 3, 15, 1, 1, n, 0] => match n {
                1 => UsmReport::UnsupportedSecLevel,
                2 => UsmReport::NotInTimeWindow,
                3 => UsmReport::UnknownUserName,
                4 => UsmReport::UnknownEngineId,
                5 => UsmReport::WrongDigest,
                6 => UsmReport::DecryptionError,
                _ => UsmReport::Other(vb.oid.to_string()),
            },
            _ => UsmReport::Other(vb.oid.to_string()),
        }
    }
}

impl fmt::Display for UsmReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsmReport::UnsupportedSecLevel => {
                f.write_str("usmStatsUnsupportedSecLevels (the user has no such security level)")
            }
            UsmReport::NotInTimeWindow => f.write_str("usmStatsNotInTimeWindows (clock out of sync)"),
            UsmReport::UnknownUserName => f.write_str("usmStatsUnknownUserNames (no such user)"),
            UsmReport::UnknownEngineId => f.write_str("usmStatsUnknownEngineIDs"),
            UsmReport::WrongDigest => f.write_str("usmStatsWrongDigests (wrong auth pass phrase or protocol)"),
            UsmReport::DecryptionError => {
                f.write_str("usmStatsDecryptionErrors (wrong privacy pass phrase or protocol)")
            }
            UsmReport::Other(oid) => write!(f, "report {oid}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hexs(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// RFC 3414 A.3.1/A.3.2 test vectors.
    #[test]
    fn localises_keys_like_rfc_3414() {
        let eid = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
        assert_eq!(hexs(&password_to_key(AuthProtocol::Md5, b"maplesyrup", &eid)), "526f5eed9fcce26f8964c2930787d82b");
        assert_eq!(
            hexs(&password_to_key(AuthProtocol::Sha1, b"maplesyrup", &eid)),
            "6695febc9288e36282235fc7151f128497b38f3f"
        );
    }
}
