//! Floor plans: which images a site's plan may be, and where on it a device
//! may sit.
//!
//! The image comes from outside (a file the user picked, or any caller of
//! the service), so only its header is read, by hand, with every length
//! checked: the bytes are never decoded here, and the webview only ever
//! sees an image whose format and size were checked. Only raster formats are
//! accepted: SVG can carry script, and the UI shows the plan as an `<img>`.

use std::fmt;

use serde::Serialize;
use ts_rs::TS;

use crate::error::CoreError;
use crate::ids::DeviceId;
use crate::validate::Checker;

/// Largest plan image, in bytes.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
/// Largest plan side, in pixels (a 16k x 16k plan is already ~1 GiB decoded).
pub const MAX_SIDE: u32 = 16_384;

/// The accepted image formats, serialised as their MIME types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
pub enum ImageMime {
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/webp")]
    Webp,
}

impl ImageMime {
    pub const ALL: [Self; 3] = [Self::Png, Self::Jpeg, Self::Webp];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::Webp => "WebP",
        }
    }

    pub fn from_mime(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub mime: ImageMime,
    pub width: u32,
    pub height: u32,
}

/// Why bytes are not an acceptable plan image: a detail kind that becomes a
/// `CoreError` on the `image` field (the crate's one error type), written
/// for the person who picked the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    Empty,
    TooLarge {
        bytes: usize,
    },
    Svg,
    UnknownFormat,
    /// The file ends before the header says the size.
    Truncated(ImageMime),
    Malformed(ImageMime, &'static str),
    ZeroSize(ImageMime),
    TooManyPixels {
        width: u32,
        height: u32,
    },
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the image is empty"),
            Self::TooLarge { bytes } => write!(
                f,
                "the image is {:.1} MiB; the limit is {} MiB",
                *bytes as f64 / (1024.0 * 1024.0),
                MAX_IMAGE_BYTES / (1024 * 1024)
            ),
            Self::Svg => f.write_str("SVG is not accepted (it can carry script); export the plan as PNG, JPEG or WebP"),
            Self::UnknownFormat => f.write_str("not a PNG, JPEG or WebP image"),
            Self::Truncated(m) => write!(f, "the {} image is cut short before its size", m.label()),
            Self::Malformed(m, what) => write!(f, "not a valid {} image: {what}", m.label()),
            Self::ZeroSize(m) => write!(f, "the {} image has no width or height", m.label()),
            Self::TooManyPixels { width, height } => {
                write!(f, "the image is {width} x {height} pixels; the limit is {MAX_SIDE} per side")
            }
        }
    }
}

