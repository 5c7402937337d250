//! BSD syslog (RFC 3164): `<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG`, read
//! tolerantly because real senders bend it:
//! - Cisco IOS puts a sequence number first (`<189>45: `), may put the
//!   hostname before the time (`router1: `), marks an unsynced clock with
//!   `*` or `.`, adds milliseconds, a year and a zone (`UTC:`), and writes
//!   `%FAC-SEV-MNEMONIC:` where a tag would be (read as the message id);
//! - rsyslog and others send an RFC 3339 time instead of the BSD one;
//! - many senders leave the hostname out (`Mmm dd hh:mm:ss tag: msg`).
//!
//! The year comes from the receive time ([`infer_year`]); a clock time
//! without a known zone is read as UTC. Only a bad PRI or a date that does
//! not exist is an error: anything else is message text.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use meridian_core::syslog::{infer_year, SyslogMessage};

use super::text::body;
use super::{parse_pri, SyslogDecodeError};

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Fixed-offset zone abbreviations Cisco's `service timestamps ... show-timezone`
/// prints; others (IST is three zones) are skipped and the time read as UTC.
const ZONES: [(&str, i64); 14] = [
    ("UTC", 0),
    ("GMT", 0),
    ("CET", 60),
    ("CEST", 120),
    ("BST", 60),
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
    ("JST", 540),
];

pub fn parse_3164(bytes: &[u8], received: DateTime<Utc>) -> Result<SyslogMessage, SyslogDecodeError> {
    let (pri, rest) = parse_pri(bytes)?;
    let mut msg = SyslogMessage::default();
    msg.set_pri(pri);
    let text = body(rest);
    let mut s = skip_sequence(&text);

    let mut stamped = false;
    if let Some((t, after)) = timestamp(s, received)? {
        (msg.device_time, s, stamped) = (Some(t), after, true);
    } else if let Some((host, after)) = token(s).filter(|(t, _)| t.len() > 1 && t.ends_with(':')) {
        // Cisco `logging origin-id hostname`: `router1: *Mar  1 ...`.
        if let Some((t, after)) = timestamp(after, received)? {
            msg.host = Some(host.trim_end_matches(':').to_owned());
            (msg.device_time, s, stamped) = (Some(t), after, true);
        }
    }

    // A hostname only follows a timestamp (RFC 3164 4.1.2); without one the
    // rest is content, which may still open with a tag.
    if stamped && msg.host.is_none() {
        if let Some((tok, after)) = token(s) {
            if !tok.starts_with('%') && tag(tok).is_none() && is_hostname(tok) && !after.is_empty() {
                msg.host = Some(tok.to_owned());
                s = after;
            }
        }
    }
    if let Some((tok, after)) = token(s) {
        if let Some(mnemonic) = tok.strip_prefix('%').and_then(|t| t.strip_suffix(':')).filter(|t| !t.is_empty()) {
            msg.msgid = Some(mnemonic.to_owned());
            s = after;
        } else if let Some((app, pid)) = tag(tok) {
            msg.app = Some(app.to_owned());
            msg.procid = pid.map(str::to_owned);
            s = after;
        }
    }
    msg.message = s.to_owned();
    Ok(msg)
}

/// The first space-delimited token and what follows its one space.
fn token(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start_matches(' ');
    if s.is_empty() {
        return None;
    }
    Some(match s.split_once(' ') {
        Some((t, rest)) => (t, rest),
        None => (s, ""),
    })
}

/// Cisco's `service sequence-numbers`: `123: ` before the rest.
fn skip_sequence(s: &str) -> &str {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    match s.get(digits..) {
        Some(rest) if (1..=10).contains(&digits) && rest.starts_with(": ") => &rest[2..],
        _ => s,
    }
}

/// `name:`, `name[pid]:` or `name[pid]` with a name of up to 48 ordinary
/// characters (letters, digits, `_ . / -`).
fn tag(tok: &str) -> Option<(&str, Option<&str>)> {
    let ok_name = |n: &str| {
        !n.is_empty() && n.len() <= 48 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"_./-".contains(&b))
    };
    if let Some((name, pid)) = tok.trim_end_matches(':').strip_suffix(']').and_then(|t| t.split_once('[')) {
        let pid_ok = !pid.is_empty() && pid.len() <= 128 && pid.bytes().all(|b| b.is_ascii_graphic() && b != b']');
        return (ok_name(name) && pid_ok).then_some((name, Some(pid)));
    }
    tok.strip_suffix(':').filter(|n| ok_name(n)).map(|n| (n, None))
}

