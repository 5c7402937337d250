//! The simulated agents: this binary re-executed with `POLL_PATH_RESPONDER`
//! set to `first,count`. It binds one UDP socket per agent (127.80.0.1 and
//! up, all on one port as real agents share 161), answers SNMPv2c GETs of
//! the 20 poll OIDs and stops when its stdin closes or its lifetime bound
//! passes. Several run side by side, each with a slice of the agents, so no
//! process needs more descriptors than the default limit.
//!
//! Values follow wall time since the responder started, so the poller's
//! rates come out whatever the cycle's length: sysUpTime counts real
//! centiseconds and the octet counters grow at a per-agent bit rate. CPU
//! is quiet except on every 50th agent, which reports 97 % on its even
//! polls: rules raise on one poll and clear on the next.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use meridian_probe::snmp::{decode_message, encode_pdu, Message, Oid, Pdu, Value, VarBind, WireVersion, GET, RESPONSE};

pub const RESPONDER_ENV: &str = "POLL_PATH_RESPONDER";
pub const COMMUNITY: &str = "public";
/// Agents per responder process: well under a 20,000-descriptor limit.
pub const PER_RESPONDER: u32 = 12_500;
const RESPONDER_MAX_LIFETIME: Duration = Duration::from_secs(1_800);
const MAX_REQUESTS_PER_AGENT: u32 = 1_000;

/// What the bench's poll asks each agent, in this order (20 OIDs: the
/// system group's uptime and name, one CPU, eight columns of two
/// interfaces, and ifInDiscards of both).
pub const POLL_OIDS: [&str; 20] = [
    "1.3.6.1.2.1.1.3.0",             // 0 sysUpTime
    "1.3.6.1.2.1.1.5.0",             // 1 sysName
    "1.3.6.1.2.1.25.3.3.1.2.196608", // 2 hrProcessorLoad
    "1.3.6.1.2.1.2.2.1.2.1",         // 3 ifDescr.1
    "1.3.6.1.2.1.2.2.1.7.1",         // 4 ifAdminStatus.1
    "1.3.6.1.2.1.2.2.1.8.1",         // 5 ifOperStatus.1
    "1.3.6.1.2.1.31.1.1.1.6.1",      // 6 ifHCInOctets.1
    "1.3.6.1.2.1.31.1.1.1.10.1",     // 7 ifHCOutOctets.1
    "1.3.6.1.2.1.2.2.1.14.1",        // 8 ifInErrors.1
    "1.3.6.1.2.1.2.2.1.20.1",        // 9 ifOutErrors.1
    "1.3.6.1.2.1.31.1.1.1.15.1",     // 10 ifHighSpeed.1
    "1.3.6.1.2.1.2.2.1.2.2",         // 11 ifDescr.2
    "1.3.6.1.2.1.2.2.1.7.2",         // 12 ifAdminStatus.2
    "1.3.6.1.2.1.2.2.1.8.2",         // 13 ifOperStatus.2
    "1.3.6.1.2.1.31.1.1.1.6.2",      // 14 ifHCInOctets.2
    "1.3.6.1.2.1.31.1.1.1.10.2",     // 15 ifHCOutOctets.2
    "1.3.6.1.2.1.2.2.1.14.2",        // 16 ifInErrors.2
    "1.3.6.1.2.1.2.2.1.20.2",        // 17 ifOutErrors.2
    "1.3.6.1.2.1.31.1.1.1.15.2",     // 18 ifHighSpeed.2
    "1.3.6.1.2.1.2.2.1.13.1",        // 19 ifInDiscards.1
];

pub fn poll_oids() -> Vec<Oid> {
    POLL_OIDS.iter().map(|o| o.parse().expect("oid")).collect()
}

/// Agent `i` lives on 127.(80 + b / 256).(b % 256).(i % 250 + 1) with b =
/// i / 250: room for 256,000 agents, away from the other benches' ranges.
pub fn agent_addr(i: u32, port: u16) -> SocketAddr {
    let b = i / 250;
    let second = u8::try_from(80 + b / 256).expect("at most 256,000 agents");
    let third = (b % 256) as u8;
    let fourth = (i % 250 + 1) as u8;
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, second, third, fourth)), port)
}

/// The value agent `agent` gives for poll OID `which` at its `n`th request,
/// `secs` after the responder started.
fn agent_value(agent: u32, which: Option<usize>, n: u32, secs: f64) -> Value {
    let a = u64::from(agent);
    // 1 to 40 Mbit/s in, half that out, on a 1 Gbit/s port.
    let bps = (1 + a % 40) as f64 * 1e6;
    let octets = |share: f64| Value::Counter64(a * 1_000_003 + (bps * share * secs / 8.0) as u64);
    let errors = |per_sec: f64| Value::Counter32(((a % 1_000) as f64 + per_sec * secs) as u32);
    match which {
        Some(0) => Value::TimeTicks(((a % 10_000) * 100 + (secs * 100.0) as u64) as u32),
        Some(1) => Value::OctetString(format!("agent-{agent}.lab.example").into_bytes()),
        Some(2) => {
            Value::Integer(if agent.is_multiple_of(50) && n.is_multiple_of(2) { 97 } else { 5 + i64::from(agent % 40) })
        }
        Some(3) => Value::OctetString(b"eth0".to_vec()),
        Some(11) => Value::OctetString(b"eth1".to_vec()),
        Some(4 | 5 | 12 | 13) => Value::Integer(1),
        Some(6) => octets(1.0),
        Some(7) => octets(0.5),
        Some(14) => octets(0.25),
        Some(15) => octets(0.125),
        Some(8 | 16) => errors(0.5),
        Some(9 | 17) => errors(0.1),
        Some(10 | 18) => Value::Gauge32(1_000),
        Some(19) => errors(0.2),
        _ => Value::NoSuchObject,
    }
}

