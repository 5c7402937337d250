//! The shared engine: a few UDP sockets for all targets, one receive task
//! per socket routing replies to waiting requests by id, a semaphore as the
//! concurrency cap, and per-request timeout and retries.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use meridian_core::credential::{SnmpCredential, SnmpVersion, UsmUser};
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinHandle;

use super::oid::Oid;
use super::pdu::{self, decode_message, dispatch_id, Message, Pdu, RequestPdu, WireVersion};
use super::transport::Socket;
use super::usm::{self, EngineParams, LocalKeys, UsmReport};
use super::value::VarBind;
use crate::ProbeError;

/// Engine-wide settings; per-target timing lives in [`Target`].
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// UDP sockets per address family shared by all targets.
    pub sockets_per_family: usize,
    /// Requests in flight at once, across all targets.
    pub max_in_flight: usize,
    /// Walk: first max-repetitions, and the bounds adaptation stays in.
    pub bulk_start: u32,
    pub bulk_max: u32,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self { sockets_per_family: 2, max_in_flight: 256, bulk_start: 25, bulk_max: 100 }
    }
}

/// One agent and how to talk to it.
#[derive(Debug, Clone)]
pub struct Target {
    pub addr: SocketAddr,
    pub credential: SnmpCredential,
    /// Per attempt.
    pub timeout: Duration,
    /// Extra attempts after the first.
    pub retries: u32,
}

impl Target {
    /// 1 s timeout and 2 retries, net-snmp's defaults.
    pub fn new(addr: SocketAddr, credential: SnmpCredential) -> Self {
        Self { addr, credential, timeout: Duration::from_secs(1), retries: 2 }
    }
}

/// Counters since the engine started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EngineStats {
    pub sent: u64,
    pub received: u64,
    pub timeouts: u64,
    pub retries: u64,
    /// Replies whose id matched no request (late, duplicated or forged).
    pub stray: u64,
    /// Datagrams that did not decode, or failed authentication.
    pub malformed: u64,
}

#[derive(Default)]
struct Counters {
    sent: AtomicU64,
    received: AtomicU64,
    timeouts: AtomicU64,
    retries: AtomicU64,
    stray: AtomicU64,
    malformed: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

struct Pending {
    addr: SocketAddr,
    inbox: Arc<Inbox>,
}

/// Replies routed to one request: a short FIFO kept inline and a wake-up.
/// Lighter than a channel per request: one small allocation, no semaphore.
#[derive(Default)]
struct Inbox {
    replies: Mutex<Ring>,
    notify: Notify,
}

/// Replies queued per request before more are dropped: only duplicates or
/// forgeries come in beyond the first.
const INBOX_CAP: usize = 4;

#[derive(Default)]
struct Ring {
    slots: [Option<Vec<u8>>; INBOX_CAP],
    head: usize,
    len: usize,
}

impl Inbox {
    /// Queues a copy of `data`; false (and no copy made) when full.
    fn push(&self, data: &[u8]) -> bool {
        let mut q = lock(&self.replies);
        if q.len >= INBOX_CAP {
            return false;
        }
        let at = (q.head + q.len) % INBOX_CAP;
        let Some(slot) = q.slots.get_mut(at) else { return false };
        *slot = Some(data.to_vec());
        q.len += 1;
        drop(q);
        // Stores a permit if the request is not waiting yet, so a reply
        // between its queue check and its wait is not missed.
        self.notify.notify_one();
        true
    }

