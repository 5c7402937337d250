//! Editing, rotating and testing a saved credential against a real net-snmp
//! `snmpd` on 127.0.0.1: the right community answers with sysName, a wrong
//! one times out, a v3 user with a wrong pass phrase gets the agent's
//! authentication report; a rotation keeps the id (the device keeps its
//! credential) and leaves only the new secret in the vault file.

use std::path::{Path, PathBuf};

use meridian_service::{
    ApiErrorKind, App, AppConfig, CredentialPatch, DeviceInput, SecretInput, SnmpCredential, SnmpVersion,
    TrapCredential, TrapSettings, UsmInput,
};
use meridian_testkit::Snmpd;

fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    for e in std::fs::read_dir(dir).ok()?.flatten() {
        let p = e.path();
        if p.is_dir() {
            if let Some(f) = find(&p, name) {
                return Some(f);
            }
        } else if p.file_name().is_some_and(|n| n == name) {
            return Some(p);
        }
    }
    None
}

/// The sealed entries of the encrypted vault file, by id.
fn vault_entries(dir: &Path) -> serde_json::Map<String, serde_json::Value> {
    let f = find(dir, "secrets.json").expect("vault file");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(f).expect("read")).expect("json");
    v["entries"].as_object().expect("entries").clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_credential_is_tested_edited_and_rotated_against_a_real_agent() {
    let snmpd = Snmpd::start().expect("snmpd");
    let sys_name = snmpd.tool("snmpget", &["-v2c", "-c", "public", "-Oqv", &snmpd.address(), ".1.3.6.1.2.1.1.5.0"]);
    let sys_name = sys_name.expect("snmpget").trim().trim_matches('"').to_owned();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");

    let good = app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("good");
    app.add_community_credential("wrong", SnmpVersion::V2c, "not-the-community").await.expect("wrong");
    let v3 = UsmInput {
        name: "v3".into(),
        user: "authonly".into(),
        auth_proto: Some("SHA-256".into()),
        auth_pass: Some("not-the-pass-phrase".into()),
        ..Default::default()
    };
    app.add_usm_credential(v3).await.expect("v3");
    let input = DeviceInput {
        name: "agent".into(),
        address: "127.0.0.1".into(),
        credential: Some("wrong".into()),
        snmp_port: Some(snmpd.port()),
        ..Default::default()
    };
    app.add_device(input).await.expect("device");
    let agent = "agent".into();

    // Any credential can be tried on a device, not only its own.
    let ok = app.test_credential("lab", &agent).await.expect("right community");
    assert_eq!(ok.sys_name, sys_name, "{ok:?}");
    assert!(ok.sys_object_id.starts_with("1.3.6.1.4.1.") || ok.sys_object_id.starts_with(".1.3.6.1.4.1."), "{ok:?}");
    assert_eq!(ok.agent, format!("127.0.0.1:{}", snmpd.port()));

    let e = app.test_credential("wrong", &agent).await.expect_err("wrong community");
    assert_eq!(e.kind, ApiErrorKind::Network, "{e:?}");
    assert!(e.detail.contains("no response from") && e.detail.contains("wrong community"), "{e:?}");

    let e = app.test_credential("v3", &agent).await.expect_err("wrong pass phrase");
    assert_eq!(e.fields.first().map(|f| f.field.as_str()), Some("authPass"), "{e:?}");
    assert!(e.detail.contains("wrongDigest") || e.detail.to_lowercase().contains("digest"), "{e:?}");

    // Rotation: same id, the device keeps it, the test now answers, and the
    // vault file holds one entry for it, not the old one.
    let before = vault_entries(dir.path());
    let wrong_id = app.list_credentials().await.expect("list").into_iter().find(|c| c.name == "wrong").expect("c").id;
    let sealed_before = before[&wrong_id.to_string()].clone();
    let secret = SecretInput { community: Some("public".into()), ..Default::default() };
    let rotated = app.rotate_credential("wrong", secret).await.expect("rotate");
    assert_eq!(rotated.id, wrong_id);
    let after = vault_entries(dir.path());
    assert_eq!(after.len(), before.len(), "no second entry: {:?}", after.keys());
    assert_ne!(after[&wrong_id.to_string()], sealed_before, "the sealed secret was replaced");
    match app.credential_secret("wrong").await.expect("secret") {
        SnmpCredential::Community { community, .. } => assert_eq!(community.expose(), "public"),
        other => panic!("{other:?}"),
    }
    let d = app.list_devices().await.expect("devices").into_iter().find(|d| d.name == "agent").expect("agent");
    assert_eq!(d.credential_id, Some(wrong_id));
    assert_eq!(app.test_credential("wrong", &agent).await.expect("rotated answers").sys_name, sys_name);

    let secret = SecretInput { auth_pass: Some("authpass123".into()), ..Default::default() };
    app.rotate_credential("v3", secret).await.expect("rotate v3");
    assert_eq!(app.test_credential("v3", &agent).await.expect("v3 answers").sys_name, sys_name);

    // A refused rotation changes nothing.
    let kept = vault_entries(dir.path());
    let e = app.rotate_credential("lab", SecretInput { community: Some(String::new()), ..Default::default() }).await;
    assert_eq!(e.expect_err("empty").fields[0].field, "community");
    assert_eq!(vault_entries(dir.path()), kept);

    // Edit: a new name and version; the id and secret stay; a taken name is a
    // field error; the trap receiver's reference by name follows the rename.
    let traps = TrapSettings {
        credentials: vec![TrapCredential { credential: "lab".into(), engine_id: None }],
        ..TrapSettings::default()
    };
    app.set_trap_settings(traps).await.expect("trap settings");
    let p = CredentialPatch { name: Some("lab-v1".into()), version: Some(SnmpVersion::V1), user: None };
    let edited = app.update_credential("lab", p).await.expect("edit");
    assert_eq!((edited.id, edited.name.as_str(), edited.version), (good.id, "lab-v1", SnmpVersion::V1));
    assert_eq!(app.test_credential("lab-v1", &agent).await.expect("v1 answers").sys_name, sys_name);
    let refs: Vec<String> =
        app.trap_settings().await.expect("traps").credentials.into_iter().map(|c| c.credential).collect();
    assert_eq!(refs, ["lab-v1"]);
    let taken = CredentialPatch { name: Some("v3".into()), ..Default::default() };
    let e = app.update_credential("lab-v1", taken).await.expect_err("taken");
    assert_eq!(e.fields.first().map(|f| f.field.as_str()), Some("name"), "{e:?}");
    app.close().await;
}
