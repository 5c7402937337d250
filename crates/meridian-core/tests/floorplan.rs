//! Floor-plan image headers and plan positions. The corpus in
//! `tests/corpus/image_header` holds real files written by ImageMagick 6.9 /
//! libwebp 1.2 (named `plan_<W>x<H>...` after their size) plus refused
//! inputs, and is the regression corpus of the `image_header` cargo-fuzz
//! target: whatever the fuzzer finds is copied there and runs here.

use std::path::{Path, PathBuf};

use meridian_core::floorplan::{
    parse_image_header, validate_position, ImageError, ImageMime, MAX_IMAGE_BYTES, MAX_SIDE,
};
use meridian_core::CoreError;
use proptest::prelude::*;

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/image_header");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| {
            let path = e.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

/// "plan_40x30_lossy.webp" -> (40, 30).
fn size_in_name(path: &Path) -> Option<(u32, u32)> {
    let name = path.file_name()?.to_str()?;
    let size = name.strip_prefix("plan_")?.split(['_', '.']).next()?;
    let (w, h) = size.split_once('x')?;
    Some((w.parse().ok()?, h.parse().ok()?))
}

/// The parser's promise: a typed answer for any bytes, and an accepted image within the limits.
fn check(bytes: &[u8]) {
    if let Ok(info) = parse_image_header(bytes) {
        assert!(info.width >= 1 && info.width <= MAX_SIDE, "{info:?}");
        assert!(info.height >= 1 && info.height <= MAX_SIDE, "{info:?}");
    }
}

#[test]
fn corpus_never_panics_on_any_prefix_or_flipped_byte() {
    let files = corpus();
    assert!(files.len() >= 8, "corpus has {} files", files.len());
    for (_, bytes) in &files {
        for cut in 0..=bytes.len() {
            check(&bytes[..cut]);
        }
        for i in 0..bytes.len().min(600) {
            let mut b = bytes.clone();
            b[i] ^= 0xa5;
            check(&b);
        }
    }
}

#[test]
fn real_images_give_their_format_and_size() {
    let mut seen = Vec::new();
    for (path, bytes) in corpus() {
        let Some((w, h)) = size_in_name(&path) else { continue };
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        let mime = match ext {
            "png" => ImageMime::Png,
            "jpg" => ImageMime::Jpeg,
            "webp" => ImageMime::Webp,
            other => panic!("{}: unexpected extension {other}", path.display()),
        };
        let info = parse_image_header(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!((info.mime, info.width, info.height), (mime, w, h), "{}", path.display());
        seen.push(mime);
    }
    // Lossy (VP8), lossless (VP8L) and extended (VP8X) WebP, baseline and progressive JPEG.
    assert_eq!(seen.iter().filter(|m| **m == ImageMime::Webp).count(), 3);
    assert_eq!(seen.iter().filter(|m| **m == ImageMime::Jpeg).count(), 2);
    assert!(seen.contains(&ImageMime::Png));
}

#[test]
fn svg_and_cut_files_are_refused_with_a_reason() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/image_header");
    let svg = std::fs::read(dir.join("plan.svg")).expect("svg");
    assert_eq!(parse_image_header(&svg), Err(ImageError::Svg));
    let bom = [b"\xEF\xBB\xBF  \n".as_slice(), &svg].concat();
    assert_eq!(parse_image_header(&bom), Err(ImageError::Svg));
    let cut = std::fs::read(dir.join("truncated_png.bin")).expect("cut");
    assert_eq!(parse_image_header(&cut), Err(ImageError::Truncated(ImageMime::Png)));
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    b.extend(width.to_be_bytes());
    b.extend(height.to_be_bytes());
    b.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b
}

fn vp8x(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00".to_vec();
    b.extend(&(width - 1).to_le_bytes()[..3]);
    b.extend(&(height - 1).to_le_bytes()[..3]);
    b
}

#[test]
fn other_formats_and_limits_are_refused() {
    assert_eq!(parse_image_header(b""), Err(ImageError::Empty));
    assert_eq!(parse_image_header(b"GIF89a\x01\x00\x01\x00"), Err(ImageError::UnknownFormat));
    assert_eq!(parse_image_header(b"BM\x00\x00"), Err(ImageError::UnknownFormat));
    assert_eq!(parse_image_header(&png(0, 10)), Err(ImageError::ZeroSize(ImageMime::Png)));
    assert_eq!(
        parse_image_header(&png(MAX_SIDE + 1, 10)),
        Err(ImageError::TooManyPixels { width: MAX_SIDE + 1, height: 10 })
    );
    assert_eq!(
        parse_image_header(&png(u32::MAX, 1)),
        Err(ImageError::Malformed(ImageMime::Png, "the size is out of range"))
    );
    assert_eq!(parse_image_header(&vp8x(MAX_SIDE, MAX_SIDE)).map(|i| i.width), Ok(MAX_SIDE));
    assert!(matches!(parse_image_header(&vp8x(MAX_SIDE + 1, 5)), Err(ImageError::TooManyPixels { .. })));

    let mut big = png(10, 10);
    big.resize(MAX_IMAGE_BYTES + 1, 0);
    assert_eq!(parse_image_header(&big), Err(ImageError::TooLarge { bytes: MAX_IMAGE_BYTES + 1 }));
    big.truncate(MAX_IMAGE_BYTES);
    assert!(parse_image_header(&big).is_ok(), "exactly the limit is accepted");
}