    fn pop(&self) -> Option<Vec<u8>> {
        let mut q = lock(&self.replies);
        if q.len == 0 {
            return None;
        }
        let head = q.head;
        let v = q.slots.get_mut(head).and_then(Option::take);
        q.head = (head + 1) % INBOX_CAP;
        q.len -= 1;
        v
    }
}

/// Request ids are ours (sequential from a random start), and the map holds
/// only requests in flight, so a multiplicative hash spreads them well and
/// nobody outside can choose the keys: SipHash's flood resistance buys
/// nothing here.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = ((self.0 << 8) | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_i32(&mut self, v: i32) {
        // Fibonacci hashing: the high bits (which hashbrown uses for its
        // control bytes) and the low bits both vary with every id.
        let x = u64::from(v as u32).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = x ^ (x >> 32);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type PendingMap = HashMap<i32, Pending, BuildHasherDefault<IdHasher>>;

/// What we know about one v3 agent: its engine id and clock, and the keys
/// localised to it (1 MB of hashing each, so computed once per user).
struct V3Agent {
    params: EngineParams,
    synced_at: Instant,
    keys: HashMap<u64, LocalKeys>,
}

struct Shared {
    pending: Mutex<PendingMap>,
    v3: Mutex<HashMap<SocketAddr, V3Agent>>,
    stats: Counters,
}

/// A poisoned lock only means another task panicked mid-update of plain
/// maps; the data is still usable, so carry on rather than cascade.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The SNMP engine. Share it (`Arc<SnmpEngine>`) between all pollers.
pub struct SnmpEngine {
    shared: Arc<Shared>,
    v4: Vec<Arc<Socket>>,
    v6: Vec<Arc<Socket>>,
    tasks: Vec<JoinHandle<()>>,
    permits: Semaphore,
    next_id: AtomicI32,
    salt: AtomicU64,
    cfg: EngineConfig,
}

impl Drop for SnmpEngine {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl SnmpEngine {
    /// Binds the sockets (IPv6 ones only where the host has IPv6) and starts
    /// their receive tasks. Needs a tokio runtime.
    pub async fn new(cfg: EngineConfig) -> Result<Self, ProbeError> {
        let shared = Arc::new(Shared {
            pending: Mutex::new(PendingMap::default()),
            v3: Mutex::new(HashMap::new()),
            stats: Counters::default(),
        });
        let n = cfg.sockets_per_family.clamp(1, 64);
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        let mut tasks = Vec::new();
        for _ in 0..n {
            let s = Arc::new(Socket::bind((Ipv4Addr::UNSPECIFIED, 0).into())?);
            tasks.push(tokio::spawn(serve(s.clone(), shared.clone())));
            v4.push(s);
            match Socket::bind((Ipv6Addr::UNSPECIFIED, 0).into()) {
                Ok(s) => {
                    let s = Arc::new(s);
                    tasks.push(tokio::spawn(serve(s.clone(), shared.clone())));
                    v6.push(s);
                }
                Err(e) => tracing::debug!(error = %e, "no IPv6 socket for SNMP"),
            }
        }
        let seed: u32 = rand::random();
        Ok(Self {
            shared,
            v4,
            v6,
            tasks,
            permits: Semaphore::new(cfg.max_in_flight.max(1)),
            next_id: AtomicI32::new((seed >> 2) as i32),
            salt: AtomicU64::new(rand::random()),
            cfg,
        })
    }

    pub fn stats(&self) -> EngineStats {
        let s = &self.shared.stats;
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        EngineStats {
            sent: g(&s.sent),
            received: g(&s.received),
            timeouts: g(&s.timeouts),
            retries: g(&s.retries),
            stray: g(&s.stray),
            malformed: g(&s.malformed),
        }
    }

    pub fn config(&self) -> &EngineConfig {
        &self.cfg
    }

    /// GET. Splits the request on tooBig; error-status gives a typed error.
    pub async fn get(&self, t: &Target, oids: &[Oid]) -> Result<Vec<VarBind>, ProbeError> {
        self.split_on_too_big(t, pdu::GET, oids).await
    }

    /// GETNEXT: for each OID, the next one in the agent's tree.
    pub async fn get_next(&self, t: &Target, oids: &[Oid]) -> Result<Vec<VarBind>, ProbeError> {
        self.split_on_too_big(t, pdu::GET_NEXT, oids).await
    }

    /// GETBULK (v2c and v3 only).
    pub async fn get_bulk(
        &self,
        t: &Target,
        non_repeaters: u32,
        max_repetitions: u32,
        oids: &[Oid],
    ) -> Result<Vec<VarBind>, ProbeError> {
        if t.credential.version() == SnmpVersion::V1 {
            return Err(ProbeError::InvalidTarget("GETBULK needs SNMP v2c or v3".into()));
        }
        let pdu = self.request(t, pdu::GET_BULK, non_repeaters, max_repetitions, oids).await?;
        check_status(t, &pdu)?;
        Ok(pdu.varbinds)
    }