/// A DNS name or an address as a sender writes its own name.
fn is_hostname(tok: &str) -> bool {
    tok.len() <= 255 && !tok.ends_with(':') && tok.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-:".contains(&b))
}

/// A BSD or RFC 3339 timestamp at the start of `s`, with Cisco's clock
/// marks, milliseconds, year and zone, and the `:` Cisco puts after it.
/// `Ok(None)` when `s` does not start with a timestamp.
fn timestamp(s: &str, received: DateTime<Utc>) -> Result<Option<(DateTime<Utc>, &str)>, SyslogDecodeError> {
    let s = s.strip_prefix(['*', '.']).unwrap_or(s);
    let (time, rest) = if let Some(found) = bsd_time(s, received)? {
        found
    } else if let Some((tok, rest)) = token(s) {
        match DateTime::parse_from_rfc3339(tok.trim_end_matches(':')) {
            Ok(t) => (t.with_timezone(&Utc), rest),
            Err(_) => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    let (time, rest) = match rest.strip_prefix(' ').and_then(zone) {
        Some((minutes, after)) => (time - Duration::minutes(minutes), after),
        None => (time, rest),
    };
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start_matches(' ');
    Ok(Some((time, rest)))
}

/// `Mmm dd [yyyy] hh:mm:ss[.fff]` (day space- or zero-padded).
fn bsd_time(s: &str, received: DateTime<Utc>) -> Result<Option<(DateTime<Utc>, &str)>, SyslogDecodeError> {
    let b = s.as_bytes();
    let Some(month) = s.get(..3).and_then(|m| MONTHS.iter().position(|x| x.eq_ignore_ascii_case(m))) else {
        return Ok(None);
    };
    if b.get(3) != Some(&b' ') {
        return Ok(None);
    }
    let mut i = if b.get(4) == Some(&b' ') { 5 } else { 4 };
    let day_len = b[i.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&day_len) || b.get(i + day_len) != Some(&b' ') {
        return Ok(None);
    }
    let day: u32 = s[i..i + day_len].parse().unwrap_or(0);
    i += day_len + 1;
    let mut year = None;
    if b.len() >= i + 5 && b[i..i + 4].iter().all(u8::is_ascii_digit) && b[i + 4] == b' ' {
        year = s[i..i + 4].parse::<i32>().ok();
        i += 5;
    }
    let Some(clock) = s.get(i..i + 8) else { return Ok(None) };
    let Ok(mut time) = NaiveTime::parse_from_str(clock, "%H:%M:%S") else { return Ok(None) };
    i += 8;
    if b.get(i) == Some(&b'.') {
        let frac = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=9).contains(&frac) {
            let nanos = format!("{:0<9}", &s[i + 1..i + 1 + frac]).parse::<i64>().unwrap_or(0);
            time += Duration::nanoseconds(nanos);
            i += 1 + frac;
        }
    }
    let month = month as u32 + 1;
    let when = match year {
        Some(y) => chrono::NaiveDate::from_ymd_opt(y, month, day).map(|d| d.and_time(time).and_utc()),
        None => infer_year(month, day, time, received),
    };
    let when = when.ok_or_else(|| SyslogDecodeError::new("timestamp", format!("{} {day} is not a date", &s[..3])))?;
    Ok(Some((when, &s[i..])))
}

/// A zone abbreviation from [`ZONES`] directly followed by `:` (Cisco's
/// `UTC:`), as minutes east of UTC. Without the colon it could be a host.
fn zone(s: &str) -> Option<(i64, &str)> {
    let s = s.trim_start_matches(' ');
    let (tok, _) = token(s)?;
    let name = tok.strip_suffix(':')?;
    let (_, minutes) = ZONES.iter().find(|(z, _)| *z == name)?;
    Some((*minutes, &s[name.len()..]))
}
