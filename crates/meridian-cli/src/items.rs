//! `meridian items`: custom items (any numeric OID polled as its own series)
//! on a device or a template: add, list, remove.

use clap::{Args, Subcommand, ValueEnum};
use meridian_service::{ApiError, App, ItemInput, ItemKind, ItemTarget};

use crate::output::{print_json, table, Out};

#[derive(Debug, Subcommand)]
pub enum ItemsCmd {
    /// Every item, or those a device polls with their newest values (`--device`).
    List {
        #[arg(long)]
        device: Option<String>,
    },
    /// Add an item, or replace the device's (or template's) item of that name.
    Add(AddArgs),
    /// Remove an item by id (from `items list`).
    Remove { item: String },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The series' name: a lower-case letter, then letters, digits or `_`.
    pub name: String,
    /// A numeric OID, the full instance (`.1.3.6.1.4.1.2021.11.11.0`).
    pub oid: String,
    /// The device (name or id) to poll it on.
    #[arg(long, conflicts_with = "template")]
    pub device: Option<String>,
    /// Or every device polled with this template.
    #[arg(long)]
    pub template: Option<String>,
    #[arg(long, default_value = "")]
    pub unit: String,
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    #[arg(long, value_enum, default_value = "gauge")]
    pub kind: Kind,
    /// Seconds between polls.
    #[arg(long, default_value_t = 60)]
    pub interval: u32,
    #[arg(long, default_value = "")]
    pub description: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Gauge,
    Counter32,
    Counter64,
}

impl From<Kind> for ItemKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Gauge => ItemKind::Gauge,
            Kind::Counter32 => ItemKind::Counter32,
            Kind::Counter64 => ItemKind::Counter64,
        }
    }
}

pub async fn items(app: &App, c: ItemsCmd, out: Out) -> Result<(), ApiError> {
    match c {
        ItemsCmd::List { device: Some(device) } => {
            let items = app.device_items(&device).await?;
            if out.json {
                return print_json(&items);
            }
            let rows = items
                .iter()
                .map(|v| {
                    let value = v.value.map_or_else(|| "-".into(), |x| format!("{x} {}", v.item.unit));
                    let from = if v.inherited { "template" } else { "device" };
                    vec![v.item.name.clone(), v.item.oid.clone(), value, from.into(), v.id.clone()]
                })
                .collect();
            table(&["NAME", "OID", "LATEST", "FROM", "ID"], rows);
            Ok(())
        }
        ItemsCmd::List { device: None } => {
            let items = app.list_items().await?;
            if out.json {
                return print_json(&items);
            }
            let rows = items
                .iter()
                .map(|v| {
                    let on = match &v.item.target {
                        ItemTarget::Device(id) => v.device_name.clone().unwrap_or_else(|| id.to_string()),
                        ItemTarget::Template(t) => format!("template {t}"),
                    };
                    vec![
                        v.item.name.clone(),
                        on,
                        v.item.oid.clone(),
                        format!("{:?}", v.item.kind).to_lowercase(),
                        format!("{} s", v.item.interval_secs),
                        v.id.clone(),
                    ]
                })
                .collect();
            table(&["NAME", "ON", "OID", "KIND", "EVERY", "ID"], rows);
            Ok(())
        }
        ItemsCmd::Add(a) => {
            let input = ItemInput {
                device: a.device,
                template: a.template,
                name: a.name,
                oid: a.oid,
                unit: a.unit,
                scale: Some(a.scale),
                kind: Some(a.kind.into()),
                interval_secs: a.interval,
                description: a.description,
            };
            let view = app.add_item(input).await?;
            out.one(&view, || format!("item {} added ({})", view.item.name, view.id))
        }
        ItemsCmd::Remove { item } => {
            app.remove_item(&item).await?;
            out.one(&serde_json::json!({ "removed": item }), || format!("removed item {item}"))
        }
    }
}
