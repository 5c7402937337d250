//! `meridian rules`: list, import and export alarm rules as TOML, remove one.

use std::path::PathBuf;

use clap::Subcommand;
use meridian_service::{ApiError, App};

use crate::output::{print_json, table, Out};

#[derive(Debug, Subcommand)]
pub enum RulesCmd {
    /// Every rule: name, metric, levels, scope.
    List,
    /// Add or replace rules from a TOML file of `[[rule]]` tables (`-` reads stdin).
    /// The whole file is checked first; one bad rule writes nothing.
    Import {
        file: PathBuf,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Every rule as a TOML file that `import` reads back.
    Export,
    /// Remove a rule by name or id; its alarms clear.
    Remove { rule: String },
}

pub async fn rules(app: &App, c: RulesCmd, out: Out) -> Result<(), ApiError> {
    match c {
        RulesCmd::List => {
            let rules = app.list_rules().await?;
            if out.json {
                return print_json(&rules);
            }
            let rows = rules
                .iter()
                .map(|v| {
                    let r = &v.rule;
                    let levels: Vec<String> = r
                        .levels
                        .iter()
                        .map(|l| format!("{:?} {}/{}", l.severity, l.raise, l.clear_value()).to_lowercase())
                        .collect();
                    vec![
                        r.name.clone(),
                        if r.enabled { "on".into() } else { "off".into() },
                        r.metric.to_string(),
                        format!("{:?}", r.comparison).to_lowercase(),
                        levels.join(", "),
                        v.id.clone(),
                    ]
                })
                .collect();
            table(&["NAME", "ON", "METRIC", "WHEN", "LEVELS (RAISE/CLEAR)", "ID"], rows);
            Ok(())
        }
        RulesCmd::Import { file, dry_run } => {
            let text = read(&file)?;
            let names = app.import_rules(&text, dry_run).await?;
            let verb = if dry_run { "would import" } else { "imported" };
            out.one(&names, || format!("{verb} {} rule(s): {}", names.len(), names.join(", ")))
        }
        RulesCmd::Export => {
            print!("{}", app.export_rules().await?);
            Ok(())
        }
        RulesCmd::Remove { rule } => {
            app.remove_rule(&rule).await?;
            out.one(&serde_json::json!({ "removed": rule }), || format!("removed rule {rule}"))
        }
    }
}

fn read(file: &PathBuf) -> Result<String, ApiError> {
    let text =
        if file.as_os_str() == "-" { std::io::read_to_string(std::io::stdin()) } else { std::fs::read_to_string(file) };
    text.map_err(|e| ApiError::field("file", format!("cannot read {}: {e}", file.display())))
}
