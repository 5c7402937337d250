//! Devices and sites as CSV (`name,address,site,lat,lon,tags`, tags joined
//! by `;`): the import plan, checked whole before anything is written, and
//! the export that reads back through it.
//!
//! Every row goes through [`validate_device`], the rules `device add` uses,
//! and every problem of every row is reported at once as a field error named
//! `row N: FIELD` (row numbers as a spreadsheet shows them, the header being
//! row 1). One bad row refuses the whole file.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use ts_rs::TS;

use crate::csv::{self, CsvError};
use crate::error::{CoreError, FieldError};
use crate::inventory::{validate_device, validate_site, Device, DeviceInput, SiteInput, ValidDevice, ValidSite};

pub const HEADER: [&str; 6] = ["name", "address", "site", "lat", "lon", "tags"];
/// Most data rows one file may hold; bigger inventories are split.
pub const MAX_ROWS: usize = 20_000;

/// What the store already holds that an import must not clash with.
#[derive(Debug, Default)]
pub struct Existing {
    pub device_names: HashSet<String>,
    /// As stored: the normalised `Address` text.
    pub addresses: HashSet<String>,
    pub sites: HashSet<String>,
}

/// A file that passed every check: the devices in file order and the sites
/// to create first (each with the location of the first row naming it).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    pub devices: Vec<ValidDevice>,
    pub new_sites: Vec<ValidSite>,
}

/// What an import did, or (dry run) would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub dry_run: bool,
    /// Names of the devices imported (or to import), in file order.
    pub devices: Vec<String>,
    /// Names of the sites created (or to create).
    pub sites_created: Vec<String>,
}

impl ImportPlan {
    pub fn report(&self, dry_run: bool) -> ImportReport {
        ImportReport {
            dry_run,
            devices: self.devices.iter().map(|d| d.name.clone()).collect(),
            sites_created: self.new_sites.iter().map(|s| s.name.clone()).collect(),
        }
    }
}

fn at_row(row: usize, e: &FieldError) -> FieldError {
    FieldError::new(format!("row {row}: {}", e.field), e.message.clone())
}

fn csv_error(e: CsvError) -> CoreError {
    let field = match e {
        CsvError::Encoding { .. } => "encoding".to_owned(),
        CsvError::UnclosedQuote { row } | CsvError::AfterQuote { row } => format!("row {row}"),
        CsvError::TooManyRows { .. } => "rows".to_owned(),
    };
    CoreError::field(field, e.to_string())
}

fn number(errors: &mut Vec<FieldError>, row: usize, field: &str, text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<f64>() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.push(FieldError::new(format!("row {row}: {field}"), format!("'{t}' is not a number")));
            // A placeholder that passes the range check, so only this error shows.
            Some(0.0)
        }
    }
}

/// Checks the whole file against the rules and against `existing`. Every
/// error of every row comes back together; `Ok` only when none.
pub fn plan_device_import(bytes: &[u8], existing: &Existing) -> Result<ImportPlan, CoreError> {
    let records = csv::read(bytes, MAX_ROWS + 1).map_err(csv_error)?;
    let Some((head, rows)) = records.split_first() else {
        return Err(CoreError::field("header", format!("the file is empty; expected the header {}", HEADER.join(","))));
    };
    let names: Vec<String> = head.fields.iter().map(|f| f.trim().to_ascii_lowercase()).collect();
    if names != HEADER {
        return Err(CoreError::field(
            "header",
            format!("expected the header {}, found {}", HEADER.join(","), head.fields.join(",")),
        ));
    }
    if rows.is_empty() {
        return Err(CoreError::field("rows", "the file has a header but no devices"));
    }
    let mut errors = Vec::new();
    let mut plan = ImportPlan { devices: Vec::with_capacity(rows.len()), new_sites: Vec::new() };
    let mut seen_names: HashMap<String, usize> = HashMap::new();
    let mut seen_addresses: HashMap<String, usize> = HashMap::new();
    for rec in rows {
        let row = rec.row;
        if rec.fields.len() != HEADER.len() {
            errors.push(FieldError::new(
                format!("row {row}"),
                format!("expected {} fields, found {}", HEADER.len(), rec.fields.len()),
            ));
            continue;
        }
        let f = &rec.fields;
        let input = DeviceInput {
            name: f[0].clone(),
            address: f[1].clone(),
            site: Some(f[2].clone()),
            lat: number(&mut errors, row, "lat", &f[3]),
            lon: number(&mut errors, row, "lon", &f[4]),
            tags: f[5].split(';').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            ..Default::default()
        };
        let device = match validate_device(&input) {
            Ok(d) => d,
            Err(e) => {
                errors.extend(e.fields().iter().map(|e| at_row(row, e)));
                continue;
            }
        };
        let mut clash = |field: &str, msg: String| errors.push(FieldError::new(format!("row {row}: {field}"), msg));
        let address = device.address.to_string();
        if let Some(first) = seen_names.insert(device.name.clone(), row) {
            clash("name", format!("device name '{}' is also on row {first}", device.name));
        } else if existing.device_names.contains(&device.name) {
            clash("name", format!("device name '{}' already exists", device.name));
        }
        if let Some(first) = seen_addresses.insert(address.clone(), row) {
            clash("address", format!("device address '{address}' is also on row {first}"));
        } else if existing.addresses.contains(&address) {
            clash("address", format!("device address '{address}' already exists"));
        }
        if let Some(site) = &device.site {
            if !existing.sites.contains(site) && !plan.new_sites.iter().any(|s| &s.name == site) {
                let (lat, lon) = (device.location.map(|p| p.lat), device.location.map(|p| p.lon));
                match validate_site(&SiteInput { name: site.clone(), lat, lon }) {
                    Ok(s) => plan.new_sites.push(s),
                    Err(e) => errors.extend(e.fields().iter().map(|e| at_row(row, e))),
                }
            }
        }
        plan.devices.push(device);
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(CoreError::Validation(errors))
    }
}

