//! Agent misbehaviour that snmpd will not produce, from a tiny UDP
//! responder on 127.0.0.1 written here: OIDs that do not increase, replies
//! with the wrong request id, and garbage datagrams.

use std::net::SocketAddr;
use std::time::Duration;

use meridian_core::credential::{Secret, SnmpCredential, SnmpVersion};
use meridian_probe::snmp::{
    decode_message, encode_pdu, EngineConfig, Message, Oid, Pdu, SnmpEngine, Target, Value, VarBind, RESPONSE,
};
use meridian_probe::ProbeError;
use tokio::net::UdpSocket;

#[derive(Clone, Copy)]
enum Mode {
    /// Answers every request with the same OID (a loop).
    Repeat,
    /// First a reply with a wrong request id and a garbage datagram, then the
    /// right reply.
    WrongIdFirst,
}

fn reply(req_id: i32, oid: &str) -> Vec<u8> {
    let pdu = Pdu {
        tag: RESPONSE,
        request_id: req_id,
        error_status: 0,
        error_index: 0,
        varbinds: vec![VarBind { oid: oid.parse().expect("oid"), value: Value::Integer(7) }],
    };
    let mut body = Vec::new();
    body.extend_from_slice(&[0x02, 0x01, 0x01, 0x04, 0x06]);
    body.extend_from_slice(b"public");
    encode_pdu(&mut body, &pdu);
    let mut out = vec![0x30];
    assert!(body.len() < 128);
    out.push(body.len() as u8);
    out.extend_from_slice(&body);
    out
}

async fn fake_agent(mode: Mode) -> SocketAddr {
    let sock = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    let addr = sock.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut buf = vec![0u8; 2048];
        // Bounded: a test never needs more than a few exchanges.
        for _ in 0..50 {
            let Ok((n, from)) = sock.recv_from(&mut buf).await else { return };
            let Ok(Message::Community { pdu, .. }) = decode_message(&buf[..n]) else { continue };
            match mode {
                Mode::Repeat => {
                    let _ = sock.send_to(&reply(pdu.request_id, "1.3.6.1.2.1.1.1.0"), from).await;
                }
                Mode::WrongIdFirst => {
                    let _ = sock.send_to(&reply(pdu.request_id.wrapping_add(1000), "1.3.6.1.2.1.1.1.0"), from).await;
                    let _ = sock.send_to(&[0x30, 0x05, 0x02, 0x01], from).await;
                    let _ = sock.send_to(&reply(pdu.request_id, "1.3.6.1.2.1.1.1.0"), from).await;
                }
            }
        }
    });
    addr
}

fn target(addr: SocketAddr) -> Target {
    let cred = SnmpCredential::Community { version: SnmpVersion::V2c, community: Secret::new("public") };
    let mut t = Target::new(addr, cred);
    t.timeout = Duration::from_millis(300);
    t.retries = 0;
    t
}

#[tokio::test]
async fn non_increasing_oids_stop_the_walk_with_a_typed_error() {
    let addr = fake_agent(Mode::Repeat).await;
    let e = SnmpEngine::new(EngineConfig::default()).await.expect("engine");
    let root: Oid = "1.3.6.1.2.1.1".parse().expect("oid");
    match e.walk(&target(addr), &root).await {
        Err(ProbeError::SnmpOidNotIncreasing { prev, next, .. }) => {
            assert_eq!(prev, next);
            assert_eq!(next, ".1.3.6.1.2.1.1.1.0");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn wrong_request_id_and_garbage_are_counted_and_dropped() {
    let addr = fake_agent(Mode::WrongIdFirst).await;
    let e = SnmpEngine::new(EngineConfig::default()).await.expect("engine");
    let vbs = e.get(&target(addr), &["1.3.6.1.2.1.1.1.0".parse().expect("oid")]).await.expect("get");
    assert_eq!(vbs[0].value, Value::Integer(7));
    // Give the receive task a moment for the datagrams sent after ours.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while e.stats().stray < 1 || e.stats().malformed < 1 {
        assert!(tokio::time::Instant::now() < deadline, "{:?}", e.stats());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn silent_agent_times_out_after_retries() {
    let sock = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    let e = SnmpEngine::new(EngineConfig::default()).await.expect("engine");
    let mut t = target(sock.local_addr().expect("addr"));
    t.timeout = Duration::from_millis(100);
    t.retries = 2;
    match e.get(&t, &["1.3.6.1.2.1.1.1.0".parse().expect("oid")]).await {
        Err(ProbeError::SnmpTimeout { attempts: 3, .. }) => {}
        other => panic!("{other:?}"),
    }
    let s = e.stats();
    assert_eq!((s.sent, s.retries, s.timeouts), (3, 2, 1));
}