#[test]
fn jpeg_walk_handles_fill_bytes_and_refuses_data_before_a_frame() {
    // SOI, an APP0 of 4 bytes, fill bytes, then SOF0 (8 bits, 20 high, 30 wide).
    let ok = b"\xFF\xD8\xFF\xE0\x00\x04ab\xFF\xFF\xFF\xC0\x00\x0b\x08\x00\x14\x00\x1e\x01\x01\x11\x00";
    let info = parse_image_header(ok).expect("jpeg");
    assert_eq!((info.mime, info.width, info.height), (ImageMime::Jpeg, 30, 20));
    // Huffman tables (C4) are not a frame even though they sit in the SOF range.
    let dht = b"\xFF\xD8\xFF\xC4\x00\x04ab\xFF\xC2\x00\x0b\x08\x00\x05\x00\x06\x01";
    assert_eq!(parse_image_header(dht).map(|i| (i.width, i.height)), Ok((6, 5)));
    let sos_first = b"\xFF\xD8\xFF\xDA\x00\x08abcdef";
    assert!(matches!(parse_image_header(sos_first), Err(ImageError::Malformed(ImageMime::Jpeg, _))));
    let bad_len = b"\xFF\xD8\xFF\xE0\x00\x01";
    assert!(matches!(parse_image_header(bad_len), Err(ImageError::Malformed(ImageMime::Jpeg, _))));
    let no_height = b"\xFF\xD8\xFF\xC0\x00\x0b\x08\x00\x00\x00\x1e\x01\x01\x11\x00";
    assert_eq!(parse_image_header(no_height), Err(ImageError::ZeroSize(ImageMime::Jpeg)));
}

#[test]
fn image_errors_are_field_errors_on_image() {
    let e: CoreError = ImageError::Svg.into();
    assert_eq!(e.fields().len(), 1);
    assert_eq!(e.fields()[0].field, "image");
    assert!(e.to_string().contains("SVG"), "{e}");
}

#[test]
fn positions_must_lie_on_the_plan() {
    assert!(validate_position(0.0, 0.0, 100, 50).is_ok());
    assert!(validate_position(100.0, 50.0, 100, 50).is_ok(), "edges are on the plan");
    let fields = |r: Result<_, CoreError>| -> Vec<String> {
        r.err().map(|e| e.fields().iter().map(|f| f.field.clone()).collect()).unwrap_or_default()
    };
    assert_eq!(fields(validate_position(-0.1, 10.0, 100, 50)), ["x"]);
    assert_eq!(fields(validate_position(10.0, 50.5, 100, 50)), ["y"]);
    assert_eq!(fields(validate_position(f64::NAN, f64::INFINITY, 100, 50)), ["x", "y"]);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_known_magic_never_panic(
        magic in prop_oneof![
            Just(b"\x89PNG\r\n\x1a\n".to_vec()),
            Just(b"\xFF\xD8".to_vec()),
            Just(b"RIFF\x00\x00\x00\x00WEBPVP8 ".to_vec()),
            Just(b"RIFF\x00\x00\x00\x00WEBPVP8L".to_vec()),
            Just(b"RIFF\x00\x00\x00\x00WEBPVP8X".to_vec()),
        ],
        tail in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        check(&[magic, tail].concat());
    }

    #[test]
    fn png_and_vp8x_sizes_round_trip(w in 1u32..=MAX_SIDE, h in 1u32..=MAX_SIDE) {
        let p = parse_image_header(&png(w, h)).expect("png");
        prop_assert_eq!((p.mime, p.width, p.height), (ImageMime::Png, w, h));
        let x = parse_image_header(&vp8x(w, h)).expect("webp");
        prop_assert_eq!((x.mime, x.width, x.height), (ImageMime::Webp, w, h));
    }

    #[test]
    fn a_position_is_valid_exactly_when_it_is_on_the_plan(
        x in -10.0f64..300.0, y in -10.0f64..300.0, w in 1u32..256, h in 1u32..256,
    ) {
        let inside = (0.0..=f64::from(w)).contains(&x) && (0.0..=f64::from(h)).contains(&y);
        prop_assert_eq!(validate_position(x, y, w, h).is_ok(), inside);
    }
}