fn push_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else if let Ok(b) = u8::try_from(len) {
        out.extend_from_slice(&[0x81, b]);
    } else {
        let b = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
        out.extend_from_slice(&[0x82, b[0], b[1]]);
    }
}

/// The Response to a datagram, or `None` for what an agent would drop.
fn answer(agent: u32, req: &[u8], n: u32, secs: f64, oids: &[Oid]) -> Option<Vec<u8>> {
    let Ok(Message::Community { version: WireVersion::V2c, community, pdu }) = decode_message(req) else {
        return None;
    };
    if community != COMMUNITY.as_bytes() || pdu.tag != GET {
        return None;
    }
    let varbinds = pdu
        .varbinds
        .into_iter()
        .map(|vb| {
            let which = oids.iter().position(|o| *o == vb.oid);
            VarBind { value: agent_value(agent, which, n, secs), oid: vb.oid }
        })
        .collect();
    let resp = Pdu { tag: RESPONSE, request_id: pdu.request_id, error_status: 0, error_index: 0, varbinds };
    let mut body = Vec::with_capacity(768);
    body.extend_from_slice(&[0x02, 0x01, WireVersion::V2c as u8]);
    push_header(&mut body, 0x04, community.len());
    body.extend_from_slice(&community);
    encode_pdu(&mut body, &resp);
    let mut out = Vec::with_capacity(body.len() + 4);
    push_header(&mut out, 0x30, body.len());
    out.extend_from_slice(&body);
    Some(out)
}

async fn agent_loop(
    sock: tokio::net::UdpSocket,
    agent: u32,
    oids: Arc<Vec<Oid>>,
    start: Instant,
    answered: Arc<AtomicU64>,
) {
    let mut buf = vec![0u8; 2048];
    for n in 0..MAX_REQUESTS_PER_AGENT {
        let Ok((len, from)) = sock.recv_from(&mut buf).await else { continue };
        let secs = start.elapsed().as_secs_f64();
        if let Some(reply) = buf.get(..len).and_then(|req| answer(agent, req, n, secs, &oids)) {
            if sock.send_to(&reply, from).await.is_ok() {
                answered.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Binds agents `first..first + count` on one port (the ephemeral port the
/// first bind got; a few tries if another process holds it somewhere).
fn bind_slice(first: u32, count: u32) -> Result<(u16, Vec<std::net::UdpSocket>), String> {
    let mut last = String::new();
    for _attempt in 0..5 {
        let s0 = std::net::UdpSocket::bind(agent_addr(first, 0)).map_err(|e| format!("bind: {e}"))?;
        let port = s0.local_addr().map_err(|e| e.to_string())?.port();
        let mut socks = vec![s0];
        for i in first + 1..first + count {
            match std::net::UdpSocket::bind(agent_addr(i, port)) {
                Ok(s) => socks.push(s),
                Err(e) => {
                    last = format!("bind {}: {e}", agent_addr(i, port));
                    break;
                }
            }
        }
        if socks.len() == count as usize {
            return Ok((port, socks));
        }
    }
    Err(last)
}

/// The child's main: `spec` is "first,count".
pub fn run(spec: &str) {
    let mut it = spec.split(',').map(|v| v.trim().parse::<u32>().ok());
    let (Some(Some(first)), Some(Some(count))) = (it.next(), it.next()) else {
        println!("ERROR bad slice {spec:?}");
        return;
    };
    let (port, socks) = match bind_slice(first, count.max(1)) {
        Ok(x) => x,
        Err(e) => {
            println!("ERROR {e}");
            return;
        }
    };
    let oids = Arc::new(poll_oids());
    let answered = Arc::new(AtomicU64::new(0));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = std::io::stdin().lock().take(1 << 20).read_to_end(&mut sink);
        let _ = stop_tx.send(());
    });
    let start = Instant::now();
    rt.block_on(async {
        for (k, s) in socks.into_iter().enumerate() {
            s.set_nonblocking(true).expect("nonblocking");
            let s = tokio::net::UdpSocket::from_std(s).expect("register socket");
            let agent = first + u32::try_from(k).unwrap_or(u32::MAX);
            tokio::spawn(agent_loop(s, agent, oids.clone(), start, answered.clone()));
        }
        println!("READY {port}");
        let _ = std::io::stdout().flush();
        let _ = tokio::time::timeout(RESPONDER_MAX_LIFETIME, stop_rx).await;
    });
    println!("DONE answered={}", answered.load(Ordering::Relaxed));
}
