//! Real senders' lines (util-linux logger 2.38, Cisco IOS, Juniper Junos,
//! rsyslog, RFC 5424's own examples) and garbage.

use chrono::{DateTime, Utc};
use meridian_core::syslog::{SyslogFormat, SyslogSeverity as Sev};

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("ok").with_timezone(&Utc)
}

const RECEIVED: &str = "2026-12-03T15:05:00Z";

fn p(line: &str) -> (SyslogFormat, meridian_core::syslog::SyslogMessage) {
    parse(line.as_bytes(), at(RECEIVED)).unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

#[test]
fn logger_rfc3164() {
    let (f, m) = p("<164>Dec  3 15:03:37 vm myapp[4242]: link down on ge-0/0/1");
    assert_eq!(f, SyslogFormat::Rfc3164);
    assert_eq!((m.facility, m.severity), (Some(20), Some(Sev::Warning)));
    assert_eq!(m.device_time, Some(at("2026-12-03T15:03:37Z")));
    assert_eq!(m.host.as_deref(), Some("vm"));
    assert_eq!((m.app.as_deref(), m.procid.as_deref()), (Some("myapp"), Some("4242")));
    assert_eq!(m.message, "link down on ge-0/0/1");
}

#[test]
fn logger_rfc5424_with_escaped_structured_data() {
    let line = r#"<27>1 2026-12-03T15:03:40.814459+00:00 vm myapp - ID47 [timeQuality tzKnown="1" isSynced="0"][exampleSDID@32473 iut="3" eventSource="Appl\"ic\]ation \\ x"] BGP neighbor 10.0.0.1 Down"#;
    let (f, m) = p(line);
    assert_eq!(f, SyslogFormat::Rfc5424);
    assert_eq!((m.facility, m.severity), (Some(3), Some(Sev::Error)));
    assert_eq!(m.device_time, Some(at("2026-12-03T15:03:40.814459Z")));
    assert_eq!(
        (m.host.as_deref(), m.app.as_deref(), m.procid, m.msgid.as_deref()),
        (Some("vm"), Some("myapp"), None, Some("ID47"))
    );
    assert_eq!(m.structured_data.len(), 2);
    assert_eq!(m.structured_data[0].id, "timeQuality");
    let sd = &m.structured_data[1];
    assert_eq!(sd.id, "exampleSDID@32473");
    assert_eq!(sd.params[1].name, "eventSource");
    assert_eq!(sd.params[1].value, r#"Appl"ic]ation \ x"#);
    assert_eq!(m.message, "BGP neighbor 10.0.0.1 Down");
}

#[test]
fn rfc5424_examples() {
    // RFC 5424 6.5 example 1: BOM, no structured data, offset in the time.
    let line = b"<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root' failed for lonvick on /dev/pts/8";
    let (_, m) = parse(line, at(RECEIVED)).expect("ok");
    assert_eq!(m.message, "'su root' failed for lonvick on /dev/pts/8");
    assert_eq!((m.facility, m.severity), (Some(4), Some(Sev::Critical)));
    // Example 2: offset -07:00, microseconds.
    let (_, m) =
        p("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.");
    assert_eq!(m.device_time, Some(at("2003-08-24T12:14:15.000003Z")));
    assert_eq!(m.procid.as_deref(), Some("8710"));
    // Example 4: structured data and no MSG at all.
    let (_, m) = p(
        r#"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]"#,
    );
    assert_eq!(m.structured_data[0].params.len(), 3);
    assert_eq!(m.message, "");
    // All NILVALUEs.
    let (_, m) = p("<14>1 - - - - - -");
    assert_eq!((m.device_time, m.host, m.app), (None, None, None));
}

#[test]
fn rfc5424_field_errors() {
    let err = |line: &[u8]| parse(line, at(RECEIVED)).expect_err("an error");
    assert_eq!(err(b"<14>2 - - - - - -").field, "version");
    assert_eq!(err(b"<14>1 yesterday - - - - -").field, "timestamp");
    assert_eq!(err(b"<14>1 - - - - -").field, "msgid");
    assert_eq!(err(b"<14>1 - - appnameappnameappnameappnameappnameappnameappnameappname - - -").field, "app_name");
    assert_eq!(err(b"<14>1 - h\x01st - - - -").field, "hostname");
    assert_eq!(err(b"<14>1 - - - - - [id a=\"1\"").field, "structured_data");
    assert_eq!(err(b"<14>1 - - - - - [id a=\"1").field, "structured_data.param");
    assert_eq!(err(b"<14>1 - - - - - [id a=1]").field, "structured_data.param");
    assert_eq!(err(b"<14>1 - - - - - [] x").field, "structured_data.id");
    assert_eq!(err(b"<14>1 - - - - - x").field, "structured_data");
    assert_eq!(err(b"<14>1 - - - - - -x").field, "structured_data");
}

#[test]
fn cisco_ios_sequence_marks_and_mnemonic() {
    let (f, m) =
        p("<189>45: *Mar  1 00:00:11.123: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down");
    assert_eq!(f, SyslogFormat::Rfc3164);
    assert_eq!((m.facility, m.severity), (Some(23), Some(Sev::Notice)));
    assert_eq!(m.device_time, Some(at("2026-03-01T00:00:11.123Z")));
    assert_eq!(m.msgid.as_deref(), Some("LINK-3-UPDOWN"));
    assert_eq!(m.host, None);
    assert_eq!(m.message, "Interface GigabitEthernet0/1, changed state to down");
    // Hostname before the time, a year and a zone.
    let (_, m) =
        p("<187>2817: rtr-1.lab: Dec  3 2026 16:02:31.512 CET: %SYS-3-CPUHOG: Task is running for (2004)msecs");
    assert_eq!(m.host.as_deref(), Some("rtr-1.lab"));
    assert_eq!(m.device_time, Some(at("2026-12-03T15:02:31.512Z")));
    assert_eq!(m.msgid.as_deref(), Some("SYS-3-CPUHOG"));
    assert_eq!(m.severity, Some(Sev::Error));
}

#[test]
fn juniper_rsyslog_and_missing_hostname() {
    let (_, m) = p("<28>Dec  3 15:02:31 mx480-re0 mib2d[1234]: SNMP_TRAP_LINK_DOWN: ifIndex 512, ifName ge-0/0/0");
    assert_eq!(
        (m.host.as_deref(), m.app.as_deref(), m.procid.as_deref()),
        (Some("mx480-re0"), Some("mib2d"), Some("1234"))
    );
    assert_eq!(m.message, "SNMP_TRAP_LINK_DOWN: ifIndex 512, ifName ge-0/0/0");
    // rsyslog's high-precision template.
    let (_, m) = p("<30>2026-12-03T15:02:31.123456+01:00 web01 nginx: started");
    assert_eq!(m.device_time, Some(at("2026-12-03T14:02:31.123456Z")));
    assert_eq!((m.host.as_deref(), m.app.as_deref()), (Some("web01"), Some("nginx")));
    // No hostname: the tag follows the time.
    let (_, m) = p("<13>Dec 31 23:59:59 cron[77]: job done\r\n");
    assert_eq!(m.host, None);
    assert_eq!(m.app.as_deref(), Some("cron"));
    assert_eq!(m.message, "job done");
    assert_eq!(m.device_time, Some(at("2025-12-31T23:59:59Z")), "not 4 weeks ahead: last year's");
    // No timestamp at all: everything is content.
    let (_, m) = p("<13>hello world");
    assert_eq!((m.device_time, m.host.as_deref(), m.message.as_str()), (None, None, "hello world"));
    // Host, no tag.
    let (_, m) = p("<13>Dec  3 15:02:31 10.1.2.3 power supply 2 failed");
    assert_eq!((m.host.as_deref(), m.app.as_deref()), (Some("10.1.2.3"), None));
    assert_eq!(m.message, "power supply 2 failed");
}

#[test]
fn bsd_date_that_does_not_exist_is_a_field_error() {
    let e = parse(b"<13>Feb 30 10:00:00 host app: x", at(RECEIVED)).expect_err("an error");
    assert_eq!(e.field, "timestamp");
}

#[test]
fn pri_errors_and_garbage() {
    for (bytes, reason) in [
        (&b""[..], "start"),
        (b"hello", "start"),
        (b"<>x", "digits"),
        (b"<1234>x", "digits"),
        (b"<192>x", "191"),
        (b"<13", "'>'"),
        (b"\xff\xfe\x00\x01", "start"),
    ] {
        let e = parse(bytes, at(RECEIVED)).expect_err("an error");
        assert_eq!(e.field, "pri", "{bytes:?}");
        assert!(e.reason.contains(reason), "{bytes:?}: {e}");
    }
    // NUL and invalid UTF-8 become U+FFFD so every store takes the text.
    let (_, m) = parse(b"<13>a\x00b\xff", at(RECEIVED)).expect("ok");
    assert_eq!(m.message, "a\u{fffd}b\u{fffd}");
    // Pseudo-random bytes, with and without a valid PRI: never a panic.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in 0..400 {
        let mut buf = if len % 2 == 0 { b"<13>1 ".to_vec() } else { b"<13>".to_vec() };
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let alphabet = b" <>[]=\"\\1-:Dec 0123456789abcxyz*%";
            buf.push(alphabet[(x % alphabet.len() as u64) as usize]);
        }
        let _ = parse(&buf, at(RECEIVED));
        let _ = parse_3164(&buf, at(RECEIVED));
        let _ = parse_5424(&buf);
    }
}

