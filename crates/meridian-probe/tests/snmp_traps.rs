//! The trap receiver against net-snmp's real senders (`snmptrap`,
//! `snmpinform`) on loopback: v1, v2c and v3 traps, v2c and v3 informs
//! acknowledged (the tool exits 0 only when it got our Response), a wrong
//! v3 key rejected and counted, a retransmitted inform delivered once, and
//! a garbage datagram counted and kept.

use std::net::SocketAddr;
use std::process::Output;
use std::time::Duration;

use meridian_core::credential::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use meridian_probe::snmp::trap::{
    LocalEngine, NotificationKind, ReceiverConfig, Security, TrapAuth, TrapItem, TrapReceiver, TrapUser,
};
use meridian_probe::snmp::WireVersion;
use tokio::sync::mpsc;

const SENDER_ENGINE: &str = "0x8000000001020304";

fn usm(name: &str, auth: AuthProtocol, privacy: PrivProtocol) -> UsmUser {
    UsmUser {
        user: name.into(),
        auth: Some((auth, Secret::new("authpass123"))),
        privacy: Some((privacy, Secret::new("privpass123"))),
    }
}

async fn start() -> (TrapReceiver, mpsc::Receiver<TrapItem>, tempfile::TempDir) {
    start_queue(ReceiverConfig::new("127.0.0.1:0".parse().expect("addr")).queue).await
}

async fn start_queue(queue: usize) -> (TrapReceiver, mpsc::Receiver<TrapItem>, tempfile::TempDir) {
    let sender = hex_engine(SENDER_ENGINE);
    let auth = TrapAuth {
        communities: vec![Secret::new("public")],
        users: vec![
            TrapUser { user: usm("ops", AuthProtocol::Sha1, PrivProtocol::Aes128), engine_id: None },
            TrapUser { user: usm("ops256", AuthProtocol::Sha256, PrivProtocol::Aes256), engine_id: None },
            TrapUser { user: usm("ops-md5", AuthProtocol::Md5, PrivProtocol::Des), engine_id: None },
            TrapUser { user: usm("trapper", AuthProtocol::Sha1, PrivProtocol::Aes128), engine_id: Some(sender) },
        ],
    };
    let engine = LocalEngine::new(vec![0x80, 0, 0, 0, 5, 9, 8, 7, 6, 5, 4, 3, 2], 1);
    let cfg = ReceiverConfig { queue, ..ReceiverConfig::new("127.0.0.1:0".parse().expect("addr")) };
    let (rx, items) = TrapReceiver::start(cfg, auth, engine).await.expect("bind loopback");
    (rx, items, tempfile::tempdir().expect("tempdir"))
}

