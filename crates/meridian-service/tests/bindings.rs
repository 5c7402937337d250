//! The UI's TypeScript types must be exactly what the Rust types generate.
//! `UPDATE_BINDINGS=1` rewrites the file; otherwise any drift fails the test.

use std::path::PathBuf;

#[test]
fn generated_bindings_are_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/generated/bindings.ts");
    let fresh = meridian_service::typescript_bindings();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &fresh).expect("write bindings");
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == fresh,
        "{} is stale; run `UPDATE_BINDINGS=1 cargo test -p meridian-service --test bindings` and commit it",
        path.display()
    );
    for ty in ["export type Device =", "export type ApiError =", "export type DeviceKind =", "export type CoreEvent ="]
    {
        assert!(fresh.contains(ty), "missing {ty}");
    }
}