fn frames(dec: &mut FrameDecoder, input: &[u8], chunk: usize) -> Vec<Frame> {
    let mut out = Vec::new();
    for part in input.chunks(chunk.max(1)) {
        dec.extend(part);
        while let Some(f) = dec.next_frame().expect("ok") {
            out.push(f);
        }
    }
    out.extend(dec.finish());
    out
}

fn counted(msgs: &[&[u8]]) -> Vec<u8> {
    msgs.iter().flat_map(|m| [format!("{} ", m.len()).into_bytes(), m.to_vec()].concat()).collect()
}

#[test]
fn octet_counting_in_any_chunking() {
    let msgs: [&[u8]; 3] = [b"<13>hello 1", b"<13>1 - - - - - - multi\nline", b"<13>x"];
    let input = counted(&msgs);
    for chunk in 1..=input.len() {
        let mut dec = FrameDecoder::new(DEFAULT_MAX_MESSAGE);
        let got = frames(&mut dec, &input, chunk);
        assert_eq!(dec.framing(), Some(Framing::OctetCounting));
        let texts: Vec<&[u8]> = got.iter().map(|f| f.bytes.as_slice()).collect();
        assert_eq!(texts, msgs, "chunk {chunk}");
        assert!(got.iter().all(|f| !f.truncated));
    }
}