fn hex_engine(s: &str) -> Vec<u8> {
    let s = s.trim_start_matches("0x");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

/// Runs a net-snmp tool (bounded by its own -t/-r) off the runtime.
async fn tool(dir: &std::path::Path, name: &str, args: Vec<String>) -> Output {
    let mut c = meridian_testkit::net_snmp_tool(dir, name, &args.iter().map(String::as_str).collect::<Vec<_>>());
    tokio::task::spawn_blocking(move || c.output().expect("run net-snmp tool")).await.expect("join")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

const LINK_DOWN_VARBINDS: [&str; 9] =
    ["1.3.6.1.2.1.2.2.1.1.2", "i", "2", "1.3.6.1.2.1.2.2.1.7.2", "i", "1", "1.3.6.1.2.1.2.2.1.8.2", "i", "2"];

async fn next(items: &mut mpsc::Receiver<TrapItem>) -> TrapItem {
    tokio::time::timeout(Duration::from_secs(5), items.recv()).await.expect("an item within 5 s").expect("open")
}

fn notification(item: TrapItem) -> meridian_probe::snmp::trap::Received {
    match item {
        TrapItem::Notification { received, .. } => received,
        other => panic!("expected a notification, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn net_snmp_traps_of_every_version_arrive_decoded() {
    let (rx, mut items, dir) = start().await;
    let to = rx.local_addr().to_string();

    let mut v1 = args(&["-v", "1", "-c", "public", &to, "1.3.6.1.4.1.8072.2.3", "127.0.0.1", "2", "0", ""]);
    v1.extend(args(&LINK_DOWN_VARBINDS));
    assert!(tool(dir.path(), "snmptrap", v1).await.status.success());
    let r = notification(next(&mut items).await);
    assert_eq!((r.version, r.notification.kind), (WireVersion::V1, NotificationKind::TrapV1));
    assert_eq!(r.notification.trap_oid.to_string(), ".1.3.6.1.6.3.1.1.5.3");
    assert_eq!(r.security, Security::Community { matched: true });
    assert_eq!(r.notification.payload()[0].oid.to_string(), ".1.3.6.1.2.1.2.2.1.1.2");

    let mut v2 = args(&["-v", "2c", "-c", "public", &to, "", "1.3.6.1.6.3.1.1.5.4"]);
    v2.extend(args(&LINK_DOWN_VARBINDS));
    assert!(tool(dir.path(), "snmptrap", v2).await.status.success());
    let r = notification(next(&mut items).await);
    assert_eq!((r.version, r.notification.kind), (WireVersion::V2c, NotificationKind::TrapV2));
    assert_eq!(r.notification.trap_oid.to_string(), ".1.3.6.1.6.3.1.1.5.4");

    let v3 = |pass: &str| {
        let mut a = args(&[
            "-v",
            "3",
            "-e",
            SENDER_ENGINE,
            "-u",
            "trapper",
            "-l",
            "authPriv",
            "-a",
            "SHA",
            "-A",
            pass,
            "-x",
            "AES",
            "-X",
            "privpass123",
            &to,
            "",
            "1.3.6.1.6.3.1.1.5.3",
        ]);
        a.extend(args(&LINK_DOWN_VARBINDS));
        a
    };
    assert!(tool(dir.path(), "snmptrap", v3("authpass123")).await.status.success());
    let r = notification(next(&mut items).await);
    assert_eq!((r.version, r.security.clone()), (WireVersion::V3, Security::User("trapper".into())));
    assert_eq!(r.engine_id, hex_engine(SENDER_ENGINE));
    assert_eq!(r.notification.payload().len(), 3);

    // A wrong key: rejected, counted, nothing delivered.
    assert!(tool(dir.path(), "snmptrap", v3("wrongpass999")).await.status.success());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while rx.stats().auth_failures == 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(rx.stats().auth_failures, 1, "{:?}", rx.stats());
    assert!(items.try_recv().is_err(), "a wrongly keyed trap was delivered");
    assert_eq!(rx.stats().decoded, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn net_snmp_informs_are_acknowledged() {
    let (rx, mut items, dir) = start().await;
    let to = rx.local_addr().to_string();
    let mut v2 = args(&["-v", "2c", "-c", "public", "-t", "2", "-r", "1", &to, "", "1.3.6.1.6.3.1.1.5.3"]);
    v2.extend(args(&LINK_DOWN_VARBINDS));
    let out = tool(dir.path(), "snmpinform", v2).await;
    assert!(out.status.success(), "snmpinform v2c: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(notification(next(&mut items).await).notification.kind, NotificationKind::Inform);

    // v3: snmpinform discovers our engine id, boots and time, then sends
    // the inform keyed to our engine; each pair the poller supports in one
    // of its strongest and weakest forms.
    for (user, a, x) in [("ops", "SHA", "AES"), ("ops256", "SHA-256", "AES-256"), ("ops-md5", "MD5", "DES")] {
        let mut v3 = args(&[
            "-v",
            "3",
            "-u",
            user,
            "-l",
            "authPriv",
            "-a",
            a,
            "-A",
            "authpass123",
            "-x",
            x,
            "-X",
            "privpass123",
            "-t",
            "2",
            "-r",
            "1",
            &to,
            "",
            "1.3.6.1.6.3.1.1.5.4",
        ]);
        v3.extend(args(&LINK_DOWN_VARBINDS));
        let out = tool(dir.path(), "snmpinform", v3).await;
        assert!(out.status.success(), "snmpinform v3 {user}: {}", String::from_utf8_lossy(&out.stderr));
        let r = notification(next(&mut items).await);
        assert_eq!((r.notification.kind, r.security), (NotificationKind::Inform, Security::User(user.into())));
    }
    assert!(rx.stats().discovery >= 1, "{:?}", rx.stats());

    // A wrong key gets a Report, so the tool fails instead of timing out.
    let wrong = args(&[
        "-v",
        "3",
        "-u",
        "ops",
        "-l",
        "authPriv",
        "-a",
        "SHA",
        "-A",
        "wrongpass999",
        "-x",
        "AES",
        "-X",
        "privpass123",
        "-t",
        "1",
        "-r",
        "0",
        &to,
        "",
        "1.3.6.1.6.3.1.1.5.4",
    ]);
    assert!(!tool(dir.path(), "snmpinform", wrong).await.status.success());
    assert!(rx.stats().auth_failures >= 1, "{:?}", rx.stats());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retransmitted_inform_is_acked_twice_and_delivered_once() {
    let (rx, mut items, dir) = start().await;
    // Capture a real snmpinform datagram: a socket of ours plays the receiver and never answers.
    let catcher = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    let target = catcher.local_addr().expect("addr").to_string();
    let send = tokio::spawn({
        let dir = dir.path().to_owned();
        async move {
            let mut a = args(&["-v", "2c", "-c", "public", "-t", "1", "-r", "0", &target, "", "1.3.6.1.6.3.1.1.5.3"]);
            a.extend(args(&LINK_DOWN_VARBINDS));
            tool(&dir, "snmpinform", a).await
        }
    });
    let mut buf = vec![0u8; 65_536];
    let (n, _) =
        tokio::time::timeout(Duration::from_secs(5), catcher.recv_from(&mut buf)).await.expect("inform").expect("recv");
    let inform = buf[..n].to_vec();
    assert!(!send.await.expect("join").status.success(), "nobody answered that one");

    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    let to: SocketAddr = rx.local_addr();
    for _ in 0..2 {
        sock.send_to(&inform, to).await.expect("send");
        let (n, _) =
            tokio::time::timeout(Duration::from_secs(5), sock.recv_from(&mut buf)).await.expect("ack").expect("recv");
        let Ok(meridian_probe::snmp::Message::Community { pdu, .. }) = meridian_probe::snmp::decode_message(&buf[..n])
        else {
            panic!("ack decodes")
        };
        assert_eq!(pdu.tag, meridian_probe::snmp::RESPONSE);
    }
    assert_eq!(notification(next(&mut items).await).notification.kind, NotificationKind::Inform);
    assert!(tokio::time::timeout(Duration::from_millis(300), items.recv()).await.is_err(), "delivered twice");
    assert_eq!((rx.stats().duplicates, rx.stats().decoded), (1, 1));

    // Garbage: counted as malformed and kept with its bytes and the reason.
    sock.send_to(b"\x30\x05\x02\x01\x01\x04\xff", to).await.expect("send");
    match next(&mut items).await {
        TrapItem::Malformed { bytes, error, .. } => {
            assert_eq!(bytes, b"\x30\x05\x02\x01\x01\x04\xff");
            assert!(!error.is_empty());
        }
        other => panic!("expected malformed, got {other:?}"),
    }
    assert_eq!(rx.stats().malformed, 1);
}

/// A full intake queue drops an inform undecoded and does not acknowledge
/// it, so snmpinform retries and finally reports the failure; once the
/// queue has room, the same inform is acknowledged and delivered.
#[tokio::test(flavor = "multi_thread")]
async fn an_inform_the_full_queue_cannot_take_is_not_acknowledged() {
    let (rx, mut items, dir) = start_queue(1).await;
    let to = rx.local_addr().to_string();
    let mut trap = args(&["-v", "2c", "-c", "public", &to, "", "1.3.6.1.6.3.1.1.5.3"]);
    trap.extend(args(&LINK_DOWN_VARBINDS));
    assert!(tool(dir.path(), "snmptrap", trap).await.status.success());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while rx.stats().decoded < 1 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut inform = args(&["-v", "2c", "-c", "public", "-t", "1", "-r", "1", &to, "", "1.3.6.1.6.3.1.1.5.3"]);
    inform.extend(args(&LINK_DOWN_VARBINDS));
    assert!(!tool(dir.path(), "snmpinform", inform.clone()).await.status.success(), "no ack while full");
    assert_eq!((rx.stats().decoded, rx.stats().drops), (1, 2), "the inform and its retry dropped");

    assert_eq!(notification(next(&mut items).await).notification.kind, NotificationKind::TrapV2);
    let out = tool(dir.path(), "snmpinform", inform).await;
    assert!(out.status.success(), "acked once there is room: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(notification(next(&mut items).await).notification.kind, NotificationKind::Inform);
}

/// RFC 3414 3.2 step 7b on the receiving side of traps: a sender whose
/// boots went back, or whose time is more than 150 s behind what it said
/// before, is refused as a replay; inside the window, or after a reboot,
/// it is accepted. net-snmp's `-Z boots,time` sets what the trap claims.
#[tokio::test(flavor = "multi_thread")]
async fn a_v3_trap_whose_clock_went_back_is_refused() {
    let (rx, mut items, dir) = start().await;
    let to = rx.local_addr().to_string();
    let v3 = |clock: &str| {
        let mut a = args(&["-v", "3", "-e", SENDER_ENGINE, "-u", "trapper", "-l", "authPriv", "-a", "SHA"]);
        a.extend(args(&["-A", "authpass123", "-x", "AES", "-X", "privpass123", "-Z", clock, &to, ""]));
        a.extend(args(&["1.3.6.1.6.3.1.1.5.3"]));
        a.extend(args(&LINK_DOWN_VARBINDS));
        a
    };
    let mut accepted = 0;
    for (clock, ok) in [("5,1000", true), ("4,5000", false), ("5,700", false), ("5,900", true), ("6,1", true)] {
        let before = rx.stats().auth_failures;
        assert!(tool(dir.path(), "snmptrap", v3(clock)).await.status.success());
        if ok {
            let r = notification(next(&mut items).await);
            assert_eq!(r.security, Security::User("trapper".into()), "{clock}");
            accepted += 1;
        } else {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
            while rx.stats().auth_failures == before && tokio::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            assert_eq!(rx.stats().auth_failures, before + 1, "{clock}: {:?}", rx.stats());
        }
    }
    assert_eq!(accepted, 3);
    assert!(items.try_recv().is_err(), "a refused trap was delivered");
}
