//! Bad input everywhere (issue 14 item 5), for the CLI: every command the
//! binary's own help lists must have an entry here, so a new command
//! without one fails this test. Each entry gives the command invalid input;
//! it must fail (exit 1 with one line, or clap's usage error with exit 2)
//! and leave the store as it was: the JSON of every listing is compared
//! before and after. Commands that take no input say why instead.
//!
//! No entry sends traffic: each is refused before anything goes out.

use std::collections::BTreeSet;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

enum Case {
    /// Arguments after the command path, and a word the error must name.
    Bad(&'static [&'static str], &'static str),
    /// Nothing the user gives can be wrong.
    NoInput(&'static str),
}
use Case::{Bad, NoInput};

const TABLE: &[(&str, Case)] = &[
    ("device add", Bad(&["device", "add", "bad", "999.1.1.1"], "address")),
    ("device edit", Bad(&["device", "edit", "r1", "--lat", "91"], "lat")),
    ("device list", NoInput("lists the inventory")),
    ("device show", Bad(&["device", "show", "nosuch"], "nosuch")),
    ("device rm", Bad(&["device", "rm", "nosuch"], "nosuch")),
    ("device inventory", Bad(&["device", "inventory", "nosuch"], "nosuch")),
    ("device counts", Bad(&["device", "counts", "nosuch"], "nosuch")),
    ("device ntp", Bad(&["device", "ntp", "nosuch"], "nosuch")),
    ("device ptp", Bad(&["device", "ptp", "r1", "--uds", "relative"], "path")),
    ("device timing-role", Bad(&["device", "timing-role", "r1", "master"], "role")),
    ("device template", Bad(&["device", "template", "r1", "no-such-template"], "template")),
    ("site add", Bad(&["site", "add", "S", "--lat", "91"], "lat")),
    ("site edit", Bad(&["site", "edit", "nosuch", "--lat", "1", "--lon", "2"], "nosuch")),
    ("site list", NoInput("lists the sites")),
    ("site show", Bad(&["site", "show", "nosuch"], "nosuch")),
    ("site rm", Bad(&["site", "rm", "nosuch"], "nosuch")),
    ("credential add-v1", Bad(&["credential", "add-v1", "c1", "--community", ""], "community")),
    ("credential add-v2c", Bad(&["credential", "add-v2c", "c2", "--community", ""], "community")),
    (
        "credential add-v3",
        Bad(&["credential", "add-v3", "weak", "--user", "u", "--auth-proto", "SHA", "--auth-pass", "short"], "auth"),
    ),
    ("credential list", NoInput("lists the credentials")),
    ("credential rm", Bad(&["credential", "rm", "nosuch"], "nosuch")),
    ("credential edit", Bad(&["credential", "edit", "nosuch", "--name", "x"], "nosuch")),
    ("credential rotate", Bad(&["credential", "rotate", "nosuch", "--community", "x"], "nosuch")),
    ("credential test", Bad(&["credential", "test", "nosuch", "--device", "r1"], "nosuch")),
    ("credential backend", NoInput("shows the vault backend")),
    ("db info", NoInput("shows the store")),
    ("ping", Bad(&["ping", "999.1.1.1"], "999.1.1.1")),
    ("sweep", Bad(&["sweep", "127.0.0.0/33"], "127.0.0.0/33")),
    ("snmp get", Bad(&["snmp", "get", "127.0.0.1", "1.3.x"], "1.3.x")),
    ("snmp walk", Bad(&["snmp", "walk", "127.0.0.1", "1.3.x"], "1.3.x")),
    ("mib translate", Bad(&["mib", "translate", "IF-MIB::noSuchName"], "noSuchName")),
    ("mib search", Bad(&["mib", "search", " "], "text")),
    ("mib show", Bad(&["mib", "show", "1.3.x"], "1.3.x")),
    ("mib list", NoInput("lists the loaded modules and the files that did not load")),
    ("monitor", Bad(&["monitor", "--icmp-interval", "0"], "icmp-interval")),
    ("status", NoInput("shows the running monitor's status file")),
    ("alarms list", Bad(&["alarms", "list", "--limit", "lots"], "limit")),
    ("alarms show", Bad(&["alarms", "show", "nosuch"], "nosuch")),
    ("alarms ack", Bad(&["alarms", "ack", "nosuch"], "nosuch")),
    ("alarms clear", Bad(&["alarms", "clear", "nosuch"], "nosuch")),
    ("alarms comment", Bad(&["alarms", "comment", "nosuch", "hello"], "nosuch")),
    ("rules list", NoInput("lists the rules")),
    ("rules import", Bad(&["rules", "import", "/nonexistent/rules.toml"], "/nonexistent/rules.toml")),
    ("rules export", NoInput("prints the rules")),
    ("rules remove", Bad(&["rules", "remove", "nosuch"], "nosuch")),
    ("items list", NoInput("lists the items")),
    ("items add", Bad(&["items", "add", "inlet_temp", "1.3.x", "--device", "r1"], "oid")),
    ("items remove", Bad(&["items", "remove", "nosuch"], "nosuch")),
    ("maintenance list", NoInput("lists the windows")),
    (
        "maintenance add",
        Bad(&["maintenance", "add", "bad", "--weekly", "funday", "--at", "03:00", "--minutes", "5", "--all"], "funday"),
    ),
    ("maintenance remove", Bad(&["maintenance", "remove", "nosuch"], "nosuch")),
    ("notify channels", NoInput("lists the channels")),
    (
        "notify add-channel email",
        Bad(
            &[
                "notify",
                "add-channel",
                "mail",
                "email",
                "--host",
                "127.0.0.1",
                "--from",
                "not-an-address",
                "--to",
                "x@example.org",
            ],
            "from",
        ),
    ),
    (
        "notify add-channel webhook",
        Bad(&["notify", "add-channel", "hook", "webhook", "--url", "ftp://127.0.0.1/x"], "url"),
    ),
    ("notify remove-channel", Bad(&["notify", "remove-channel", "nosuch"], "nosuch")),
    ("notify routes", NoInput("lists the routes")),
    (
        "notify add-route",
        Bad(&["notify", "add-route", "r", "--channel", "nosuch", "--min-severity", "critical"], "nosuch"),
    ),
    ("notify remove-route", Bad(&["notify", "remove-route", "nosuch"], "nosuch")),
    ("notify test", Bad(&["notify", "test", "nosuch"], "nosuch")),
    ("notify delay", Bad(&["notify", "delay", "99999"], "delay")),
    ("notify log", Bad(&["notify", "log", "--alarm", "not-an-id"], "alarm")),
    ("discover", Bad(&["discover", "--icmp-only", "127.0.0.0/33"], "127.0.0.0/33")),
    ("discovery runs", NoInput("lists past runs")),
    ("discovery show", Bad(&["discovery", "show", "nosuch"], "nosuch")),
    ("discovery add", Bad(&["discovery", "add", "nosuch"], "nosuch")),
    ("topology", NoInput("prints the stored links")),
    ("timing mtie", Bad(&["timing", "mtie", "/nonexistent/phase.txt"], "/nonexistent/phase.txt")),
    ("timing tdev", Bad(&["timing", "tdev", "/nonexistent/phase.txt"], "/nonexistent/phase.txt")),
    ("timing adev", Bad(&["timing", "adev", "/nonexistent/phase.txt"], "/nonexistent/phase.txt")),
    ("timing mdev", Bad(&["timing", "mdev", "/nonexistent/phase.txt"], "/nonexistent/phase.txt")),
    ("timing masks", NoInput("lists the masks")),
    ("timing ptp", Bad(&["timing", "ptp", "--udp", "not-an-ip"], "address")),
    ("timing ntp", Bad(&["timing", "ntp", "127.0.0.1:notaport"], "notaport")),
    ("timing tree", NoInput("asks the watched clocks")),
    ("timing wander", Bad(&["timing", "wander", "r1", "--mask", "g999"], "mask")),
    ("traps listen", Bad(&["traps", "listen", "--port", "0"], "port")),
    ("traps config", Bad(&["traps", "config", "--accept", "nosuch"], "nosuch")),
    ("events list", Bad(&["events", "list", "--limit", "lots"], "limit")),
    ("events rule list", NoInput("lists the event rules")),
    ("events rule add", Bad(&["events", "rule", "add", "/nonexistent/rule.toml"], "/nonexistent/rule.toml")),
    ("events rule remove", Bad(&["events", "rule", "remove", "nosuch"], "nosuch")),
    ("history tiers", NoInput("shows the tiers")),
    ("history rollup", NoInput("builds the tiers")),
    ("history retention", Bad(&["history", "retention", "--raw-days", "100", "--five-min-days", "10"], "five")),
    ("export", Bad(&["export", "samples", "--from", "2026-12-03T10:00:00Z", "--to", "2026-12-03T09:00:00Z"], "to")),
    (
        "report availability",
        Bad(
            &[
                "report",
                "availability",
                "--from",
                "2026-12-03T10:00:00Z",
                "--to",
                "2026-12-03T09:00:00Z",
                "--pdf",
                "r.pdf",
            ],
            "to",
        ),
    ),
    ("report top", Bad(&["report", "top", "--from", "24h", "--top", "0"], "topN")),
    ("report alarms", Bad(&["report", "alarms", "--from", "24h", "--site", "Nowhere"], "site")),
    (
        "report schedule add",
        Bad(
            &["report", "schedule", "add", "daily", "availability", "--every", "daily", "--folder", "rel", "--pdf"],
            "folder",
        ),
    ),
    ("report schedule edit", Bad(&["report", "schedule", "edit", "nosuch", "--pdf"], "nosuch")),
    ("report schedule list", NoInput("lists the report schedules")),
    ("report schedule remove", Bad(&["report", "schedule", "remove", "nosuch"], "nosuch")),
    ("report schedule run", Bad(&["report", "schedule", "run", "nosuch"], "nosuch")),
    ("report schedule runs", Bad(&["report", "schedule", "runs", "nosuch"], "nosuch")),
    ("import devices", Bad(&["import", "devices", "/nonexistent/devices.csv"], "/nonexistent/devices.csv")),
    ("syslog listen", Bad(&["syslog", "listen", "--bind", "not-an-ip"], "not-an-ip")),
    ("syslog search", Bad(&["syslog", "search", "--since", "yesterday"], "since")),
    ("forward list", NoInput("lists the targets")),
    ("forward add-trap", Bad(&["forward", "add-trap", "t", "nms.example"], "address")),
    ("forward add-syslog", Bad(&["forward", "add-syslog", "s", "127.0.0.1", "--port", "0"], "port")),
    ("forward remove", Bad(&["forward", "remove", "nosuch"], "nosuch")),
];

fn meridian(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.arg("--data-dir")
        .arg(dir.path())
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env_remove("MERIDIAN_DATABASE_URL");
    c.env("MERIDIAN_METRICS_ADDR", "off");
    c
}

/// Bounded: a command that accepted its input and started serving would
/// otherwise run forever; it is killed and reported.
fn run(dir: &tempfile::TempDir, args: &[&str]) -> Output {
    meridian(dir).args(args).timeout(Duration::from_secs(30)).output().expect("run meridian")
}

/// Every leaf command of the binary's help, as "group sub".
fn leaves(dir: &tempfile::TempDir) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo = vec![Vec::<String>::new()];
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = String::from_utf8_lossy(&run(dir, &args).stdout).into_owned();
        let subs: Vec<String> = help
            .lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .filter_map(|l| l.strip_prefix("  ").and_then(|l| l.split_whitespace().next()))
            .filter(|s| *s != "help")
            .map(str::to_owned)
            .collect();
        if subs.is_empty() && !path.is_empty() {
            out.insert(path.join(" "));
        }
        for s in subs {
            let mut p = path.clone();
            p.push(s);
            todo.push(p);
        }
    }
    out
}

