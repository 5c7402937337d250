//! Syslog over a byte stream (RFC 6587): octet-counting (`LEN SP MSG`,
//! 3.4.1) or non-transparent framing (messages end at LF, 3.4.2). The
//! method is chosen once per connection from its first byte: a digit means
//! octet-counting (a message always starts with `<`). Memory stays bounded
//! by the maximum message size: longer messages are cut there, flagged
//! truncated, and the rest of them skipped.

use super::SyslogDecodeError;

/// RFC 5425 requires receivers to take at least 2 KiB and should take
/// 8 KiB; 64 KiB covers the longest lines real senders emit (stack traces).
pub const DEFAULT_MAX_MESSAGE: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    OctetCounting,
    NonTransparent,
}

/// One message off the stream, at most the maximum size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub bytes: Vec<u8>,
    pub truncated: bool,
}

#[derive(Debug)]
pub struct FrameDecoder {
    max: usize,
    framing: Option<Framing>,
    buf: Vec<u8>,
    /// Bytes of an over-long octet-counted message still to skip.
    skip: usize,
    /// An over-long LF-framed message was cut: drop bytes up to its LF.
    skip_line: bool,
}

impl FrameDecoder {
    pub fn new(max_message: usize) -> Self {
        Self { max: max_message.max(1), framing: None, buf: Vec::new(), skip: 0, skip_line: false }
    }

    /// The method this connection uses, once its first byte has arrived.
    pub fn framing(&self) -> Option<Framing> {
        self.framing
    }

    /// Appends bytes read from the connection.
    pub fn extend(&mut self, mut data: &[u8]) {
        if self.skip > 0 {
            let n = self.skip.min(data.len());
            self.skip -= n;
            data = &data[n..];
        }
        if self.skip_line {
            match data.iter().position(|b| *b == b'\n') {
                Some(i) => {
                    self.skip_line = false;
                    data = &data[i + 1..];
                }
                None => return,
            }
        }
        self.buf.extend_from_slice(data);
    }

    /// The next complete message, `Ok(None)` when more bytes are needed. An
    /// octet count that does not parse is an error: the stream cannot be
    /// resynchronised, so the caller closes the connection.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, SyslogDecodeError> {
        loop {
            if self.buf.is_empty() {
                return Ok(None);
            }
            let framing = *self.framing.get_or_insert(if self.buf[0].is_ascii_digit() {
                Framing::OctetCounting
            } else {
                Framing::NonTransparent
            });
            let frame = match framing {
                Framing::OctetCounting => self.counted()?,
                Framing::NonTransparent => self.line(),
            };
            match frame {
                // Empty lines between messages (CRLF senders, keep-alives).
                Some(f) if f.bytes.is_empty() && !f.truncated => continue,
                other => return Ok(other),
            }
        }
    }

    /// What is left when the peer closes: a last unterminated line, or a
    /// counted message cut short (flagged truncated).
    pub fn finish(&mut self) -> Option<Frame> {
        let rest = std::mem::take(&mut self.buf);
        match self.framing {
            _ if rest.is_empty() => None,
            Some(Framing::OctetCounting) => {
                let start = rest.iter().position(|b| *b == b' ').map_or(rest.len(), |i| i + 1);
                Some(Frame { bytes: rest[start..].to_vec(), truncated: true })
            }
            _ => Some(Frame { bytes: trim_cr(rest), truncated: false }),
        }
    }

    /// The undecoded bytes (at most the maximum size), e.g. to keep a
    /// stream that broke its framing as a malformed message.
    pub fn take_buffered(&mut self) -> Vec<u8> {
        let mut rest = std::mem::take(&mut self.buf);
        rest.truncate(self.max);
        rest
    }

    fn counted(&mut self) -> Result<Option<Frame>, SyslogDecodeError> {
        let digits = self.buf.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == self.buf.len() && digits <= 10 {
            return Ok(None);
        }
        if digits == 0 || digits > 10 || self.buf[0] == b'0' || self.buf[digits] != b' ' {
            return Err(SyslogDecodeError::new("frame", "octet count is not 1-10 digits and a space (RFC 6587 3.4.1)"));
        }
        let len: u64 = self.buf[..digits].iter().fold(0, |acc, d| acc * 10 + u64::from(d - b'0'));
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let start = digits + 1;
        let keep = len.min(self.max);
        if self.buf.len() < start + keep {
            return Ok(None);
        }
        let bytes = self.buf[start..start + keep].to_vec();
        let available = self.buf.len() - start;
        let consumed = available.min(len);
        self.buf.drain(..start + consumed);
        self.skip = len - consumed;
        Ok(Some(Frame { bytes, truncated: len > self.max }))
    }

    fn line(&mut self) -> Option<Frame> {
        match self.buf.iter().position(|b| *b == b'\n') {
            Some(i) if i <= self.max => {
                let mut bytes: Vec<u8> = self.buf.drain(..=i).collect();
                bytes.pop();
                Some(Frame { bytes: trim_cr(bytes), truncated: false })
            }
            Some(i) => {
                let bytes = self.buf[..self.max].to_vec();
                self.buf.drain(..=i);
                Some(Frame { bytes, truncated: true })
            }
            None if self.buf.len() > self.max => {
                let bytes = self.buf[..self.max].to_vec();
                self.buf.clear();
                self.skip_line = true;
                Some(Frame { bytes, truncated: true })
            }
            None => None,
        }
    }
}

fn trim_cr(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    bytes
}
