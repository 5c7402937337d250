//! The codec and the authority against hand-built messages; the real
//! senders (net-snmp snmptrap/snmpinform) are in tests/snmp_traps.rs.

use std::net::{Ipv4Addr, SocketAddr};

use meridian_core::credential::{AuthProtocol, PrivProtocol, Secret, UsmUser};

use super::super::ber;
use super::super::oid::Oid;
use super::super::pdu::{decode_message, encode_pdu, Message, Pdu, INFORM, REPORT, RESPONSE, TRAP_V1, TRAP_V2};
use super::super::usm::{encode_v3_with, open, EngineParams, LocalKeys, V3Head};
use super::super::value::{Value, VarBind};
use super::*;

fn oid(s: &str) -> Oid {
    s.parse().expect("oid")
}

fn from() -> SocketAddr {
    "127.0.0.1:40000".parse().expect("addr")
}

fn link_down_varbinds(uptime: u32) -> Vec<VarBind> {
    vec![
        VarBind { oid: oid("1.3.6.1.2.1.1.3.0"), value: Value::TimeTicks(uptime) },
        VarBind { oid: oid("1.3.6.1.6.3.1.1.4.1.0"), value: Value::Oid(oid("1.3.6.1.6.3.1.1.5.3")) },
        VarBind { oid: oid("1.3.6.1.2.1.2.2.1.1.2"), value: Value::Integer(2) },
        VarBind { oid: oid("1.3.6.1.2.1.2.2.1.7.2"), value: Value::Integer(1) },
        VarBind { oid: oid("1.3.6.1.2.1.2.2.1.8.2"), value: Value::Integer(2) },
    ]
}

fn community_msg(version: i64, community: &[u8], pdu_bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    ber::integer(&mut body, version);
    ber::octets(&mut body, community);
    body.extend_from_slice(pdu_bytes);
    let mut out = Vec::new();
    ber::tlv(&mut out, ber::SEQUENCE, &body);
    out
}

fn v2_pdu(tag: u8, request_id: i32) -> Vec<u8> {
    let mut out = Vec::new();
    encode_pdu(&mut out, &Pdu { tag, request_id, error_status: 0, error_index: 0, varbinds: link_down_varbinds(42) });
    out
}

fn v1_trap(generic: i64, specific: i64) -> Vec<u8> {
    let mut p = Vec::new();
    ber::oid(&mut p, &[1, 3, 6, 1, 4, 1, 8072, 2, 3]);
    ber::tlv(&mut p, ber::IP_ADDRESS, &[127, 0, 0, 9]);
    ber::integer(&mut p, generic);
    ber::integer(&mut p, specific);
    ber::unsigned(&mut p, ber::TIMETICKS, 1234);
    let mut list = Vec::new();
    let mut vb = Vec::new();
    ber::oid(&mut vb, &[1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 2]);
    ber::integer(&mut vb, 2);
    ber::tlv(&mut list, ber::SEQUENCE, &vb);
    ber::tlv(&mut p, ber::SEQUENCE, &list);
    let mut out = Vec::new();
    ber::tlv(&mut out, TRAP_V1, &p);
    out
}

fn engine() -> LocalEngine {
    LocalEngine::new(vec![0x80, 0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8], 3)
}

fn user(name: &str, auth: &str, privacy: &str) -> UsmUser {
    UsmUser {
        user: name.into(),
        auth: Some((AuthProtocol::Sha1, Secret::new(auth))),
        privacy: Some((PrivProtocol::Aes128, Secret::new(privacy))),
    }
}

fn authority(communities: &[&str], users: Vec<TrapUser>) -> Authority {
    let auth = TrapAuth { communities: communities.iter().map(|c| Secret::new(*c)).collect(), users };
    Authority::new(auth, engine())
}

fn accepted(h: &Handled) -> &Received {
    match &h.verdict {
        Verdict::Accepted(r) => r,
        other => panic!("not accepted: {other:?}"),
    }
}

#[test]
fn engine_ids_are_format_5_and_random() {
    let (a, b) = (new_engine_id(), new_engine_id());
    assert_eq!((a.len(), &a[..5]), (13, &[0x80, 0, 0, 0, 5][..]));
    assert_ne!(a, b);
}

#[test]
fn v1_link_down_becomes_the_v2_form() {
    let mut a = authority(&["public"], vec![]);
    let h = a.handle(&community_msg(0, b"public", &v1_trap(2, 0)), from());
    let r = accepted(&h);
    assert_eq!(h.reply, None);
    let n = &r.notification;
    assert_eq!(n.kind, NotificationKind::TrapV1);
    assert_eq!(n.trap_oid, oid("1.3.6.1.6.3.1.1.5.3"));
    assert_eq!(n.uptime, 1234);
    assert_eq!(n.agent_addr, Some(Ipv4Addr::new(127, 0, 0, 9)));
    assert_eq!(r.security, Security::Community { matched: true });
    let oids: Vec<String> = n.varbinds.iter().map(|v| v.oid.to_string()).collect();
    assert_eq!(
        oids,
        [
            ".1.3.6.1.2.1.1.3.0",
            ".1.3.6.1.6.3.1.1.4.1.0",
            ".1.3.6.1.2.1.2.2.1.1.2",
            ".1.3.6.1.6.3.18.1.3.0",
            ".1.3.6.1.6.3.1.1.4.3.0"
        ]
    );
    assert_eq!(n.payload().len(), 3);
}