/// The inventory as an import file: exporting then importing into an empty
/// store gives the same devices, sites (by name) and tags.
pub fn devices_csv(devices: &[Device]) -> String {
    let mut out = String::new();
    csv::write_row(&mut out, &HEADER);
    for d in devices {
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let row = [
            d.name.clone(),
            d.address.clone(),
            d.site_name.clone().unwrap_or_default(),
            num(d.lat),
            num(d.lon),
            d.tags.join(";"),
        ];
        csv::write_row(&mut out, &row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<ImportPlan, CoreError>) -> Vec<String> {
        r.expect_err("refused").fields().iter().map(|f| f.field.clone()).collect()
    }

    const HEAD: &str = "name,address,site,lat,lon,tags\n";

    #[test]
    fn a_good_file_plans_devices_and_new_sites() {
        let text = format!("{HEAD}r1,127.0.0.1,HQ,51.5,-0.1,core;lab\nr2,::1,HQ,,,\nr3,Host.Example,,,,\n");
        let mut existing = Existing::default();
        existing.sites.insert("Other".into());
        let plan = plan_device_import(text.as_bytes(), &existing).expect("valid");
        assert_eq!(plan.devices.len(), 3);
        assert_eq!(plan.devices[0].tags, ["core", "lab"]);
        assert_eq!(plan.devices[2].address.to_string(), "host.example");
        assert_eq!(plan.new_sites.len(), 1);
        assert_eq!(plan.new_sites[0].location.map(|p| (p.lat, p.lon)), Some((51.5, -0.1)));
    }

    #[test]
    fn every_bad_row_is_named_with_its_field() {
        let text = format!(
            "{HEAD}ok,127.0.0.1,,,,\n,127.0.0.2,,,,\nbad-ip,999.1.1.1,,,,\nfar,127.0.0.3,,91,0,\nok,127.0.0.4,,,,\n\
             dup-addr,127.0.0.1,,,,\nshort,127.0.0.5\nnan,127.0.0.6,,x,1,\ntaken,127.0.0.7,,,,\n"
        );
        let mut existing = Existing::default();
        existing.device_names.insert("taken".into());
        let f = fields(plan_device_import(text.as_bytes(), &existing));
        assert_eq!(
            f,
            [
                "row 3: name",
                "row 4: address",
                "row 5: lat",
                "row 6: name",
                "row 7: address",
                "row 8",
                "row 9: lat",
                "row 10: name"
            ]
        );
    }

    #[test]
    fn wrong_header_encoding_or_empty_file() {
        let e = Existing::default();
        assert_eq!(fields(plan_device_import(b"name,address\nr1,::1\n", &e)), ["header"]);
        assert_eq!(fields(plan_device_import(b"", &e)), ["header"]);
        assert_eq!(fields(plan_device_import(HEAD.as_bytes(), &e)), ["rows"]);
        let latin1 = [HEAD.as_bytes(), b"caf\xe9,::1,,,,\n"].concat();
        assert_eq!(fields(plan_device_import(&latin1, &e)), ["encoding"]);
    }
}
