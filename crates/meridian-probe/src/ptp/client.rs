//! Request/response over a [`Transport`]: one outstanding request per
//! client, replies matched by sequenceId and managementId, a timeout per
//! attempt and a bounded number of attempts. Datagrams that do not decode
//! are counted and skipped, so one bad packet costs nothing but a count.

use std::future::Future;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;

use meridian_core::ptp::{ClockIdentity, PortIdentity, PtpSnapshot};
use tokio::sync::Mutex;
use tokio::time::{timeout_at, Instant};

use super::dataset::{Dataset, FromDataset, ManagementId};
use super::transport::{AnyTransport, PtpEndpoint, Transport};
use super::wire::{Action, Message, Payload, FLAG_UNICAST};
use crate::{DecodeCounters, ProbeError, RetryPolicy};

/// What the service needs from a PTP clock (a trait, so the monitor can be
/// driven by anything that answers the same way).
pub trait PtpClient: Send + Sync {
    fn get(&self, id: ManagementId) -> impl Future<Output = Result<Dataset, ProbeError>> + Send;

    /// GET of the data set `T` is read from.
    fn get_as<T: FromDataset>(&self) -> impl Future<Output = Result<T, ProbeError>> + Send {
        async move {
            let ds = self.get(T::ID).await?;
            T::from_dataset(ds).map_err(|other| unexpected(T::ID, &other))
        }
    }

    /// DEFAULT, CURRENT, PARENT and PORT data sets and TIME_STATUS_NP.
    fn snapshot(&self) -> impl Future<Output = Result<PtpSnapshot, ProbeError>> + Send {
        async move {
            Ok(PtpSnapshot {
                default: self.get_as().await?,
                current: self.get_as().await?,
                parent: self.get_as().await?,
                port: self.get_as().await?,
                time_status: self.get_as().await?,
            })
        }
    }
}

fn unexpected(id: ManagementId, got: &Dataset) -> ProbeError {
    ProbeError::PtpProtocol { peer: "clock".into(), detail: format!("asked for {id:?}, decoded {got:?}") }
}

/// The management client over one transport.
pub struct PtpManagementClient<T = AnyTransport> {
    transport: T,
    /// Serialises exchanges: one request in flight, so any reply is ours.
    lock: Mutex<()>,
    sequence: AtomicU16,
    source: PortIdentity,
    target: PortIdentity,
    domain: u8,
    boundary_hops: u8,
    unicast: bool,
    policy: RetryPolicy,
    counters: Arc<DecodeCounters>,
}

impl PtpManagementClient<AnyTransport> {
    /// Opens the endpoint's socket (needs a tokio runtime). A UNIX endpoint
    /// asks with 0 boundary hops (the local clock only, as `pmc -b 0`); a
    /// UDP endpoint sends unicast to the clock's address with boundary hops
    /// 1 (ptp4l answers a network request only then), unicast flag set.
    pub fn open(endpoint: &PtpEndpoint, domain: u8, policy: RetryPolicy) -> Result<Self, ProbeError> {
        let transport = AnyTransport::open(endpoint)?;
        let udp = matches!(endpoint, PtpEndpoint::Udp { .. });
        Ok(Self::new(transport, domain, policy).unicast(udp).boundary_hops(u8::from(udp)))
    }
}

impl<T: Transport> PtpManagementClient<T> {
    pub fn new(transport: T, domain: u8, policy: RetryPolicy) -> Self {
        // Like pmc: a zero clock identity and our pid as the port number,
        // so ptp4l's logs name the asking process.
        let source = PortIdentity { clock: ClockIdentity::default(), port: std::process::id() as u16 };
        Self {
            transport,
            lock: Mutex::new(()),
            sequence: AtomicU16::new(0),
            source,
            target: PortIdentity::ALL,
            domain,
            boundary_hops: 0,
            unicast: false,
            policy,
            counters: Arc::default(),
        }
    }

    pub fn unicast(mut self, on: bool) -> Self {
        self.unicast = on;
        self
    }

    /// Asks through up to `hops` boundary clocks (pmc's `-b`).
    pub fn boundary_hops(mut self, hops: u8) -> Self {
        self.boundary_hops = hops;
        self
    }

    /// Rejected datagrams by reason.
    pub fn decode_counters(&self) -> Arc<DecodeCounters> {
        Arc::clone(&self.counters)
    }

    /// A SET (ptp4l accepts it only on its UNIX socket); the clock's
    /// RESPONSE carries the value it now holds.
    pub async fn set(&self, id: ManagementId, data: Vec<u8>) -> Result<Dataset, ProbeError> {
        self.exchange(Action::Set, id, data).await
    }

    fn request(&self, seq: u16, action: Action, id: ManagementId, data: Vec<u8>) -> Message {
        Message {
            domain: self.domain,
            source: self.source,
            sequence_id: seq,
            target: self.target,
            starting_boundary_hops: self.boundary_hops,
            boundary_hops: self.boundary_hops,
            action,
            flags0: if self.unicast { FLAG_UNICAST } else { 0 },
            payload: Payload::Management { id: id.code(), data },
        }
    }