#[test]
fn v1_enterprise_specific_trap_oid_is_enterprise_zero_specific() {
    let mut a = authority(&[], vec![]);
    let h = a.handle(&community_msg(0, b"anything", &v1_trap(6, 17)), from());
    let r = accepted(&h);
    assert_eq!(r.notification.trap_oid, oid("1.3.6.1.4.1.8072.2.3.0.17"));
    assert_eq!(r.security, Security::Community { matched: false }, "no list: accepted, not matched");
    let bad = a.handle(&community_msg(0, b"x", &v1_trap(7, 0)), from());
    assert!(matches!(bad.verdict, Verdict::Malformed(ref e) if e.contains("generic-trap")), "{bad:?}");
}

#[test]
fn v2c_inform_is_acknowledged_with_the_same_id_and_varbinds() {
    let mut a = authority(&["public"], vec![]);
    let h = a.handle(&community_msg(1, b"public", &v2_pdu(INFORM, 777)), from());
    assert_eq!(accepted(&h).notification.kind, NotificationKind::Inform);
    let Ok(Message::Community { pdu, community, .. }) = decode_message(h.reply.as_deref().expect("reply")) else {
        panic!("reply decodes")
    };
    assert_eq!((pdu.tag, pdu.request_id, community.as_slice()), (RESPONSE, 777, &b"public"[..]));
    assert_eq!(pdu.varbinds, link_down_varbinds(42));
    let trap = a.handle(&community_msg(1, b"public", &v2_pdu(TRAP_V2, 5)), from());
    assert_eq!(trap.reply, None, "traps are not acknowledged");
}

#[test]
fn a_wrong_community_is_rejected_and_v2_order_is_checked() {
    let mut a = authority(&["public"], vec![]);
    let h = a.handle(&community_msg(1, b"private", &v2_pdu(TRAP_V2, 1)), from());
    assert_eq!(h.verdict, Verdict::Rejected(AuthFailure::UnknownCommunity));
    let mut swapped = Vec::new();
    let mut vbs = link_down_varbinds(1);
    vbs.swap(0, 1);
    encode_pdu(&mut swapped, &Pdu { tag: TRAP_V2, request_id: 1, error_status: 0, error_index: 0, varbinds: vbs });
    let h = a.handle(&community_msg(1, b"public", &swapped), from());
    assert!(matches!(h.verdict, Verdict::Malformed(ref e) if e.contains("sysUpTime.0")), "{h:?}");
    let mut get = Vec::new();
    encode_pdu(&mut get, &Pdu { tag: 0xa0, request_id: 1, error_status: 0, error_index: 0, varbinds: vec![] });
    let h = a.handle(&community_msg(1, b"public", &get), from());
    assert!(matches!(h.verdict, Verdict::Malformed(ref e) if e.contains("not a notification")), "{h:?}");
}

fn v3_msg(engine: &EngineParams, user: &[u8], keys: &LocalKeys, reportable: bool, pdu: &Pdu) -> Vec<u8> {
    let head = V3Head { msg_id: 99, reportable, user, engine, context_engine_id: &engine.engine_id, context_name: b"" };
    let mut out = Vec::new();
    encode_v3_with(&mut out, &head, keys, 7, |b| encode_pdu(b, pdu)).expect("encodes");
    out
}

fn inform_pdu() -> Pdu {
    Pdu { tag: INFORM, request_id: 4242, error_status: 0, error_index: 0, varbinds: link_down_varbinds(9) }
}

fn report_oid(reply: &[u8], keys: &LocalKeys) -> String {
    let Ok(Message::V3(m)) = decode_message(reply) else { panic!("report decodes") };
    let pdu = open(reply, &m, keys).expect("opens");
    assert_eq!(pdu.tag, REPORT);
    pdu.varbinds[0].oid.to_string()
}

#[test]
fn v3_discovery_gets_our_engine_id_boots_and_time() {
    let mut a = authority(&[], vec![]);
    let probe = Pdu { tag: 0xa0, request_id: 5, error_status: 0, error_index: 0, varbinds: vec![] };
    let h = a.handle(&v3_msg(&EngineParams::default(), b"", &LocalKeys::none(), true, &probe), from());
    assert_eq!(h.verdict, Verdict::Discovery);
    let reply = h.reply.expect("report");
    assert_eq!(report_oid(&reply, &LocalKeys::none()), ".1.3.6.1.6.3.15.1.1.4.0");
    let Ok(Message::V3(m)) = decode_message(&reply) else { panic!() };
    assert_eq!((m.engine_id, m.engine_boots, m.msg_id), (engine().engine_id, 3, 99));
}