/// What the store holds, as the CLI lists it.
fn snapshot(dir: &tempfile::TempDir) -> String {
    let listings: &[&[&str]] = &[
        &["device", "list"],
        &["site", "list"],
        &["credential", "list"],
        &["rules", "list"],
        &["items", "list"],
        &["maintenance", "list"],
        &["notify", "channels"],
        &["notify", "routes"],
        &["notify", "delay"],
        &["events", "rule", "list"],
        &["forward", "list"],
        &["traps", "config"],
        &["history", "retention"],
        &["report", "schedule", "list"],
        &["alarms", "list", "--all"],
    ];
    let mut all = String::new();
    for l in listings {
        let mut args = vec!["--json"];
        args.extend_from_slice(l);
        let o = run(dir, &args);
        assert!(o.status.success(), "{l:?}: {}", String::from_utf8_lossy(&o.stderr));
        all.push_str(&String::from_utf8_lossy(&o.stdout));
    }
    all
}

#[test]
fn every_command_refuses_bad_input_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    for setup in [&["site", "add", "HQ"][..], &["device", "add", "r1", "127.0.0.1", "--site", "HQ"]] {
        assert!(run(&dir, setup).status.success(), "{setup:?}");
    }
    let listed = leaves(&dir);
    let covered: BTreeSet<String> = TABLE.iter().map(|(c, _)| (*c).to_owned()).collect();
    let missing: Vec<_> = listed.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&listed).collect();
    assert!(missing.is_empty(), "commands without a bad-input entry: {missing:?}");
    assert!(stale.is_empty(), "entries for commands that no longer exist: {stale:?}");

    for (command, case) in TABLE {
        if let NoInput(why) = case {
            assert!(!why.trim().is_empty(), "{command}: an entry without input says why");
        }
    }

    let before = snapshot(&dir);
    let mut failures = Vec::new();
    for (command, case) in TABLE {
        let Bad(args, names) = case else { continue };
        let o = run(&dir, args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        let ok = match o.status.code() {
            // The application refused it: one line, naming the field or value.
            Some(1) => lines.len() == 1 && err.to_lowercase().contains(&names.to_lowercase()),
            // clap refused it before the app ran: its usage error names the argument.
            Some(2) => lines.first().is_some_and(|l| l.starts_with("error:")) && err.contains(names),
            _ => false,
        };
        if !ok {
            failures.push(format!("{command} {args:?}: exit {:?}, stderr {err:?}", o.status.code()));
        }
    }
    assert!(failures.is_empty(), "{} commands did not refuse cleanly:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(snapshot(&dir), before, "a refused command changed the store");
}