#[test]
fn non_transparent_lines_crlf_and_last_line() {
    let input = b"<13>one\r\n\n<13>two\n<13>three";
    for chunk in 1..=input.len() {
        let mut dec = FrameDecoder::new(DEFAULT_MAX_MESSAGE);
        let got = frames(&mut dec, input, chunk);
        assert_eq!(dec.framing(), Some(Framing::NonTransparent));
        let texts: Vec<&[u8]> = got.iter().map(|f| f.bytes.as_slice()).collect();
        assert_eq!(texts, [&b"<13>one"[..], b"<13>two", b"<13>three"], "chunk {chunk}");
    }
}

#[test]
fn over_long_messages_are_cut_and_flagged() {
    let long = [b"<13>".as_slice(), &[b'a'; 100]].concat();
    // Octet counting: the rest of the long message is skipped, the next read.
    let input = counted(&[&long, b"<13>next"]);
    for chunk in [1, 7, 1000] {
        let mut dec = FrameDecoder::new(20);
        let got = frames(&mut dec, &input, chunk);
        assert_eq!(got.len(), 2, "chunk {chunk}");
        assert_eq!((got[0].bytes.len(), got[0].truncated), (20, true));
        assert_eq!((got[1].bytes.as_slice(), got[1].truncated), (&b"<13>next"[..], false));
    }
    // LF framing, the LF arriving later or in the same read.
    let input = [long.as_slice(), b"\n<13>next\n"].concat();
    for chunk in [1, 7, 1000] {
        let mut dec = FrameDecoder::new(20);
        let got = frames(&mut dec, &input, chunk);
        assert_eq!(got.len(), 2, "chunk {chunk}");
        assert_eq!((got[0].bytes.len(), got[0].truncated), (20, true));
        assert_eq!(got[1].bytes, b"<13>next");
    }
    // A counted message cut short by the peer closing.
    let mut dec = FrameDecoder::new(100);
    dec.extend(b"50 <13>short");
    assert_eq!(dec.next_frame().expect("ok"), None);
    assert_eq!(dec.finish(), Some(Frame { bytes: b"<13>short".to_vec(), truncated: true }));
}

#[test]
fn bad_octet_counts_are_framing_errors() {
    for input in [&b"12x <13>a"[..], b"012 <13>a", b"12345678901 <13>", b"1\n"] {
        let mut dec = FrameDecoder::new(100);
        dec.extend(input);
        assert_eq!(dec.next_frame().expect_err("an error").field, "frame", "{input:?}");
        assert!(!dec.take_buffered().is_empty());
    }
}
