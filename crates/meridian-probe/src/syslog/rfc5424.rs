//! RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]`.
//! The header is strict (printable US-ASCII, RFC lengths) so a field error
//! says which field broke; MSG is taken as UTF-8 after an optional BOM,
//! lossily when it is not.

use chrono::{DateTime, Utc};
use meridian_core::syslog::{SdElement, SdParam, SyslogMessage};

use super::text::{body, clean, field};
use super::{parse_pri, SyslogDecodeError};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// True when the bytes after the PRI start with a version number and a
/// space (`1 `), which a BSD timestamp or tag never does.
pub(super) fn looks_versioned(rest: &[u8]) -> bool {
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    (1..=2).contains(&digits) && rest.get(digits) == Some(&b' ')
}

pub fn parse_5424(bytes: &[u8]) -> Result<SyslogMessage, SyslogDecodeError> {
    let (pri, rest) = parse_pri(bytes)?;
    let mut msg = SyslogMessage::default();
    msg.set_pri(pri);
    let mut cur = Cursor { rest };

    let version = cur.header_field("version", 2)?;
    if version != b"1" {
        return Err(SyslogDecodeError::new("version", format!("{:?} is not 1", clean(version))));
    }
    let ts = cur.header_field("timestamp", 64)?;
    msg.device_time = parse_timestamp(ts)?;
    msg.host = field(cur.header_field("hostname", 255)?);
    msg.app = field(cur.header_field("app_name", 48)?);
    msg.procid = field(cur.header_field("procid", 128)?);
    msg.msgid = field(cur.header_field("msgid", 32)?);
    msg.structured_data = cur.structured_data()?;
    match cur.rest.split_first() {
        None => {}
        Some((b' ', m)) => msg.message = body(m.strip_prefix(BOM).unwrap_or(m)),
        Some(_) => return Err(SyslogDecodeError::new("structured_data", "expected a space or the end after it")),
    }
    Ok(msg)
}

fn parse_timestamp(ts: &[u8]) -> Result<Option<DateTime<Utc>>, SyslogDecodeError> {
    if ts == b"-" {
        return Ok(None);
    }
    let s = std::str::from_utf8(ts).map_err(|_| SyslogDecodeError::new("timestamp", "not ASCII"))?;
    // RFC 3339 with a mandatory 'T' and zone; chrono also takes a space
    // for 'T', which this field cannot hold anyway.
    DateTime::parse_from_rfc3339(s)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|e| SyslogDecodeError::new("timestamp", format!("{s:?} is not an RFC 3339 time ({e})")))
}

struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    /// One space-terminated header field of printable US-ASCII, 1..=max long.
    fn header_field(&mut self, name: &'static str, max: usize) -> Result<&'a [u8], SyslogDecodeError> {
        let len = self.rest.iter().position(|b| *b == b' ').unwrap_or(self.rest.len());
        let (value, after) = self.rest.split_at(len);
        if value.is_empty() {
            return Err(SyslogDecodeError::new(name, "missing (use '-' for none)"));
        }
        if value.len() > max {
            return Err(SyslogDecodeError::new(name, format!("{} characters, at most {max}", value.len())));
        }
        if let Some(b) = value.iter().find(|b| !(33..=126).contains(*b)) {
            return Err(SyslogDecodeError::new(name, format!("byte {b:#04x} is not printable US-ASCII")));
        }
        let Some(after) = after.strip_prefix(b" ") else {
            return Err(SyslogDecodeError::new(name, "message ends inside the header"));
        };
        self.rest = after;
        Ok(value)
    }

    /// `-` or one or more `[SD-ID *(SP PARAM-NAME="VALUE")]`.
    fn structured_data(&mut self) -> Result<Vec<SdElement>, SyslogDecodeError> {
        if let Some(after) = self.rest.strip_prefix(b"-") {
            self.rest = after;
            return Ok(Vec::new());
        }
        if !self.rest.starts_with(b"[") {
            return Err(SyslogDecodeError::new("structured_data", "expected '-' or '['"));
        }
        let mut out = Vec::new();
        while let Some(after) = self.rest.strip_prefix(b"[") {
            self.rest = after;
            let id = self.sd_name("structured_data.id")?;
            let mut params = Vec::new();
            loop {
                match self.rest.split_first() {
                    Some((b']', after)) => {
                        self.rest = after;
                        break;
                    }
                    Some((b' ', after)) => {
                        self.rest = after;
                        params.push(self.sd_param()?);
                    }
                    _ => {
                        return Err(SyslogDecodeError::new("structured_data", format!("element {id:?} is not closed")))
                    }
                }
            }
            out.push(SdElement { id, params });
        }
        Ok(out)
    }

    /// SD-NAME: 1..=32 printable US-ASCII except `=`, space, `]` and `"`.
    fn sd_name(&mut self, what: &'static str) -> Result<String, SyslogDecodeError> {
        let len = self.rest.iter().take_while(|b| (33..=126).contains(*b) && !b"= ]\"".contains(b)).count();
        if len == 0 || len > 32 {
            return Err(SyslogDecodeError::new(what, format!("a name of 1 to 32 characters expected, found {len}")));
        }
        let (name, after) = self.rest.split_at(len);
        self.rest = after;
        Ok(clean(name))
    }

    /// `name="value"` with `\"`, `\\` and `\]` unescaped; any other
    /// backslash is kept as it is (RFC 5424 6.3.3).
    fn sd_param(&mut self) -> Result<SdParam, SyslogDecodeError> {
        let name = self.sd_name("structured_data.param")?;
        let Some(after) = self.rest.strip_prefix(b"=\"") else {
            return Err(SyslogDecodeError::new(
                "structured_data.param",
                format!("{name:?}: expected =\" after the name"),
            ));
        };
        let mut value = Vec::new();
        let mut i = 0;
        loop {
            match after.get(i) {
                None => {
                    return Err(SyslogDecodeError::new("structured_data.param", format!("{name:?}: value not closed")))
                }
                Some(b'"') => break,
                Some(b'\\') if matches!(after.get(i + 1), Some(b'"' | b'\\' | b']')) => {
                    value.push(after[i + 1]);
                    i += 2;
                    continue;
                }
                Some(b) => value.push(*b),
            }
            i += 1;
        }
        self.rest = &after[i + 1..];
        Ok(SdParam { name, value: clean(&value) })
    }
}
