//! The rule editor's preview against samples in the embedded store: the
//! newest sample of each series decides, scope and disabled devices count,
//! and a bad draft gets every field error at once and writes nothing.

use chrono::{Duration, Utc};
use meridian_core::alarm::Severity;
use meridian_core::metric::{Builtin, MetricKey};
use meridian_core::rules::{Comparison, Hold, Level, Rule, RuleScope};
use meridian_core::sample::Sample;
use meridian_service::{ApiErrorKind, App, AppConfig, DeviceInput};
use meridian_store::{Store, StoreConfig};

fn config(dir: &tempfile::TempDir) -> AppConfig {
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg
}

fn cpu_rule(scope: RuleScope, levels: Vec<Level>) -> Rule {
    Rule {
        name: "CPU high".into(),
        enabled: true,
        metric: MetricKey::Builtin(Builtin::CpuPct),
        instance: None,
        comparison: Comparison::Above,
        levels,
        raise_after: Hold { samples: 2 },
        clear_after: Hold::default(),
        no_data_intervals: None,
        scope,
        overrides: Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_judges_the_newest_stored_samples_and_refuses_bad_drafts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(&dir)).await.expect("open");
    let dev = |name: &str, address: &str, tags: &[&str], enabled: bool| DeviceInput {
        name: name.into(),
        address: address.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        enabled: Some(enabled),
        ..Default::default()
    };
    for (name, addr, tags, enabled) in [
        ("core-1", "127.0.0.1", &["core"][..], true),
        ("core-2", "127.0.0.2", &["core"][..], true),
        ("edge-1", "127.0.0.3", &[][..], true),
        ("core-off", "127.0.0.4", &["core"][..], false),
    ] {
        app.add_device(dev(name, addr, tags, enabled)).await.expect("device");
    }
    app.close().await;

    // CPU samples as the monitor writes them: (device, [(minutes ago, value)]).
    let store = Store::open(StoreConfig::embedded(dir.path())).await.expect("store");
    let now = Utc::now();
    let history = [
        ("core-1", vec![(3, 40.0), (1, 90.0)]),
        ("core-2", vec![(3, 99.0), (1, 60.0)]),
        ("edge-1", vec![(1, 99.0)]),
        ("core-off", vec![(1, 99.0)]),
    ];
    let mut batch = Vec::new();
    for (name, values) in history {
        let d = store.get_device(&name.into()).await.expect("device").id;
        let series = store.ensure_series(d, None, "cpu_pct", "%").await.expect("series");
        batch.extend(values.into_iter().map(|(ago, value)| Sample { at: now - Duration::minutes(ago), series, value }));
    }
    store.insert_samples(&batch).await.expect("samples");
    store.close().await;

    let app = App::open(config(&dir)).await.expect("reopen");
    let levels = vec![
        Level { severity: Severity::Major, raise: 80.0, clear: Some(70.0) },
        Level { severity: Severity::Critical, raise: 95.0, clear: None },
    ];
    let core = RuleScope { tags: vec!["core".into()], ..Default::default() };
    let hits = app.preview_rule(cpu_rule(core, levels.clone())).await.expect("preview");
    let got: Vec<(&str, &str, f64, Severity)> =
        hits.iter().map(|h| (h.device.as_str(), h.instance.as_str(), h.value, h.severity)).collect();
    // core-2's 99 is old news; edge-1 is out of scope; core-off is not monitored.
    assert_eq!(got, vec![("core-1", "", 90.0, Severity::Major)]);

    let everyone = RuleScope { all: true, ..Default::default() };
    let hits = app.preview_rule(cpu_rule(everyone, levels)).await.expect("preview");
    let got: Vec<(&str, Severity)> = hits.iter().map(|h| (h.device.as_str(), h.severity)).collect();
    assert_eq!(got, vec![("edge-1", Severity::Critical), ("core-1", Severity::Major)]);

    // A reversed clear value and an empty scope: both fields at once, nothing stored.
    let rules_before = app.list_rules().await.expect("rules");
    let bad = cpu_rule(RuleScope::default(), vec![Level { severity: Severity::Major, raise: 80.0, clear: Some(90.0) }]);
    let e = app.preview_rule(bad.clone()).await.expect_err("bad draft");
    assert_eq!(e.kind, ApiErrorKind::Validation);
    let mut fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(fields, vec!["levels[0].clear", "scope"], "{e:?}");
    assert_eq!(app.list_rules().await.expect("rules"), rules_before, "a preview writes nothing");
    app.close().await;
}
