//! The syslog receiver against util-linux `logger` (RFC 3164 and 5424, over
//! UDP, TCP with LF framing and TCP with octet counting) on loopback, plus
//! the edges a real sender cannot produce on demand: garbage datagrams,
//! over-long frames, a full channel, the connection limit and the idle
//! timeout. Every wait is bounded.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use meridian_core::syslog::{SyslogFormat, SyslogRecord, SyslogSeverity};
use meridian_probe::syslog::{ReceiverConfig, ReceiverCounters, SyslogReceiver};
use tokio::sync::mpsc;

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().expect("addr")
}

async fn start(cfg: ReceiverConfig, queue: usize) -> (SyslogReceiver, mpsc::Receiver<SyslogRecord>) {
    let (tx, rx) = mpsc::channel(queue);
    let r = SyslogReceiver::start(cfg, tx, Arc::new(ReceiverCounters::default())).await.expect("start");
    (r, rx)
}

async fn next(rx: &mut mpsc::Receiver<SyslogRecord>) -> SyslogRecord {
    tokio::time::timeout(Duration::from_secs(2), rx.recv()).await.expect("a message within 2 s").expect("open")
}

fn logger(args: &[&str]) {
    let status = Command::new("logger").args(args).status().expect("util-linux logger (apt bsdutils)");
    assert!(status.success(), "logger {args:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn logger_in_every_format_and_transport() {
    let cfg = ReceiverConfig { udp: Some(loopback()), tcp: Some(loopback()), ..ReceiverConfig::both(loopback()) };
    let (r, mut rx) = start(cfg, 100).await;
    let udp = r.udp_addr.expect("udp").port().to_string();
    let tcp = r.tcp_addr.expect("tcp").port().to_string();
    let cases: [(&str, &str, &[&str], SyslogFormat); 6] = [
        ("--rfc3164", "udp", &["--udp"], SyslogFormat::Rfc3164),
        ("--rfc5424", "udp", &["--udp"], SyslogFormat::Rfc5424),
        ("--rfc3164", "tcp", &["--tcp"], SyslogFormat::Rfc3164),
        ("--rfc5424", "tcp", &["--tcp"], SyslogFormat::Rfc5424),
        ("--rfc3164", "tcp", &["--tcp", "--octet-count"], SyslogFormat::Rfc3164),
        ("--rfc5424", "tcp", &["--tcp", "--octet-count"], SyslogFormat::Rfc5424),
    ];
    for (i, (format, proto, transport, want)) in cases.iter().enumerate() {
        let port = if *proto == "udp" { &udp } else { &tcp };
        let text = format!("case {i} BGP neighbor 127.0.0.9 Down");
        let tag = format!("app{i}");
        let mut args =
            vec![*format, "--server", "127.0.0.1", "--port", port, "-t", &tag, "-p", "local3.err", "--id=77"];
        args.extend_from_slice(transport);
        args.push(&text);
        logger(&args);
        let m = next(&mut rx).await;
        let what = format!("{format} {transport:?}");
        assert_eq!(m.format, *want, "{what}: {:?}", m.error);
        assert_eq!(m.message.message, text, "{what}");
        assert_eq!((m.message.facility, m.message.severity), (Some(19), Some(SyslogSeverity::Error)), "{what}");
        assert_eq!(m.message.app.as_deref(), Some(tag.as_str()), "{what}");
        assert_eq!(m.message.procid.as_deref(), Some("77"), "{what}");
        assert!(m.message.device_time.is_some() && !m.truncated, "{what}");
        assert_eq!(m.source.to_string(), "127.0.0.1");
    }
    let c = r.counters.snapshot();
    assert_eq!((c.received, c.malformed, c.truncated, c.dropped), (6, 0, 0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn garbage_is_counted_and_kept_raw() {
    let (r, mut rx) = start(ReceiverConfig { tcp: None, ..ReceiverConfig::both(loopback()) }, 10).await;
    let to = r.udp_addr.expect("udp");
    let s = UdpSocket::bind(loopback()).expect("bind");
    s.send_to(b"\x00\xffnot syslog at all", to).expect("send");
    let m = next(&mut rx).await;
    assert_eq!(m.format, SyslogFormat::Malformed);
    assert_eq!(m.message.message, "\u{fffd}\u{fffd}not syslog at all", "NUL and bad UTF-8 replaced");
    assert!(m.error.as_deref().is_some_and(|e| e.starts_with("pri:")), "{:?}", m.error);
    assert_eq!(r.counters.snapshot().malformed, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn over_long_messages_are_cut_and_counted_on_both_transports() {
    let cfg = ReceiverConfig { max_message: 600, ..ReceiverConfig::both(loopback()) };
    let cfg = ReceiverConfig { udp: Some(loopback()), tcp: Some(loopback()), ..cfg };
    let (r, mut rx) = start(cfg, 10).await;
    let long = format!("<13>1 - host app - - - {}", "x".repeat(2_000));
    UdpSocket::bind(loopback()).expect("bind").send_to(long.as_bytes(), r.udp_addr.expect("udp")).expect("send");
    let m = next(&mut rx).await;
    assert!(m.truncated && m.format == SyslogFormat::Rfc5424);
    assert_eq!(m.message.message.len(), 600 - "<13>1 - host app - - - ".len());
    let mut tcp = TcpStream::connect(r.tcp_addr.expect("tcp")).expect("connect");
    let short = "<13>1 - - - - - -";
    tcp.write_all(format!("{} {long}{} {short}", long.len(), short.len()).as_bytes()).expect("write");
    let m = next(&mut rx).await;
    assert!(m.truncated, "octet-counted frame cut");
    let m = next(&mut rx).await;
    assert!(!m.truncated && m.format == SyslogFormat::Rfc5424, "the next frame still read");
    assert_eq!(r.counters.snapshot().truncated, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_queue_drops_and_counts_without_blocking() {
    let (r, _rx) = start(ReceiverConfig { tcp: None, ..ReceiverConfig::both(loopback()) }, 1).await;
    let s = UdpSocket::bind(loopback()).expect("bind");
    for i in 0..5 {
        s.send_to(format!("<13>msg {i}").as_bytes(), r.udp_addr.expect("udp")).expect("send");
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while r.counters.snapshot().received < 5 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let c = r.counters.snapshot();
    assert_eq!((c.received, c.dropped), (5, 4), "one queued, four dropped");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_queue_holds_a_tcp_sender_back_instead_of_dropping() {
    let (r, mut rx) = start(ReceiverConfig { udp: None, ..ReceiverConfig::both(loopback()) }, 1).await;
    let mut tcp = TcpStream::connect(r.tcp_addr.expect("tcp")).expect("connect");
    let lines: String = (0..20).map(|i| format!("<13>1 - host app - - - message {i}\n")).collect();
    tcp.write_all(lines.as_bytes()).expect("write");
    // The queue holds one message; the other 19 wait in the connection.
    for i in 0..20 {
        let m = next(&mut rx).await;
        assert_eq!(m.message.message, format!("message {i}"), "in order, none lost");
    }
    let c = r.counters.snapshot();
    assert_eq!((c.received, c.dropped), (20, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_limit_and_idle_timeout() {
    let cfg = ReceiverConfig {
        udp: None,
        tcp: Some(loopback()),
        max_connections: 1,
        read_timeout: Duration::from_millis(300),
        ..ReceiverConfig::both(loopback())
    };
    let (r, _rx) = start(cfg, 10).await;
    let addr = r.tcp_addr.expect("tcp");
    let first = TcpStream::connect(addr).expect("first");
    // The second is accepted and closed at once: it reads EOF.
    let mut second = TcpStream::connect(addr).expect("second");
    second.set_read_timeout(Some(Duration::from_secs(2))).expect("timeout");
    let mut buf = [0u8; 8];
    assert_eq!(second.read(&mut buf).expect("eof"), 0);
    assert_eq!(r.counters.refused_connections.load(std::sync::atomic::Ordering::Relaxed), 1);
    // The first, silent, is closed after the idle timeout.
    let mut first = first;
    first.set_read_timeout(Some(Duration::from_secs(2))).expect("timeout");
    assert_eq!(first.read(&mut buf).expect("closed when idle"), 0);
}

#[test]
fn permission_denied_names_the_fixes() {
    let addr: SocketAddr = "0.0.0.0:514".parse().expect("addr");
    let e = meridian_probe::bind_error("syslog UDP", addr, std::io::ErrorKind::PermissionDenied.into(), "e.g. 5514");
    let text = e.to_string();
    for fix in ["CAP_NET_BIND_SERVICE", "net.ipv4.ip_unprivileged_port_start", "another port"] {
        assert!(text.contains(fix), "{text}");
    }
}
