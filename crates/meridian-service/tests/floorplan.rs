//! Floor plans through `App` on the embedded store: a real PNG (built here,
//! byte by byte) is stored and read back, bad images and bad positions are
//! refused field by field and write nothing, and changes are announced.

use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_service::{
    decode_image_base64, ApiError, ApiErrorKind, App, AppConfig, CoreEvent, DeviceInput, ImageMime, SiteInput,
};

async fn app(dir: &tempfile::TempDir) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open app")
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend(kind);
    out.extend(data);
    let crc = crc32(&out[start..]);
    out.extend(crc.to_be_bytes());
}

/// A complete, decodable RGB PNG: IHDR, one IDAT holding a zlib stream with
/// a single stored (uncompressed) deflate block, IEND.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            raw.extend([(x * 40) as u8, (y * 60) as u8, 200]);
        }
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    let len = raw.len() as u16;
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend(len.to_le_bytes());
    zlib.extend((!len).to_le_bytes());
    zlib.extend(&raw);
    zlib.extend(((b << 16) | a).to_be_bytes());

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in bytes.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(char::from(A[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn assert_field<T: std::fmt::Debug>(r: Result<T, ApiError>, field: &str) {
    match r {
        Err(e) => {
            assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
            assert!(e.fields.iter().any(|f| f.field == field), "expected a '{field}' error, got {e:?}");
        }
        Ok(v) => panic!("expected a validation error on '{field}', got {v:?}"),
    }
}

fn site(name: &str) -> SiteInput {
    SiteInput { name: name.into(), lat: Some(48.0), lon: Some(2.0) }
}

fn dev(name: &str, address: &str, site: &str) -> DeviceInput {
    DeviceInput { name: name.into(), address: address.into(), site: Some(site.into()), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_png_plan_is_stored_read_back_and_announced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(&dir).await;
    let hq = app.add_site(site("HQ")).await.expect("site");
    let mut events = app.subscribe();
    let image = png(4, 3);
    assert_eq!(decode_image_base64(&b64(&image)).expect("own base64 decodes"), image);

    let info = app.set_floor_plan_base64("HQ", &b64(&image)).await.expect("set");
    assert_eq!((info.site_id, info.mime, info.width, info.height), (hq.id, ImageMime::Png, 4, 3));
    match events.try_recv().expect("an event") {
        CoreEvent::InventoryChanged { entity, id, action } => {
            assert_eq!((entity, id, action), (InventoryEntity::Site, hq.id.to_string(), ChangeAction::FloorPlanChanged))
        }
        other => panic!("unexpected {other:?}"),
    }
    let plan = app.floor_plan("HQ").await.expect("read").expect("a plan");
    assert_eq!((plan.mime, plan.width, plan.height), (ImageMime::Png, 4, 3));
    assert_eq!(plan.data, b64(&image), "the image comes back byte for byte");
    assert!(app.show_site("HQ").await.expect("site").has_floor_plan);

    assert!(app.remove_floor_plan("HQ").await.expect("remove"));
    assert!(!app.remove_floor_plan("HQ").await.expect("remove again"));
    assert_eq!(app.floor_plan("HQ").await.expect("read"), None);
    assert!(!app.show_site("HQ").await.expect("site").has_floor_plan);
    assert_eq!(app.floor_plan("Nowhere").await.map_err(|e| e.kind), Err(ApiErrorKind::NotFound));
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_images_are_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(&dir).await;
    app.add_site(site("HQ")).await.expect("site");
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    let gif = b"GIF89a\x04\x00\x03\x00\x00\x00\x00;".to_vec();
    let cut = png(4, 3)[..20].to_vec();
    let huge = {
        let mut b = png(4, 3);
        b[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        b
    };
    for bad in [svg, gif, cut, huge, Vec::new()] {
        assert_field(app.set_floor_plan("HQ", &bad).await, "image");
        assert_field(app.set_floor_plan_base64("HQ", &b64(&bad)).await, "image");
    }
    assert_field(app.set_floor_plan_base64("HQ", "not base64!").await, "image");
    assert_field(app.set_floor_plan_base64("HQ", &"A".repeat(14 * 1024 * 1024)).await, "image");
    assert_eq!(app.floor_plan("HQ").await.expect("read"), None, "a refused image wrote something");

    // A bad replacement leaves the current plan alone.
    app.set_floor_plan("HQ", &png(4, 3)).await.expect("set");
    assert_field(app.set_floor_plan("HQ", b"<svg/>").await, "image");
    assert_eq!(app.floor_plan("HQ").await.expect("read").map(|p| p.data), Some(b64(&png(4, 3))));
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn devices_are_placed_moved_and_removed_on_their_sites_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(&dir).await;
    app.add_site(site("HQ")).await.expect("site");
    app.add_site(site("Lab")).await.expect("site");
    let r1 = app.add_device(dev("r1", "127.0.0.1", "HQ")).await.expect("r1");
    app.add_device(dev("lab1", "127.0.0.2", "Lab")).await.expect("lab1");

    assert_field(app.place_device(&"r1".into(), "HQ", 1.0, 1.0).await, "site");
    app.set_floor_plan("HQ", &png(40, 30)).await.expect("plan");
    assert_field(app.place_device(&"lab1".into(), "HQ", 1.0, 1.0).await, "device");
    assert_field(app.place_device(&"r1".into(), "HQ", 41.0, 1.0).await, "x");
    assert_field(app.place_device(&"r1".into(), "HQ", 1.0, -1.0).await, "y");
    assert_field(app.place_device(&"r1".into(), "HQ", f64::NAN, 1.0).await, "x");
    assert_eq!(
        app.place_device(&"ghost".into(), "HQ", 1.0, 1.0).await.map_err(|e| e.kind),
        Err(ApiErrorKind::NotFound)
    );
    assert!(app.plan_positions("HQ").await.expect("positions").is_empty(), "a refused place wrote something");

    let mut events = app.subscribe();
    let at = app.place_device(&"r1".into(), "HQ", 10.0, 20.0).await.expect("place");
    assert_eq!((at.device_id, at.x, at.y), (r1.id, 10.0, 20.0));
    assert!(matches!(events.try_recv(), Ok(CoreEvent::InventoryChanged { entity: InventoryEntity::Device, .. })));
    app.place_device(&r1.id.into(), "HQ", 40.0, 30.0).await.expect("move to the corner");
    let placed = app.plan_positions("HQ").await.expect("positions");
    assert_eq!(placed.iter().map(|p| (p.device_id, p.x, p.y)).collect::<Vec<_>>(), [(r1.id, 40.0, 30.0)]);

    assert!(app.unplace_device(&"r1".into()).await.expect("unplace"));
    assert!(!app.unplace_device(&"r1".into()).await.expect("unplace again"));
    assert!(app.plan_positions("HQ").await.expect("positions").is_empty());

    app.place_device(&"r1".into(), "HQ", 5.0, 5.0).await.expect("place again");
    app.remove_floor_plan("HQ").await.expect("remove plan");
    assert!(app.plan_positions("HQ").await.expect("positions").is_empty(), "removing the plan removes the spots");
    app.close().await;
}