    async fn split_on_too_big(&self, t: &Target, tag: u8, oids: &[Oid]) -> Result<Vec<VarBind>, ProbeError> {
        // The usual case: one request for all of them, its varbinds returned
        // as they are.
        let pdu = self.request(t, tag, 0, 0, oids).await?;
        if pdu.error_status != 1 || oids.len() < 2 {
            if pdu.error_status == 1 {
                return Err(ProbeError::SnmpTooBig { target: t.addr });
            }
            check_status(t, &pdu)?;
            return Ok(pdu.varbinds);
        }
        let mut out = Vec::with_capacity(oids.len());
        // Chunks still to ask for, in order; a tooBig chunk is halved.
        let (a, b) = oids.split_at(oids.len() / 2);
        let mut todo: Vec<&[Oid]> = vec![b, a];
        while let Some(chunk) = todo.pop() {
            let pdu = self.request(t, tag, 0, 0, chunk).await?;
            if pdu.error_status == 1 && chunk.len() > 1 {
                let (a, b) = chunk.split_at(chunk.len() / 2);
                todo.push(b);
                todo.push(a);
                continue;
            }
            if pdu.error_status == 1 {
                return Err(ProbeError::SnmpTooBig { target: t.addr });
            }
            check_status(t, &pdu)?;
            out.extend(pdu.varbinds);
        }
        Ok(out)
    }

    /// One request/response exchange, with retries and (v3) discovery.
    pub(crate) async fn request(
        &self,
        t: &Target,
        tag: u8,
        non_repeaters: u32,
        max_repetitions: u32,
        oids: &[Oid],
    ) -> Result<Pdu, ProbeError> {
        let _permit = self.permits.acquire().await.map_err(|_| ProbeError::Cancelled)?;
        match &t.credential {
            SnmpCredential::Community { version, community } => {
                let version = match version {
                    SnmpVersion::V1 => WireVersion::V1,
                    SnmpVersion::V2c => WireVersion::V2c,
                    SnmpVersion::V3 => {
                        return Err(ProbeError::InvalidTarget("a community credential cannot use SNMPv3".into()))
                    }
                };
                let id = self.new_id();
                let req = RequestPdu { tag, request_id: id, non_repeaters, max_repetitions, oids };
                let mut bytes = Vec::with_capacity(64 + oids.len() * 16);
                pdu::encode_community(&mut bytes, version, community.expose().as_bytes(), &req);
                let want = community.expose().as_bytes();
                self.roundtrip(t, id, &bytes, |reply| match decode_message(reply) {
                    Ok(Message::Community { community, pdu, .. })
                        if community == want && pdu.request_id == id && pdu.tag == pdu::RESPONSE =>
                    {
                        Some(pdu)
                    }
                    _ => None,
                })
                .await
            }
            SnmpCredential::Usm(user) => self.request_v3(t, user, tag, non_repeaters, max_repetitions, oids).await,
        }
    }

    async fn request_v3(
        &self,
        t: &Target,
        user: &UsmUser,
        tag: u8,
        non_repeaters: u32,
        max_repetitions: u32,
        oids: &[Oid],
    ) -> Result<Pdu, ProbeError> {
        let key_id = user_key_id(user);
        let (mut resynced, mut rediscovered) = (false, false);
        loop {
            let (params, keys) = match self.cached_v3(t.addr, user, key_id) {
                Some(c) => c,
                None => {
                    self.discover(t).await?;
                    self.cached_v3(t.addr, user, key_id).ok_or_else(|| ProbeError::SnmpProtocol {
                        target: t.addr,
                        detail: "engine discovery gave no engine id".into(),
                    })?
                }
            };
            let id = self.new_id();
            let req = RequestPdu { tag, request_id: id, non_repeaters, max_repetitions, oids };
            let mut bytes = Vec::with_capacity(128 + oids.len() * 16);
            let salt = self.salt.fetch_add(1, Ordering::Relaxed);
            usm::encode_v3(&mut bytes, id, user.user.as_bytes(), &params, &keys, salt, &req)
                .map_err(|e| ProbeError::SnmpProtocol { target: t.addr, detail: e.into() })?;
            let (msg, pdu) = self
                .roundtrip(t, id, &bytes, |reply| match decode_message(reply) {
                    Ok(Message::V3(m)) if m.msg_id == id => {
                        let pdu = usm::open(reply, &m, &keys).ok()?;
                        let ok = match pdu.tag {
                            pdu::RESPONSE => pdu.request_id == id && m.user == user.user.as_bytes(),
                            pdu::REPORT => true,
                            _ => false,
                        };
                        ok.then_some((m, pdu))
                    }
                    _ => None,
                })
                .await?;
            if msg.flags & usm::FLAG_AUTH != 0 {
                self.update_clock(t.addr, msg.engine_boots, msg.engine_time);
            }
            if pdu.tag == pdu::RESPONSE {
                return Ok(pdu);
            }
            let report = UsmReport::from_pdu(&pdu);
            match report {
                // An authenticated report carries the agent's clock; retry
                // once with it (RFC 3414 4: time synchronisation).
                UsmReport::NotInTimeWindow if !resynced => {
                    resynced = true;
                    self.update_clock(t.addr, msg.engine_boots, msg.engine_time);
                }
                // The agent's engine id changed (replaced, re-keyed): forget
                // it and discover again, once.
                UsmReport::UnknownEngineId if !rediscovered => {
                    rediscovered = true;
                    lock(&self.shared.v3).remove(&t.addr);
                }
                report => return Err(ProbeError::SnmpUsm { target: t.addr, report }),
            }
        }
    }

