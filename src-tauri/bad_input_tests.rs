//! Bad input through every Tauri command (issue 14, item 5, the desktop
//! half of `crates/meridian-cli/tests/bad_input.rs`).
//!
//! Each command of [`super::invoke_handler`] (read from lib.rs, so a new
//! command without an entry fails this test) is invoked through Tauri's own
//! IPC path (the mock runtime: argument deserialisation, the command, the
//! `ApiError` it answers) against a real service on the embedded store. An
//! entry gives invalid input and the answer it must get: an `ApiError` naming
//! the field, an `ApiError` of a kind (an unknown key is `not_found`), or
//! Tauri's refusal to deserialise an argument, which names it. Commands that
//! take no input say why. Afterwards every listing the UI reads is compared
//! with the one taken before: nothing bad input did may change the store.

use std::sync::Arc;

use meridian_service::{App, AppConfig, DeviceInput, SnmpVersion};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindowBuilder};

use crate::service::{Phase, Service};

/// What a bad call must answer.
enum Want {
    /// A validation `ApiError` with this field among its field errors.
    Field(&'static str),
    /// An `ApiError` of this kind (`not_found`, ...).
    Kind(&'static str),
    /// Tauri refuses to deserialise this argument before the command runs.
    Arg(&'static str),
    /// The command takes no input that can be invalid; why.
    NoInput(&'static str),
}
use Want::*;

struct Case {
    cmd: &'static str,
    args: Value,
    want: Want,
}

fn case(cmd: &'static str, args: Value, want: Want) -> Case {
    Case { cmd, args, want }
}

fn none(cmd: &'static str, why: &'static str) -> Case {
    Case { cmd, args: json!({}), want: NoInput(why) }
}

/// A threshold rule on RTT with these levels, valid but for what the levels say.
fn rule(levels: Value) -> Value {
    json!({"name": "rtt", "enabled": true, "metric": "rtt_ms", "instance": null, "comparison": "above",
        "levels": levels, "raiseAfter": {"samples": 1}, "clearAfter": {"samples": 1}, "noDataIntervals": null,
        "scope": scope_all(), "overrides": []})
}

fn scope_all() -> Value {
    json!({"all": true, "devices": [], "tags": [], "sites": [], "kinds": [], "templates": []})
}

/// A daily top-N report schedule named `name` writing PDFs to `folder`.
fn schedule(name: &str, folder: &str) -> Value {
    json!({"name": name, "cadence": "daily", "kind": "top", "formats": ["pdf"], "folder": folder})
}

/// A device id that exists nowhere.
const NO_ID: &str = "0192e4a0-0000-7000-8000-00000000dead";

fn cases() -> Vec<Case> {
    vec![
        // Startup and listings.
        none("startup_error", "reads the service's open result"),
        none("monitor_error", "reads why the monitor did not start"),
        none("list_devices", "a listing"),
        none("list_sites", "a listing"),
        none("device_live", "a listing of live state"),
        case("list_alarms", json!({"activeOnly": true, "limit": -1}), Field("limit")),
        case("list_alarms", json!({"activeOnly": "yes", "limit": 10}), Arg("activeOnly")),
        case("ack_alarm", json!({"id": "not-an-id", "comment": null}), Kind("not_found")),
        case("ack_alarm", json!({"id": NO_ID, "comment": 7}), Arg("comment")),
        case("clear_alarm", json!({"id": "x"}), Kind("not_found")),
        case("event_log", json!({"limit": 0}), Field("limit")),
        case("add_device", json!({"input": {"name": "bad", "address": "999.1.1.1"}}), Field("address")),
        case("add_device", json!({"input": {"name": "", "address": "127.0.0.9"}}), Field("name")),
        case("add_device", json!({"input": {"name": "dup", "address": "127.0.0.9", "site": "Nowhere"}}), Field("site")),
        case(
            "add_device",
            json!({"input": {"name": "c", "address": "127.0.0.9", "credential": "nope"}}),
            Field("credential"),
        ),
        case(
            "add_device",
            json!({"input": {"name": "geo", "address": "127.0.0.9", "lat": 91.0, "lon": 0.0}}),
            Field("lat"),
        ),
        case("remove_device", json!({"key": "no-such-device"}), Kind("not_found")),
        case(
            "ui_rendered",
            json!({"summary": "<script>"}),
            NoInput("any text: it is filtered to [A-Za-z0-9= _-] and logged"),
        ),
        // Alarms.
        case("show_alarm", json!({"id": "1; DROP TABLE alarms"}), Kind("not_found")),
        case("alarm_timeline", json!({"id": "1; DROP TABLE alarms"}), Kind("not_found")),
        case("alarm_timeline", json!({"id": null}), Arg("id")),
        case("comment_alarm", json!({"id": NO_ID, "text": null}), Arg("text")),
        case("comment_alarm", json!({"id": NO_ID, "text": "why"}), Kind("not_found")),
        // Rules and maintenance.
        none("list_rules", "a listing"),
        case("put_rule", json!({"rule": {"name": ""}}), Arg("rule")),
        case(
            "put_rule",
            json!({"rule": rule(json!([{"severity": "major", "raise": 90.0, "clear": 95.0}]))}),
            Field("levels[0].clear"),
        ),
        case("remove_rule", json!({"key": "no-such-rule"}), Kind("not_found")),
        case("import_rules", json!({"text": "not = [toml", "dryRun": false}), Field("file")),
        none("export_rules", "writes every rule as text"),
        case("preview_rule", json!({"rule": 5}), Arg("rule")),
        none("list_items", "a listing"),
        case("add_item", json!({"input": 5}), Arg("input")),
        case(
            "add_item",
            json!({"input": {"template": "ups", "name": "inlet_temp", "oid": "1.3.x", "intervalSecs": 30}}),
            Field("oid"),
        ),
        case(
            "add_item",
            json!({"input": {"device": "no-such-device", "name": "inlet_temp", "oid": "1.3.6.1.4.1.1.0", "intervalSecs": 30}}),
            Field("device"),
        ),
        case(
            "add_item",
            json!({"input": {"template": "ups", "name": "cpu_pct", "oid": "1.3.6.1", "intervalSecs": 0}}),
            Field("intervalSecs"),
        ),
        case("remove_item", json!({"key": "no-such-item"}), Kind("not_found")),
        case("device_items", json!({"key": "no-such-device"}), Kind("not_found")),
        none("list_maintenance", "a listing"),
        case("put_maintenance", json!({"window": {}}), Arg("window")),
        case(
            "put_maintenance",
            json!({"window": {"name": "w", "comment": "", "enabled": true, "scope": scope_all(),
                "schedule": {"kind": "cron", "expr": "61 * * * *", "minutes": 30}}}),
            Field("schedule.expr"),
        ),
        case("remove_maintenance", json!({"key": "no-such-window"}), Kind("not_found")),
        // Inventory.
        case("update_device", json!({"key": "seed", "patch": {"address": "1.2.3"}}), Field("address")),
        case("update_device", json!({"key": "no-such", "patch": {"name": "x"}}), Kind("not_found")),
        case("add_site", json!({"input": {"name": "", "lat": null, "lon": null}}), Field("name")),
        case("add_site", json!({"input": {"name": "Far", "lat": 10.0, "lon": 200.0}}), Field("lon")),
        case("update_site", json!({"key": "HQ", "input": {"name": "HQ", "lat": -95.0, "lon": 0.0}}), Field("lat")),
        case("remove_site", json!({"key": "no-such-site"}), Kind("not_found")),
        case("import_devices", json!({"csv": "wrong,header\n", "dryRun": false}), Field("header")),
        case("export_data", json!({"request": {"what": "nothing"}}), Arg("request")),
        none("list_credentials", "a listing"),
        case("add_community_credential", json!({"name": "c2", "version": "v2c", "community": ""}), Field("community")),
        case("add_community_credential", json!({"name": "c3", "version": "v9", "community": "x"}), Arg("version")),
        case("add_usm_credential", json!({"input": {"name": "u", "user": "", "authProto": "sha"}}), Field("user")),
        case("remove_credential", json!({"key": "no-such-credential"}), Kind("not_found")),
        case("update_credential", json!({"key": "no-such-credential", "patch": {}}), Kind("not_found")),
        case("update_credential", json!({"key": "lab", "patch": {"version": "v9"}}), Arg("patch")),
        case("update_credential", json!({"key": "lab", "patch": {"name": " ", "version": "v3"}}), Field("version")),
        case(
            "rotate_credential",
            json!({"key": "no-such-credential", "secret": {"community": "x"}}),
            Kind("not_found"),
        ),
        case("rotate_credential", json!({"key": "lab", "secret": {"community": 7}}), Arg("secret")),
        case("rotate_credential", json!({"key": "lab", "secret": {"community": ""}}), Field("community")),
        case("test_credential", json!({"key": "no-such-credential", "device": "d"}), Kind("not_found")),
        case("test_credential", json!({"key": "lab"}), Arg("device")),
        case("test_credential", json!({"key": "lab", "device": "no-such-device"}), Kind("not_found")),
        none("credential_backend", "reads which vault holds secrets"),
        none("desktop_delivery", "reads the desktop channel's last delivery"),
        none("vault_status", "reads whether the vault is locked and how it is keyed"),
        case("unlock_vault", json!({"passphrase": ""}), Field("passphrase")),
        case("unlock_vault", json!({"passphrase": 42}), Arg("passphrase")),
        // Discovery.
        case(
            "start_discovery",
            json!({"request": {"targets": ["10.0.0.0/33"]}, "communities": ["public"]}),
            Field("targets"),
        ),
        case(
            "start_discovery",
            json!({"request": {"targets": ["127.0.0.1"], "mode": "icmpOnly", "site": "Nowhere"}, "communities": []}),
            Field("site"),
        ),
        case("cancel_discovery", json!({"id": "nope"}), Kind("not_found")),
        case("discovery_runs", json!({"limit": -5}), Field("limit")),
        case("discovery_results", json!({"run": "nope"}), Kind("not_found")),
        case(
            "add_discovered",
            json!({"run": NO_ID, "addresses": ["127.0.0.1"], "credential": null, "communities": []}),
            Kind("not_found"),
        ),
        // Map.
        none("list_links", "a listing"),
        case("floor_plan", json!({"site": "no-such-site"}), Kind("not_found")),
        case("set_floor_plan", json!({"site": "HQ", "data": "not base64!"}), Field("image")),
        case("remove_floor_plan", json!({"site": "no-such-site"}), Kind("not_found")),
        // HQ has no floor plan to place on.
        case("place_device", json!({"device": "seed", "site": "HQ", "x": 0.5, "y": 0.5}), Field("site")),
        case("place_device", json!({"device": "seed", "site": "HQ", "x": "left", "y": 0.5}), Arg("x")),
        case("unplace_device", json!({"device": "no-such"}), Kind("not_found")),
        case("plan_positions", json!({"site": "no-such-site"}), Kind("not_found")),
        none("map_tiles", "reads the tile server setting"),
        case("set_map_tiles", json!({"settings": {"url": "http://tiles.example.net/{z}/{x}/{y}.png"}}), Field("url")),
        case("set_map_tiles", json!({"settings": {"url": "", "attribution": "<b>x</b>"}}), Field("attribution")),
        case("set_map_tiles", json!({"settings": {"url": "", "maxZoom": 20}}), Arg("settings")),
        // Notifications.
        case("mute_notifications", json!({"hours": 0}), Field("hours")),
        none("unmute_notifications", "ends a mute"),
        case("set_notification_delay", json!({"delaySecs": -1}), Field("delaySecs")),
        none("notification_settings", "reads the mute and delay"),
        none("active_alarm_counts", "counts active alarms"),
        none("list_channels", "a listing"),
        case("put_channel", json!({"input": {"name": ""}}), Arg("input")),
        case(
            "put_channel",
            json!({"input": {"channel": {"name": "", "enabled": true, "kind": {"type": "desktop"},
                "rateLimit": {"perMinute": 10, "burst": 5}}, "password": null, "secret": null}}),
            Field("name"),
        ),
        case("remove_channel", json!({"key": "no-such-channel"}), Kind("not_found")),
        none("list_routes", "a listing"),
        case("put_route", json!({"route": {}}), Arg("route")),
        case(
            "put_route",
            json!({"route": {"name": "r", "enabled": true, "channel": "no-such-channel", "minSeverity": "major",
                "sites": [], "tags": [], "problems": [], "digestMinutes": null, "escalate": null}}),
            Field("channel"),
        ),
        case("remove_route", json!({"key": "no-such-route"}), Kind("not_found")),
        case("send_test", json!({"channel": "no-such-channel"}), Kind("not_found")),
        case("delivery_log", json!({"filter": {"limit": -1}}), Arg("filter")),
        // Device page.
        case("show_device", json!({"key": "no-such"}), Kind("not_found")),
        case(
            "device_history",
            json!({"key": "seed", "from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z", "maxPoints": 100, "ifIndex": null}),
            Field("to"),
        ),
        case(
            "device_history",
            json!({"key": "seed", "from": "yesterday", "to": "2026-01-01T00:00:00Z", "maxPoints": 1}),
            Arg("from"),
        ),
        case("device_interfaces", json!({"key": "no-such"}), Kind("not_found")),
        case("device_counts", json!({"key": "no-such"}), Kind("not_found")),
        case(
            "set_device_counts",
            json!({"key": "seed", "counts": {"downAfter": 0, "upAfter": null, "snmpFailAfter": null}}),
            Field("downAfter"),
        ),
        case("set_device_counts", json!({"key": "seed", "counts": {"unreachable": 1}}), Arg("counts")),
        case("ntp_watch", json!({"key": "no-such"}), Kind("not_found")),
        case("set_ntp_watch", json!({"key": "seed", "watch": {"port": 0}}), Field("port")),
        case("ptp_watch", json!({"key": "no-such"}), Kind("not_found")),
        case(
            "set_ptp_watch",
            json!({"key": "seed", "watch": {"endpoint": {"kind": "uds", "path": ""}}}),
            Field("path"),
        ),
        none("ptp_tree", "reads the PTP hierarchy of watched clocks"),
        case("poll_device_now", json!({"key": "no-such"}), Kind("not_found")),
        case("ping_device", json!({"key": "no-such"}), Kind("not_found")),
        case("walk_device", json!({"key": "seed", "root": "1.3.x"}), Field("root")),
        case("walk_device", json!({"key": "seed", "root": "NO-SUCH-MIB::nothing"}), Field("root")),
        // The MIB browser.
        case("mib_translate", json!({"query": "noSuchMibName"}), Field("query")),
        case("mib_search", json!({"text": "  ", "limit": 10}), Field("text")),
        case("mib_search", json!({"text": "if", "limit": -1}), Arg("limit")),
        case("mib_show", json!({"query": "1.3.x"}), Field("query")),
        case("mib_children", json!({"oid": "IF-MIB::noSuchThing"}), Field("oid")),
        none("mib_list", "reads the loaded modules and their errors"),
        case("device_identity", json!({"key": "no-such"}), Kind("not_found")),
        // History and export.
        none("store_status", "reads the store's size"),
        none("retention", "reads the retention settings"),
        case(
            "set_retention",
            json!({"keep": {"rawDays": 0, "fiveMinDays": 90, "hourDays": 730, "dayDays": null}}),
            Field("rawDays"),
        ),
        case("start_metrics", json!({"addr": "not an address"}), Field("metricsAddr")),
        none("stop_metrics", "stops the metrics endpoint"),
        // The System tab.
        none("system_status", "reads Meridian's own figures"),
        none("self_watch_settings", "reads the self-alarm thresholds"),
        case("set_self_watch_settings", json!({"settings": {"storeWarnPct": 0}}), Field("storeWarnPct")),
        case("set_self_watch_settings", json!({"settings": {"storeCapPct": 3}}), Arg("settings")),
        // Reports.
        case(
            "report",
            json!({"request": {"kind": "availability", "from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z",
                "site": null, "tag": null, "device": null, "topN": null}}),
            Field("to"),
        ),
        case(
            "report",
            json!({"request": {"kind": "availability", "from": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z",
                "site": "no-such-site", "tag": null, "device": null, "topN": null}}),
            Field("site"),
        ),
        case("report_file", json!({"request": {"kind": "uptime"}, "format": "pdf"}), Arg("request")),
        case(
            "report_file",
            json!({"request": {"kind": "top", "from": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z",
                "site": null, "tag": null, "device": null, "topN": null}, "format": "docx"}),
            Arg("format"),
        ),
        none("list_report_schedules", "a listing"),
        case(
            "add_report_schedule",
            json!({"input": {"name": "daily", "cadence": "daily", "kind": "uptime", "formats": ["pdf"], "folder": "/tmp"}}),
            Arg("input"),
        ),
        case(
            "add_report_schedule",
            json!({"input": {"name": "daily", "cadence": "hourly", "kind": "top", "formats": ["pdf"], "folder": "/tmp"}}),
            Arg("input"),
        ),
        case(
            "add_report_schedule",
            json!({"input": {"name": "daily", "cadence": "daily", "kind": "top", "formats": ["pdf"],
                "folder": "relative/dir"}}),
            Field("folder"),
        ),
        case(
            "add_report_schedule",
            json!({"input": {"name": "daily", "cadence": "daily", "kind": "top", "formats": ["pdf"], "folder": "/tmp",
                "channel": "no-such-channel", "recipients": ["not an address"]}}),
            Field("recipients"),
        ),
        case(
            "update_report_schedule",
            json!({"name": "no-such-schedule", "input": schedule("x", "/tmp")}),
            Kind("not_found"),
        ),
        case(
            "update_report_schedule",
            json!({"name": "seeded", "input": schedule("seeded", "relative/dir")}),
            Field("folder"),
        ),
        case("update_report_schedule", json!({"name": "seeded", "input": schedule("bad name", "/tmp")}), Field("name")),
        case(
            "update_report_schedule",
            json!({"name": "seeded", "input": {"name": "seeded", "cadence": "hourly", "kind": "top", "formats": ["pdf"],
                "folder": "/tmp"}}),
            Arg("input"),
        ),
        case("remove_report_schedule", json!({"name": "no-such-schedule"}), Kind("not_found")),
        case("run_report_schedule", json!({"name": "no-such-schedule"}), Kind("not_found")),
        case("report_schedule_runs", json!({"name": "no-such-schedule", "limit": 10}), Kind("not_found")),
        case("report_schedule_runs", json!({"name": null, "limit": -1}), Arg("limit")),
        // Timing.
        none("timing_roles", "a listing"),
        case("set_timing_role", json!({"key": "seed", "role": "sundial"}), Arg("role")),
        case("set_timing_role", json!({"key": "no-such", "role": null}), Kind("not_found")),
        none("ntp_servers", "a listing"),
        none("synce_sources", "a listing"),
        case("wander_settings", json!({"key": "no-such"}), Kind("not_found")),
        case(
            "set_wander_settings",
            json!({"key": "seed", "settings": {"masks": ["no-such-mask"], "windowSecs": 3600}}),
            Field("masks"),
        ),
        case("set_wander_settings", json!({"key": "seed", "settings": {"masks": [], "windowSecs": 1}}), Field("masks")),
        case(
            "set_wander_settings",
            json!({"key": "seed", "settings": {"masks": ["g8261-eec1-network"], "windowSecs": 0}}),
            Field("windowSecs"),
        ),
        case("set_wander_settings", json!({"key": "seed", "settings": {"masks": "all"}}), Arg("settings")),
        none("wander_masks", "lists the ITU-T masks"),
        case(
            "wander",
            json!({"key": "seed", "from": "2026-01-01T00:00:00Z", "to": "2026-01-01T01:00:00Z", "masks": ["no-such-mask"]}),
            Field("mask"),
        ),
        case(
            "wander",
            json!({"key": "seed", "from": "2026-01-01T01:00:00Z", "to": "2026-01-01T00:00:00Z", "masks": []}),
            Field("to"),
        ),
        // Received events.
        case("list_trap_events", json!({"limit": -1}), Field("limit")),
        case("search_syslog", json!({"query": {"severity": "loud"}}), Arg("query")),
        none("trap_settings", "reads the trap receiver settings"),
        case(
            "set_trap_settings",
            json!({"settings": {"port": 0, "credentials": [], "retentionDays": null, "maxRows": null}}),
            Field("port"),
        ),
        case(
            "set_trap_settings",
            json!({"settings": {"port": null, "credentials": [{"credential": "no-such", "engineId": null}], "retentionDays": null, "maxRows": null}}),
            Field("credentials[0].credential"),
        ),
        none("list_event_rules", "a listing"),
        case("put_event_rule", json!({"rule": {"name": ""}}), Arg("rule")),
        case(
            "put_event_rule",
            json!({"rule": {"name": "bgp", "enabled": true, "severity": "major", "scope": scope_all(),
                "raise": {"kind": "syslog", "severity": null, "app": null, "pattern": "neighbor (unclosed"},
                "clear": null, "keyVarbind": null}}),
            Field("raise.pattern"),
        ),
        case("remove_event_rule", json!({"key": "no-such-rule"}), Kind("not_found")),
        none("list_forward_targets", "a listing"),
        case("put_forward_target", json!({"target": {"name": ""}, "community": null}), Arg("target")),
        case(
            "put_forward_target",
            json!({"target": {"name": "noc", "enabled": true, "minSeverity": "major",
                "kind": {"type": "syslog", "address": "noc.example", "port": 514, "transport": "tcp"}}, "community": null}),
            Field("kind.address"),
        ),
        case("remove_forward_target", json!({"key": "no-such-target"}), Kind("not_found")),
    ]
}

/// The listings compared before and after: what the UI reads of the store.
const LISTINGS: [&str; 17] = [
    "list_devices",
    "list_sites",
    "list_credentials",
    "list_rules",
    "list_items",
    "list_maintenance",
    "list_channels",
    "list_routes",
    "list_event_rules",
    "list_forward_targets",
    "trap_settings",
    "retention",
    "map_tiles",
    "notification_settings",
    "list_links",
    "export_rules",
    "list_report_schedules",
];

/// The command names in lib.rs's `generate_handler![...]`.
fn registered() -> Vec<String> {
    let src = include_str!("lib.rs");
    let start = src.find("generate_handler![").expect("generate_handler! in lib.rs") + "generate_handler![".len();
    let end = start + src[start..].find(']').expect("end of the list");
    src[start..end]
        .split(',')
        .map(|s| s.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<String>())
        .filter_map(|s| s.trim().rsplit("::").next().map(str::to_owned))
        .filter(|s| !s.is_empty())
        .collect()
}

fn invoke(webview: &tauri::WebviewWindow<tauri::test::MockRuntime>, cmd: &str, args: &Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(args.clone()),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(webview, request).map(|b| b.deserialize::<Value>().unwrap_or(Value::Null))
}

/// Whether `answer` is what `want` asks for; the reason when not.
fn check(want: &Want, answer: &Result<Value, Value>) -> Result<(), String> {
    let err = match (want, answer) {
        (NoInput(why), _) => return if why.is_empty() { Err("say why it takes no input".into()) } else { Ok(()) },
        (_, Ok(v)) => return Err(format!("accepted: {v}")),
        (_, Err(e)) => e,
    };
    let kind = err.get("kind").and_then(Value::as_str);
    let fields: Vec<&str> =
        err.get("fields").and_then(Value::as_array).into_iter().flatten().filter_map(|f| f["field"].as_str()).collect();
    let ok = match want {
        Field(f) => kind == Some("validation") && fields.contains(f),
        Kind(k) => kind == Some(*k),
        // Tauri's own message: "invalid args `name` for command `cmd`: ...".
        Arg(a) => err.as_str().is_some_and(|s| s.contains(&format!("`{a}`"))),
        NoInput(_) => true,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("answered {err}"))
    }
}

fn seeded_app(dir: &std::path::Path) -> Arc<App> {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    tauri::async_runtime::block_on(async {
        let app = App::open(cfg).await.expect("open the service");
        app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("credential");
        app.add_site(meridian_service::SiteInput { name: "HQ".into(), lat: Some(51.5), lon: Some(-0.1) })
            .await
            .expect("site");
        let seed = DeviceInput {
            name: "seed".into(),
            address: "127.0.0.1".into(),
            site: Some("HQ".into()),
            credential: Some("lab".into()),
            ..Default::default()
        };
        app.add_device(seed).await.expect("device");
        // A schedule the edits below must leave as it is.
        let folder = dir.display().to_string();
        let input: meridian_service::ScheduleInput =
            serde_json::from_value(schedule("seeded", &folder)).expect("a schedule input");
        app.add_report_schedule(input).await.expect("schedule");
        Arc::new(app)
    })
}

#[test]
fn every_command_refuses_bad_input_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = seeded_app(dir.path());
    let (service, phase) = Service::new();
    phase.send(Phase::Ready { app: Arc::clone(&app), monitor: None }).expect("ready");
    let shell =
        mock_builder().invoke_handler(super::invoke_handler()).build(mock_context(noop_assets())).expect("mock");
    shell.manage(service);
    let webview = WebviewWindowBuilder::new(&shell, "main", Default::default()).build().expect("webview");

    let table = cases();
    let names = registered();
    let missing: Vec<&String> = names.iter().filter(|n| !table.iter().any(|c| c.cmd == n.as_str())).collect();
    let stale: Vec<&str> = table.iter().map(|c| c.cmd).filter(|c| !names.iter().any(|n| n == c)).collect();
    assert!(missing.is_empty(), "commands without a bad-input entry: {missing:?}");
    assert!(stale.is_empty(), "entries for commands that no longer exist: {stale:?}");

    let snapshot = |w: &tauri::WebviewWindow<tauri::test::MockRuntime>| -> Vec<(String, Value)> {
        LISTINGS.iter().map(|l| (l.to_string(), invoke(w, l, &json!({})).expect(l))).collect()
    };
    let before = snapshot(&webview);
    let observe = std::env::var_os("OBSERVE").is_some();
    let mut failures = Vec::new();
    for c in &table {
        let answer = invoke(&webview, c.cmd, &c.args);
        if observe {
            eprintln!("{} {} -> {:?}", c.cmd, c.args, answer);
        }
        if let Err(why) = check(&c.want, &answer) {
            failures.push(format!("{} {}: {why}", c.cmd, c.args));
        }
    }
    assert!(failures.is_empty(), "{} of {} entries failed:\n{}", failures.len(), table.len(), failures.join("\n"));
    let after = snapshot(&webview);
    for ((name, b), (_, a)) in before.iter().zip(&after) {
        assert_eq!(a, b, "{name} changed after the bad calls");
    }
    tauri::async_runtime::block_on(app.shutdown());
}
