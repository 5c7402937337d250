//! `meridian mib ...`: names and OIDs from the shipped MIB modules and the
//! user's `--mib-dir`. Runs before the App opens (no data directory), like
//! the diagnostics; the lookups live in `meridian_service::mib::Mibs`.

use clap::Subcommand;
use meridian_service::mib::{MibObject, MibReport, Mibs};
use meridian_service::ApiError;

use crate::output::{print_json, table};

#[derive(Debug, Subcommand)]
pub enum MibCmd {
    /// A name to its OID or an OID to its name (`IF-MIB::ifDescr.1`, `ifDescr`, `.1.3.6.1.2.1.2.2.1.2.1`).
    Translate {
        #[arg(value_name = "NAME|OID")]
        query: String,
    },
    /// Objects whose name or description contains TEXT (case-insensitive).
    Search {
        text: String,
        /// Most results printed.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// An object's description, syntax, enumerations, access and indexes.
    Show {
        #[arg(value_name = "NAME|OID")]
        query: String,
    },
    /// Loaded modules and the errors of the files that did not load.
    List,
}

pub fn run(cmd: MibCmd, mibs: &Mibs, json: bool) -> Result<(), ApiError> {
    match cmd {
        MibCmd::Translate { query } => {
            let t = mibs.translate(&query)?;
            if json {
                return print_json(&t);
            }
            // A name in, the OID out; an OID in, the name out (as snmptranslate).
            let numeric_in = query.trim().trim_start_matches('.').starts_with(|c: char| c.is_ascii_digit());
            match (numeric_in, &t.name) {
                (true, Some(name)) => println!("{name}"),
                _ => println!(".{}", t.oid),
            }
            Ok(())
        }
        MibCmd::Search { text, limit } => {
            let found = mibs.search(&text, limit)?;
            if json {
                return print_json(&found);
            }
            let rows = found
                .iter()
                .map(|n| {
                    vec![
                        format!("{}::{}", n.module.as_deref().unwrap_or("?"), n.name),
                        format!(".{}", n.oid),
                        n.kind.clone(),
                    ]
                })
                .collect();
            table(&["NAME", "OID", "KIND"], rows);
            Ok(())
        }
        MibCmd::Show { query } => {
            let o = mibs.show(&query)?;
            if json {
                return print_json(&o);
            }
            print!("{}", show_text(&o));
            Ok(())
        }
        MibCmd::List => {
            let r = mibs.list();
            if json {
                return print_json(&r);
            }
            print!("{}", list_text(&r));
            Ok(())
        }
    }
}

fn show_text(o: &MibObject) -> String {
    let mut s = format!("{}::{}\n  oid: .{}\n  kind: {}\n", o.module.as_deref().unwrap_or("?"), o.name, o.oid, o.kind);
    let mut field = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            s.push_str(&format!("  {k}: {v}\n"));
        }
    };
    field("syntax", &o.syntax);
    field("base type", &o.base_type);
    field("display hint", &o.display_hint);
    field("access", &o.access);
    field("status", &o.status);
    field("units", &o.units);
    if !o.enums.is_empty() {
        let e: Vec<String> = o.enums.iter().map(|e| format!("{}({})", e.label, e.value)).collect();
        s.push_str(&format!("  values: {}\n", e.join(", ")));
    }
    if !o.indexes.is_empty() {
        s.push_str(&format!("  index: {}\n", o.indexes.join(", ")));
    }
    if !o.objects.is_empty() {
        s.push_str(&format!("  objects: {}\n", o.objects.join(", ")));
    }
    if !o.description.is_empty() {
        s.push_str("  description:\n");
        for line in o.description.lines() {
            s.push_str(&format!("    {}\n", line.trim()));
        }
    }
    s
}

fn list_text(r: &MibReport) -> String {
    let mut s = String::new();
    for m in &r.modules {
        s.push_str(&format!("{}\t{}\n", m.name, m.source));
    }
    for e in &r.errors {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!(":{l}:{c}"),
            (Some(l), None) => format!(":{l}"),
            _ => String::new(),
        };
        s.push_str(&format!("error: {}{at}: {}\n", e.file, e.message));
    }
    s
}