    /// RFC 3414 4: an empty unauthenticated request makes the agent report
    /// its engine id, boots and time.
    async fn discover(&self, t: &Target) -> Result<(), ProbeError> {
        let id = self.new_id();
        let req = RequestPdu { tag: pdu::GET, request_id: id, non_repeaters: 0, max_repetitions: 0, oids: &[] };
        let mut bytes = Vec::with_capacity(64);
        usm::encode_v3(&mut bytes, id, b"", &EngineParams::default(), &LocalKeys::none(), 0, &req)
            .map_err(|e| ProbeError::SnmpProtocol { target: t.addr, detail: e.into() })?;
        let msg = self
            .roundtrip(t, id, &bytes, |reply| match decode_message(reply) {
                Ok(Message::V3(m)) if m.msg_id == id && !m.engine_id.is_empty() => Some(m),
                _ => None,
            })
            .await?;
        tracing::debug!(target = %t.addr, boots = msg.engine_boots, "SNMPv3 engine discovered");
        lock(&self.shared.v3).insert(
            t.addr,
            V3Agent {
                params: EngineParams { engine_id: msg.engine_id, boots: msg.engine_boots, time: msg.engine_time },
                synced_at: Instant::now(),
                keys: HashMap::new(),
            },
        );
        Ok(())
    }

    /// Engine params with the clock advanced to now, and the user's keys
    /// (localised on first use).
    fn cached_v3(&self, addr: SocketAddr, user: &UsmUser, key_id: u64) -> Option<(EngineParams, LocalKeys)> {
        let mut map = lock(&self.shared.v3);
        let agent = map.get_mut(&addr)?;
        let elapsed = u32::try_from(agent.synced_at.elapsed().as_secs()).unwrap_or(u32::MAX);
        let mut params = agent.params.clone();
        params.time = params.time.saturating_add(elapsed).min(i32::MAX as u32);
        let eid = agent.params.engine_id.clone();
        let keys = agent.keys.entry(key_id).or_insert_with(|| LocalKeys::localize(user, &eid)).clone();
        Some((params, keys))
    }

    fn update_clock(&self, addr: SocketAddr, boots: u32, time: u32) {
        if let Some(a) = lock(&self.shared.v3).get_mut(&addr) {
            a.params.boots = boots;
            a.params.time = time;
            a.synced_at = Instant::now();
        }
    }

    fn new_id(&self) -> i32 {
        // Positive 31-bit ids; 0 is avoided because some agents treat it
        // specially.
        loop {
            let id = self.next_id.fetch_add(1, Ordering::Relaxed) & 0x7fff_ffff;
            if id != 0 {
                return id;
            }
        }
    }

    fn socket_for(&self, t: &Target, id: i32) -> Result<&Arc<Socket>, ProbeError> {
        let pool = if t.addr.is_ipv4() { &self.v4 } else { &self.v6 };
        let n = pool.len().max(1);
        pool.get(id.unsigned_abs() as usize % n)
            .ok_or_else(|| ProbeError::InvalidTarget(format!("{}: no socket for this address family", t.addr)))
    }

