//! Plain tables for people, JSON for scripts.

use serde::Serialize;

use meridian_service::{ApiError, ApiErrorKind, CredentialSummary, Device, Site};

#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
}

impl Out {
    /// A single result: JSON, or the line(s) `text` renders.
    pub fn one<T: Serialize>(self, value: &T, text: impl FnOnce() -> String) -> Result<(), ApiError> {
        if self.json {
            print_json(value)
        } else {
            println!("{}", text());
            Ok(())
        }
    }
}

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), ApiError> {
    let s = serde_json::to_string_pretty(value).map_err(|e| ApiError::new(ApiErrorKind::Internal, e.to_string()))?;
    println!("{s}");
    Ok(())
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "-".into())
}

pub fn print_devices(devices: &[Device]) {
    if devices.is_empty() {
        println!("no devices; add one with `meridian device add NAME ADDRESS`");
        return;
    }
    let rows = devices
        .iter()
        .map(|d| {
            vec![
                d.name.clone(),
                d.address.clone(),
                d.kind.as_str().to_owned(),
                opt(&d.site_name),
                if d.tags.is_empty() { "-".into() } else { d.tags.join(",") },
                opt(&d.credential_name),
                if d.enabled { "yes".into() } else { "no".into() },
            ]
        })
        .collect();
    table(&["NAME", "ADDRESS", "KIND", "SITE", "TAGS", "CREDENTIAL", "ENABLED"], rows);
}

pub fn print_sites(sites: &[Site]) {
    if sites.is_empty() {
        println!("no sites; add one with `meridian site add NAME --lat X --lon Y`");
        return;
    }
    let loc = |s: &Site| match (s.lat, s.lon) {
        (Some(a), Some(b)) => format!("{a:.5},{b:.5}"),
        _ => "-".into(),
    };
    let rows = sites.iter().map(|s| vec![s.name.clone(), loc(s), s.device_count.to_string()]).collect();
    table(&["NAME", "LOCATION", "DEVICES"], rows);
}

pub fn print_credentials(creds: &[CredentialSummary]) {
    if creds.is_empty() {
        println!("no credentials; add one with `meridian credential add-v2c NAME --community C`");
        return;
    }
    let rows = creds
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                c.version.as_str().to_owned(),
                opt(&c.user),
                c.auth_proto.map_or("-", |p| p.as_str()).to_owned(),
                c.priv_proto.map_or("-", |p| p.as_str()).to_owned(),
                c.backend.clone(),
            ]
        })
        .collect();
    table(&["NAME", "VERSION", "USER", "AUTH", "PRIV", "STORED IN"], rows);
}

pub fn table(head: &[&str], rows: Vec<Vec<String>>) {
    let mut width: Vec<usize> = head.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells.iter().zip(&width).map(|(c, w)| format!("{c:<w$}")).collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(head.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r);
    }
}
