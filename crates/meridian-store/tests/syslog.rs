//! Syslog messages on both backends: batched insert with device matching
//! (address first, then host = name), search by words, device, severity and
//! time, the GIN index used for word search, and purging by age and count.

use std::net::IpAddr;

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::syslog::{
    SdElement, SdParam, SyslogFormat, SyslogMessage, SyslogQuery, SyslogRecord, SyslogSeverity as Sev,
};
use meridian_core::DeviceId;
use meridian_store::{Purged, Store};
use uuid::Uuid;

mod common;
use common::{open, BOTH};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).single().expect("valid")
}

async fn device(s: &Store, name: &str, addr: &str) -> DeviceId {
    let v =
        validate_device(&DeviceInput { name: name.into(), address: addr.into(), ..Default::default() }).expect("valid");
    s.insert_device(&v, DeviceId(Uuid::now_v7()), t0(), "test").await.expect("device").id
}

fn rec(minute: i64, source: &str, host: Option<&str>, sev: Option<Sev>, text: &str) -> SyslogRecord {
    SyslogRecord {
        received_at: t0() + Duration::minutes(minute),
        source: source.parse::<IpAddr>().expect("ip"),
        format: if sev.is_some() { SyslogFormat::Rfc5424 } else { SyslogFormat::Malformed },
        message: SyslogMessage {
            facility: sev.map(|_| 23),
            severity: sev,
            device_time: Some(t0()),
            host: host.map(str::to_owned),
            app: Some("bgpd".into()),
            procid: None,
            msgid: Some("ID47".into()),
            structured_data: vec![SdElement {
                id: "meta@1".into(),
                params: vec![SdParam { name: "q".into(), value: "a \"quoted\" ] value".into() }],
            }],
            message: text.into(),
        },
        error: sev.is_none().then(|| "pri: message does not start with '<'".into()),
        truncated: false,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn insert_match_and_search_on_both_backends() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let rtr = device(&s, "rtr1", "127.0.0.5").await;
        let sw = device(&s, "Core-SW", "127.0.0.6").await;
        let batch = vec![
            rec(0, "127.0.0.5", Some("whatever"), Some(Sev::Error), "BGP neighbor 10.0.0.1 Down"),
            rec(1, "127.0.0.9", Some("core-sw"), Some(Sev::Warning), "interface ge-0/0/1 down"),
            rec(2, "127.0.0.9", Some("unknown"), Some(Sev::Info), "BGP neighbor 10.0.0.1 Up"),
            rec(3, "::1", None, None, "garbage \u{fffd} bytes"),
        ];
        // Each message's match comes back in batch order: by address, by host name, none.
        let matched = s.insert_syslog(&batch).await.expect("insert");
        assert_eq!(matched, vec![Some(rtr), Some(sw), None, None], "{kind:?}");
        assert!(s.insert_syslog(&[]).await.expect("empty").is_empty());

        let all = s.search_syslog(&SyslogQuery::default()).await.expect("search");
        assert_eq!(all.len(), 4, "{kind:?}");
        assert_eq!(all[0].msg.message, "garbage \u{fffd} bytes", "newest first");
        assert_eq!((all[0].format, all[0].msg.severity, all[0].device_id), (SyslogFormat::Malformed, None, None));
        assert!(all[0].error.as_deref().is_some_and(|e| e.starts_with("pri")));
        let by_msg = |m: &str| all.iter().find(|e| e.msg.message == m).expect("row");
        let bgp = by_msg("BGP neighbor 10.0.0.1 Down");
        assert_eq!((bgp.device_id, bgp.device_name.as_deref()), (Some(rtr), Some("rtr1")), "by address first");
        assert_eq!(bgp.msg.structured_data, batch[0].message.structured_data);
        assert_eq!(
            (bgp.msg.facility, bgp.msg.msgid.as_deref(), bgp.source.as_str()),
            (Some(23), Some("ID47"), "127.0.0.5")
        );
        assert_eq!(by_msg("interface ge-0/0/1 down").device_id, Some(sw), "then by host = name, any case");
        assert_eq!(by_msg("BGP neighbor 10.0.0.1 Up").device_id, None);

        let find = |q: SyslogQuery| {
            let s = &s;
            async move {
                let mut m: Vec<String> =
                    s.search_syslog(&q).await.expect("search").into_iter().map(|e| e.msg.message).collect();
                m.sort();
                m
            }
        };
        let text = |t: &str| SyslogQuery { text: Some(t.into()), ..Default::default() };
        assert_eq!(find(text("bgp down")).await, ["BGP neighbor 10.0.0.1 Down"], "{kind:?}: all words");
        assert_eq!(find(text("neighbor")).await.len(), 2);
        assert_eq!(find(text("10.0.0.1")).await.len(), 2, "addresses are words");
        assert!(find(text("nothing")).await.is_empty());
        let q = SyslogQuery { severity: Some(Sev::Warning), ..Default::default() };
        assert_eq!(find(q).await, ["BGP neighbor 10.0.0.1 Down", "interface ge-0/0/1 down"], "warning or worse");
        let q = SyslogQuery { device: Some(rtr), ..Default::default() };
        assert_eq!(find(q).await, ["BGP neighbor 10.0.0.1 Down"]);
        let q = SyslogQuery {
            since: Some(t0() + Duration::minutes(1)),
            until: Some(t0() + Duration::minutes(2)),
            ..Default::default()
        };
        assert_eq!(find(q).await.len(), 2, "time range inclusive");
        let q = SyslogQuery { limit: Some(1), ..Default::default() };
        assert_eq!(find(q).await.len(), 1);
        s.close().await;
    }
}

/// The word search is answered from the GIN index on both backends (with
/// sequential scans off, as a large table would make the planner choose).
#[tokio::test(flavor = "multi_thread")]
async fn word_search_uses_the_gin_index() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let batch: Vec<_> =
            (0..200).map(|i| rec(i, "127.0.0.9", None, Some(Sev::Info), &format!("line {i} ok"))).collect();
        s.insert_syslog(&batch).await.expect("insert");
        let mut conn = s.conn().await.expect("conn");
        sqlx::query("SET enable_seqscan = off").execute(&mut *conn).await.expect("set");
        let plan: Vec<String> = sqlx::query_scalar(
            "EXPLAIN SELECT id FROM syslog_messages WHERE to_tsvector('simple', message) @@ plainto_tsquery('simple', 'line 7')",
        )
        .fetch_all(&mut *conn)
        .await
        .expect("explain");
        sqlx::query("RESET enable_seqscan").execute(&mut *conn).await.expect("reset");
        drop(conn);
        assert!(plan.iter().any(|l| l.contains("syslog_messages_text")), "{kind:?}: {plan:#?}");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn purge_by_age_then_by_count_in_batches() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let batch: Vec<_> = (0..50).map(|i| rec(i, "127.0.0.9", None, Some(Sev::Info), &format!("m{i}"))).collect();
        s.insert_syslog(&batch).await.expect("insert");
        // Minutes 0..10 are older than the cutoff; then keep at most 25 rows.
        let got = s.purge_syslog(t0() + Duration::minutes(10), 25, 7).await.expect("purge");
        assert_eq!(got, Purged { expired: 10, over_cap: 15 }, "{kind:?}");
        let left = s.search_syslog(&SyslogQuery { limit: Some(100), ..Default::default() }).await.expect("search");
        assert_eq!(left.len(), 25);
        assert_eq!(left.last().expect("oldest").msg.message, "m25", "the oldest went first");
        assert_eq!(s.purge_syslog(t0(), 25, 7).await.expect("again"), Purged::default());
        s.close().await;
    }
}