impl From<ImageError> for CoreError {
    fn from(e: ImageError) -> Self {
        CoreError::field("image", e.to_string())
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Reads the format and pixel size from the first bytes, rejecting anything
/// that is not a PNG, JPEG or WebP within the size limits. Never panics.
pub fn parse_image_header(bytes: &[u8]) -> Result<ImageInfo, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge { bytes: bytes.len() });
    }
    let info = if bytes.starts_with(PNG_SIGNATURE) {
        png(bytes)?
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes)?
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        webp(bytes)?
    } else if looks_like_markup(bytes) {
        return Err(ImageError::Svg);
    } else {
        return Err(ImageError::UnknownFormat);
    };
    if info.width == 0 || info.height == 0 {
        return Err(ImageError::ZeroSize(info.mime));
    }
    if info.width > MAX_SIDE || info.height > MAX_SIDE {
        return Err(ImageError::TooManyPixels { width: info.width, height: info.height });
    }
    Ok(info)
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 2).map(|s| u32::from(u16::from_be_bytes([s[0], s[1]])))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 2).map(|s| u32::from(u16::from_le_bytes([s[0], s[1]])))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 3).map(|s| u32::from_le_bytes([s[0], s[1], s[2], 0]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// The signature, then IHDR first with its fixed length of 13.
fn png(b: &[u8]) -> Result<ImageInfo, ImageError> {
    const M: ImageMime = ImageMime::Png;
    let cut = || ImageError::Truncated(M);
    if be32(b, 8).ok_or_else(cut)? != 13 || b.get(12..16).ok_or_else(cut)? != b"IHDR" {
        return Err(ImageError::Malformed(M, "the first chunk is not IHDR"));
    }
    let width = be32(b, 16).ok_or_else(cut)?;
    let height = be32(b, 20).ok_or_else(cut)?;
    // The spec caps sides at 2^31 - 1; above that the file is corrupt, not big.
    if width > i32::MAX as u32 || height > i32::MAX as u32 {
        return Err(ImageError::Malformed(M, "the size is out of range"));
    }
    Ok(ImageInfo { mime: M, width, height })
}

/// Walks the marker segments up to the first start-of-frame, which holds the
/// size. Each step moves forward by at least two bytes, so the walk ends.
fn jpeg(b: &[u8]) -> Result<ImageInfo, ImageError> {
    const M: ImageMime = ImageMime::Jpeg;
    let mut at = 2;
    loop {
        if *b.get(at).ok_or(ImageError::Truncated(M))? != 0xFF {
            return Err(ImageError::Malformed(M, "a marker was expected"));
        }
        // Any number of 0xFF fill bytes may precede a marker code.
        while b.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *b.get(at).ok_or(ImageError::Truncated(M))?;
        at += 1;
        match marker {
            // Standalone markers: no length follows.
            0x01 | 0xD0..=0xD7 => continue,
            0x00 | 0xD8 => return Err(ImageError::Malformed(M, "a marker was expected")),
            0xD9 | 0xDA => return Err(ImageError::Malformed(M, "no frame header before the image data")),
            _ => {}
        }
        let len = be16(b, at).ok_or(ImageError::Truncated(M))? as usize;
        if len < 2 {
            return Err(ImageError::Malformed(M, "a segment length is too small"));
        }
        // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), carry the frame size.
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            if len < 7 {
                return Err(ImageError::Malformed(M, "the frame header is too short"));
            }
            let height = be16(b, at + 3).ok_or(ImageError::Truncated(M))?;
            let width = be16(b, at + 5).ok_or(ImageError::Truncated(M))?;
            return Ok(ImageInfo { mime: M, width, height });
        }
        at += len;
    }
}

/// RIFF, then the first chunk: lossy (VP8), lossless (VP8L) or extended (VP8X).
fn webp(b: &[u8]) -> Result<ImageInfo, ImageError> {
    const M: ImageMime = ImageMime::Webp;
    let cut = || ImageError::Truncated(M);
    let chunk = b.get(12..16).ok_or_else(cut)?;
    let (width, height) = match chunk {
        b"VP8 " => {
            if b.get(23..26).ok_or_else(cut)? != [0x9D, 0x01, 0x2A] {
                return Err(ImageError::Malformed(M, "the VP8 start code is missing"));
            }
            (le16(b, 26).ok_or_else(cut)? & 0x3FFF, le16(b, 28).ok_or_else(cut)? & 0x3FFF)
        }
        b"VP8L" => {
            if *b.get(20).ok_or_else(cut)? != 0x2F {
                return Err(ImageError::Malformed(M, "the VP8L signature is missing"));
            }
            let bits = b.get(21..25).ok_or_else(cut)?;
            let bits = u32::from_le_bytes([bits[0], bits[1], bits[2], bits[3]]);
            ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        }
        b"VP8X" => (le24(b, 24).ok_or_else(cut)? + 1, le24(b, 27).ok_or_else(cut)? + 1),
        _ => return Err(ImageError::Malformed(M, "the first chunk is not VP8, VP8L or VP8X")),
    };
    Ok(ImageInfo { mime: M, width, height })
}

/// SVG or other XML/HTML: '<' first, after an optional BOM and whitespace.
fn looks_like_markup(b: &[u8]) -> bool {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    b.iter().take(1024).find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

/// A point on a plan, in image pixels: x to the right, y down from the top left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanPoint {
    pub x: f64,
    pub y: f64,
}

/// Checks a device position against the plan's size: both coordinates
/// finite and inside the image (edges included).
pub fn validate_position(x: f64, y: f64, width: u32, height: u32) -> Result<PlanPoint, CoreError> {
    let mut c = Checker::new();
    for (field, v, max) in [("x", x, width), ("y", y, height)] {
        if !v.is_finite() {
            c.fail(field, "must be a number");
        } else if !(0.0..=f64::from(max)).contains(&v) {
            c.fail(field, format!("must be between 0 and {max} (the plan's size in pixels)"));
        }
    }
    c.finish(PlanPoint { x, y })
}

/// Where a device sits on its site's plan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanPosition {
    pub device_id: DeviceId,
    pub x: f64,
    pub y: f64,
}