    async fn exchange(&self, action: Action, id: ManagementId, data: Vec<u8>) -> Result<Dataset, ProbeError> {
        let _one = self.lock.lock().await;
        let mut buf = vec![0u8; 1500];
        for attempt in 1..=self.policy.attempts {
            let seq = self.sequence.fetch_add(1, Ordering::Relaxed);
            let request = self.request(seq, action, id, data.clone());
            if let Err(source) = self.transport.send(&request.encode()).await {
                return Err(ProbeError::PtpUnavailable { peer: self.transport.peer(), source });
            }
            let deadline = Instant::now() + self.policy.timeout;
            while let Ok(received) = timeout_at(deadline, self.transport.recv(&mut buf)).await {
                let n = received?;
                let reply = match Message::decode(&buf[..n]) {
                    Ok(m) => m,
                    Err(e) => {
                        self.counters.record(e.kind());
                        tracing::debug!(peer = %self.transport.peer(), error = %e, "PTP datagram rejected");
                        continue;
                    }
                };
                // Our own request echoed back (multicast loop), a late reply
                // to an earlier attempt, or a notification (ptp4l numbers
                // those per subscriber, so the sequenceId may collide; the
                // managementId tells them apart): not this answer.
                let about = match &reply.payload {
                    Payload::Management { id, .. } | Payload::Error { id, .. } => *id,
                };
                if reply.sequence_id != seq
                    || about != id.code()
                    || !matches!(reply.action, Action::Response | Action::Acknowledge)
                {
                    continue;
                }
                return self.answer(reply);
            }
            tracing::debug!(peer = %self.transport.peer(), attempt, ?id, "PTP management request timed out");
        }
        Err(ProbeError::PtpTimeout {
            peer: self.transport.peer(),
            attempts: self.policy.attempts,
            timeout: self.policy.timeout,
        })
    }

    fn answer(&self, reply: Message) -> Result<Dataset, ProbeError> {
        match reply.payload {
            Payload::Error { error_id, id: got, display } => Err(ProbeError::PtpManagementError {
                peer: self.transport.peer(),
                id: got,
                code: error_id,
                name: super::management_error_name(error_id),
                display,
            }),
            Payload::Management { id: got, data } => Dataset::decode(got, &data).map_err(|e| {
                self.counters.record(e.kind());
                ProbeError::PtpDecode(e)
            }),
        }
    }

    /// One GET to every clock that hears it (a UDP endpoint whose remote is
    /// [`super::PTP_PRIMARY_MULTICAST`]), collecting every answer for
    /// `wait`: the data set of each clock port that replied, keyed by the
    /// reply's sourcePortIdentity. Error statuses and undecodable replies
    /// are skipped (the latter counted). One send, no retries: a clock that
    /// missed it is found on the next sweep.
    pub async fn get_all(
        &self,
        id: ManagementId,
        wait: std::time::Duration,
    ) -> Result<Vec<(PortIdentity, Dataset)>, ProbeError> {
        let _one = self.lock.lock().await;
        let seq = self.sequence.fetch_add(1, Ordering::Relaxed);
        let request = self.request(seq, Action::Get, id, id.get_data());
        if let Err(source) = self.transport.send(&request.encode()).await {
            return Err(ProbeError::PtpUnavailable { peer: self.transport.peer(), source });
        }
        let mut buf = vec![0u8; 1500];
        let mut out: Vec<(PortIdentity, Dataset)> = Vec::new();
        let deadline = Instant::now() + wait;
        while let Ok(received) = timeout_at(deadline, self.transport.recv(&mut buf)).await {
            let n = received?;
            let (msg, ds) = match super::decode_reply(&buf[..n]) {
                Ok((msg, Some(ds))) => (msg, ds),
                Ok(_) => continue,
                Err(e) => {
                    self.counters.record(e.kind());
                    continue;
                }
            };
            let about = matches!(&msg.payload, Payload::Management { id: got, .. } if *got == id.code());
            if msg.sequence_id == seq
                && msg.action == Action::Response
                && about
                && !out.iter().any(|(p, _)| *p == msg.source)
            {
                out.push((msg.source, ds));
            }
        }
        Ok(out)
    }

    /// Asks a local ptp4l (UNIX transport only) to push port-state changes
    /// (and, with `time_sync`, every servo update) to this client's socket
    /// for `duration_s` seconds; renew before it runs out. Read them with
    /// [`Self::next_event`]. Use a client of its own for this: replies to
    /// requests and notifications share the socket.
    pub async fn subscribe(&self, duration_s: u16, time_sync: bool) -> Result<(), ProbeError> {
        let data = super::dataset::subscribe_events_data(duration_s, time_sync);
        match self.set(ManagementId::SubscribeEventsNp, data).await? {
            Dataset::SubscribeEventsNp { .. } => Ok(()),
            other => Err(unexpected(ManagementId::SubscribeEventsNp, &other)),
        }
    }

    /// The next pushed notification (a PORT_DATA_SET on a port-state
    /// change, TIME_STATUS_NP on time sync), or `None` when nothing came
    /// within `wait`. Undecodable datagrams are counted and skipped.
    pub async fn next_event(&self, wait: std::time::Duration) -> Result<Option<Dataset>, ProbeError> {
        let _one = self.lock.lock().await;
        let mut buf = vec![0u8; 1500];
        let deadline = Instant::now() + wait;
        while let Ok(received) = timeout_at(deadline, self.transport.recv(&mut buf)).await {
            let n = received?;
            match super::decode_reply(&buf[..n]) {
                Ok((msg, Some(ds))) if msg.action == Action::Response => return Ok(Some(ds)),
                Ok(_) => {}
                Err(e) => self.counters.record(e.kind()),
            }
        }
        Ok(None)
    }
}

impl<T: Transport> PtpClient for PtpManagementClient<T> {
    async fn get(&self, id: ManagementId) -> Result<Dataset, ProbeError> {
        self.exchange(Action::Get, id, id.get_data()).await
    }
}