#[test]
fn v3_auth_priv_inform_is_acknowledged_encrypted() {
    let u = user("ops", "authpass1", "privpass1");
    let mut a = authority(&[], vec![TrapUser { user: u.clone(), engine_id: None }]);
    let ours = EngineParams { engine_id: engine().engine_id, boots: 3, time: 0 };
    let keys = LocalKeys::localize(&u, &ours.engine_id);
    let h = a.handle(&v3_msg(&ours, b"ops", &keys, true, &inform_pdu()), from());
    let r = accepted(&h);
    assert_eq!((r.security.clone(), r.notification.request_id), (Security::User("ops".into()), 4242));
    let reply = h.reply.expect("response");
    let Ok(Message::V3(m)) = decode_message(&reply) else { panic!("decodes") };
    let pdu = open(&reply, &m, &keys).expect("authenticates and decrypts");
    assert_eq!((pdu.tag, pdu.request_id), (RESPONSE, 4242));
    assert_eq!(pdu.varbinds, link_down_varbinds(9));
}

#[test]
fn v3_wrong_key_and_stale_clock_are_rejected_with_reports() {
    let u = user("ops", "authpass1", "privpass1");
    let mut a = authority(&[], vec![TrapUser { user: u.clone(), engine_id: None }]);
    let ours = EngineParams { engine_id: engine().engine_id, boots: 3, time: 0 };
    let wrong = LocalKeys::localize(&user("ops", "not-the-pass", "privpass1"), &ours.engine_id);
    let h = a.handle(&v3_msg(&ours, b"ops", &wrong, true, &inform_pdu()), from());
    assert_eq!(h.verdict, Verdict::Rejected(AuthFailure::WrongDigest));
    assert_eq!(report_oid(&h.reply.expect("report"), &LocalKeys::none()), ".1.3.6.1.6.3.15.1.1.5.0");

    let keys = LocalKeys::localize(&u, &ours.engine_id);
    let stale = EngineParams { boots: 2, ..ours.clone() };
    let h = a.handle(&v3_msg(&stale, b"ops", &keys, true, &inform_pdu()), from());
    assert_eq!(h.verdict, Verdict::Rejected(AuthFailure::NotInTimeWindow));
    let auth_only = LocalKeys { auth: keys.auth.clone(), privacy: None };
    assert_eq!(report_oid(&h.reply.expect("report"), &auth_only), ".1.3.6.1.6.3.15.1.1.2.0");
    let late = EngineParams { time: TIME_WINDOW_SECS + 10, ..ours };
    let h = a.handle(&v3_msg(&late, b"ops", &keys, true, &inform_pdu()), from());
    assert_eq!(h.verdict, Verdict::Rejected(AuthFailure::NotInTimeWindow));

    let h = a.handle(&v3_msg(&late, b"nobody", &LocalKeys::none(), true, &inform_pdu()), from());
    assert_eq!(h.verdict, Verdict::Rejected(AuthFailure::UnknownUser));
}

#[test]
fn v3_trap_uses_keys_localised_to_the_senders_engine() {
    let u = user("trapper", "authpass1", "privpass1");
    let sender = EngineParams { engine_id: vec![0x80, 0, 0x1f, 0x88, 4, b'x'], boots: 1, time: 100 };
    let other = vec![0x80, 0, 0x1f, 0x88, 4, b'y'];
    let mut a = authority(&[], vec![TrapUser { user: u.clone(), engine_id: Some(sender.engine_id.clone()) }]);
    let keys = LocalKeys::localize(&u, &sender.engine_id);
    let mut pdu = inform_pdu();
    pdu.tag = TRAP_V2;
    let h = a.handle(&v3_msg(&sender, b"trapper", &keys, false, &pdu), from());
    assert_eq!(accepted(&h).engine_id, sender.engine_id);
    assert_eq!(h.reply, None);
    let elsewhere = EngineParams { engine_id: other.clone(), ..sender.clone() };
    let h = a.handle(&v3_msg(&elsewhere, b"trapper", &LocalKeys::localize(&u, &other), false, &pdu), from());
    assert_eq!(h.verdict, Verdict::Rejected(AuthFailure::UnknownUser), "pinned to the configured engine id");
    let noauth = a.handle(&v3_msg(&sender, b"trapper", &LocalKeys::none(), false, &pdu), from());
    assert_eq!(noauth.verdict, Verdict::Rejected(AuthFailure::UnsupportedSecLevel));
}

#[test]
fn garbage_never_panics_and_is_malformed() {
    let mut a = authority(&["public"], vec![TrapUser { user: user("ops", "authpass1", "privpass1"), engine_id: None }]);
    let good = community_msg(0, b"public", &v1_trap(2, 0));
    for cut in 0..good.len() {
        assert!(matches!(a.handle(&good[..cut], from()).verdict, Verdict::Malformed(_)), "cut {cut}");
    }
    let mut seed = 0x1234_5678_u64;
    for len in 0..400 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (seed >> 33) as u8
            })
            .collect();
        let _ = a.handle(&bytes, from());
    }
    for i in 0..good.len() {
        let mut b = good.clone();
        b[i] ^= 0xff;
        let _ = a.handle(&b, from());
    }
    assert!(
        matches!(a.handle(b"\x30\x03\x02\x01\x07", from()).verdict, Verdict::Malformed(ref e) if e.contains("version"))
    );
}