    /// Sends `bytes` and waits for a reply that `accept` takes, resending
    /// the same bytes (same id, so a late reply to an earlier attempt still
    /// counts) after each timeout. Replies `accept` refuses are counted as
    /// malformed and the wait goes on: one forged packet cannot fail a
    /// request.
    async fn roundtrip<T>(
        &self,
        t: &Target,
        id: i32,
        bytes: &[u8],
        mut accept: impl FnMut(&[u8]) -> Option<T>,
    ) -> Result<T, ProbeError> {
        let sock = self.socket_for(t, id)?;
        let inbox = Arc::new(Inbox::default());
        let _guard = PendingGuard::register(&self.shared, id, Pending { addr: t.addr, inbox: inbox.clone() });
        let stats = &self.shared.stats;
        for attempt in 0..=t.retries {
            if attempt > 0 {
                bump(&stats.retries);
            }
            let deadline = tokio::time::Instant::now() + t.timeout;
            if sock.send_to(bytes, t.addr, deadline).await? {
                bump(&stats.sent);
            }
            loop {
                if let Some(reply) = inbox.pop() {
                    match accept(&reply) {
                        Some(v) => return Ok(v),
                        None => bump(&stats.malformed),
                    }
                    continue;
                }
                if tokio::time::timeout_at(deadline, inbox.notify.notified()).await.is_err() {
                    break;
                }
            }
        }
        bump(&stats.timeouts);
        Err(ProbeError::SnmpTimeout { target: t.addr, attempts: t.retries + 1, timeout: t.timeout })
    }
}

/// Removes the pending entry however the request ends (reply, timeout, or
/// the future being dropped).
struct PendingGuard<'a> {
    shared: &'a Shared,
    id: i32,
}

impl<'a> PendingGuard<'a> {
    fn register(shared: &'a Shared, id: i32, p: Pending) -> Self {
        lock(&shared.pending).insert(id, p);
        Self { shared, id }
    }
}

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        lock(&self.shared.pending).remove(&self.id);
    }
}

async fn serve(sock: Arc<Socket>, shared: Arc<Shared>) {
    sock.receive_loop(|data, from| route(&shared, data, from)).await;
}

/// Hands one datagram to the request waiting for its id.
fn route(shared: &Shared, data: &[u8], from: SocketAddr) {
    bump(&shared.stats.received);
    let Ok(id) = dispatch_id(data) else {
        bump(&shared.stats.malformed);
        return;
    };
    let pending = lock(&shared.pending);
    match pending.get(&id) {
        Some(p) if p.addr == from => {
            // A full inbox means duplicates; dropping them is fine.
            let _ = p.inbox.push(data);
        }
        _ => bump(&shared.stats.stray),
    }
}

fn check_status(t: &Target, pdu: &Pdu) -> Result<(), ProbeError> {
    if pdu.error_status == 0 {
        return Ok(());
    }
    Err(ProbeError::SnmpErrorStatus {
        target: t.addr,
        status: pdu::error_status_name(pdu.error_status),
        code: pdu.error_status,
        index: pdu.error_index,
    })
}

/// Identifies a user's keys in the cache without keeping the pass phrases
/// there.
fn user_key_id(u: &UsmUser) -> u64 {
    let mut h = DefaultHasher::new();
    u.user.hash(&mut h);
    if let Some((p, s)) = &u.auth {
        p.as_str().hash(&mut h);
        s.expose().hash(&mut h);
    }
    if let Some((p, s)) = &u.privacy {
        p.as_str().hash(&mut h);
        s.expose().hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbox_is_a_bounded_fifo_that_wraps() {
        let inbox = Inbox::default();
        assert_eq!(inbox.pop(), None);
        for round in 0u8..3 {
            for i in 0..INBOX_CAP as u8 {
                assert!(inbox.push(&[round, i]));
            }
            assert!(!inbox.push(&[round, 99]), "a full inbox drops");
            assert_eq!(inbox.pop(), Some(vec![round, 0]));
            assert!(inbox.push(&[round, 4]));
            for i in 1..=INBOX_CAP as u8 {
                assert_eq!(inbox.pop(), Some(vec![round, i]));
            }
            assert_eq!(inbox.pop(), None);
            // Leave the head somewhere else for the next round.
            assert!(inbox.push(&[round]));
            assert_eq!(inbox.pop(), Some(vec![round]));
        }
    }

    #[tokio::test]
    async fn a_reply_pushed_before_the_wait_is_not_missed() {
        let inbox = Arc::new(Inbox::default());
        assert!(inbox.push(b"reply"));
        // The permit notify_one stored completes the wait at once.
        let woke = tokio::time::timeout(Duration::from_secs(1), inbox.notify.notified()).await;
        assert!(woke.is_ok());
        assert_eq!(inbox.pop().as_deref(), Some(&b"reply"[..]));
    }

    #[test]
    fn pending_map_works_with_the_id_hasher() {
        let mut m: HashMap<i32, u32, BuildHasherDefault<IdHasher>> = HashMap::default();
        let start: i32 = 0x7fff_ff00;
        for k in 0..10_000i32 {
            m.insert(start.wrapping_add(k) & 0x7fff_ffff, k as u32);
        }
        for k in 0..10_000i32 {
            assert_eq!(m.remove(&(start.wrapping_add(k) & 0x7fff_ffff)), Some(k as u32));
        }
        assert!(m.is_empty());
    }
}
