//! Bytes from the wire into text every store accepts. PostgreSQL's `text`
//! and `jsonb` refuse NUL, and senders are not bound to UTF-8 (RFC 3164
//! has no charset at all), so invalid sequences and NUL become U+FFFD.

/// Lossy UTF-8 with NUL replaced.
pub fn clean(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    if s.contains('\0') {
        s.replace('\0', "\u{fffd}")
    } else {
        s.into_owned()
    }
}

/// Some(text) unless the field is RFC 5424's NILVALUE or empty.
pub fn field(bytes: &[u8]) -> Option<String> {
    (!bytes.is_empty() && bytes != b"-").then(|| clean(bytes))
}

/// A message body: [`clean`] without the line end a TCP sender may leave.
pub fn body(bytes: &[u8]) -> String {
    let end = bytes.iter().rposition(|b| !matches!(b, b'\r' | b'\n')).map_or(0, |i| i + 1);
    clean(&bytes[..end])
}
