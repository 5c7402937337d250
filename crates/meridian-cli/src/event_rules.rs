//! `meridian events rule`: the rules that turn traps and syslog into alarms.

use std::path::PathBuf;

use clap::Subcommand;
use meridian_service::{ApiError, App, EventMatch, EventRuleView};

use crate::output::{print_json, table, Out};

#[derive(Debug, Subcommand)]
pub enum EventRuleCmd {
    /// Every event rule: name, severity, what raises and what clears.
    List,
    /// Add or replace one rule from a TOML file (`-` reads stdin), e.g.
    /// name = "BGP down", severity = "major", [scope] all = true,
    /// [raise] kind = "syslog", app = "bgpd", pattern = 'neighbor (?P<key>\S+) Down',
    /// [clear] kind = "syslog", pattern = 'neighbor (?P<key>\S+) Up'.
    Add { file: PathBuf },
    /// Remove a rule by name or id (its active alarms stay until cleared).
    Remove { rule: String },
}

pub async fn event_rules(app: &App, c: EventRuleCmd, out: Out) -> Result<(), ApiError> {
    match c {
        EventRuleCmd::List => {
            let rules = app.list_event_rules().await?;
            if out.json {
                return print_json(&rules);
            }
            table(&["NAME", "ON", "SEVERITY", "RAISE", "CLEAR", "ID"], rules.iter().map(row).collect());
            Ok(())
        }
        EventRuleCmd::Add { file } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())
            } else {
                std::fs::read_to_string(&file)
            }
            .map_err(|e| ApiError::field("file", format!("cannot read {}: {e}", file.display())))?;
            let v = app.put_event_rule_toml(&text).await?;
            out.one(&v, || format!("saved event rule {} ({})", v.rule.name, v.id))
        }
        EventRuleCmd::Remove { rule } => {
            app.remove_event_rule(&rule).await?;
            out.one(&serde_json::json!({ "removed": rule }), || format!("removed event rule {rule}"))
        }
    }
}

fn row(v: &EventRuleView) -> Vec<String> {
    let r = &v.rule;
    vec![
        r.name.clone(),
        if r.enabled { "on".into() } else { "off".into() },
        format!("{:?}", r.severity).to_lowercase(),
        describe(&r.raise),
        r.clear.as_ref().map_or_else(|| "by hand".into(), describe),
        v.id.clone(),
    ]
}

fn describe(m: &EventMatch) -> String {
    match m {
        EventMatch::Trap { oid, varbinds } => {
            let mut s = format!("trap {oid}");
            for v in varbinds {
                s.push_str(&format!(" {}={}", v.name, v.value));
            }
            s
        }
        EventMatch::Syslog { severity, app, pattern } => {
            let mut s = String::from("syslog");
            if let Some(sev) = severity {
                s.push_str(&format!(" {}+", sev.name()));
            }
            if let Some(a) = app {
                s.push_str(&format!(" app={a}"));
            }
            if let Some(p) = pattern {
                s.push_str(&format!(" /{p}/"));
            }
            s
        }
    }
}
