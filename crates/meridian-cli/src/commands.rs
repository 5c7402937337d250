use std::io::BufRead;

use meridian_service::{
    ApiError, App, CountOverride, CredentialPatch, DeviceInput, DevicePatch, NtpWatchConfig, PtpWatchConfig,
    PtpWatchEndpoint, SecretInput, SiteInput, SnmpVersion, TimingRole, UsmInput, NTP_PORT,
};

use crate::cli::{Command, CredentialCmd, DbCmd, DeviceCmd, DeviceFields, SiteCmd};
use crate::output::{print_credentials, print_devices, print_json, print_sites, Out};

pub async fn dispatch(app: &App, cmd: Command, json: bool) -> Result<(), ApiError> {
    let out = Out { json };
    match cmd {
        Command::Device(c) => device(app, c, out).await,
        Command::Site(c) => site(app, c, out).await,
        Command::Credential(c) => credential(app, c, out).await,
        Command::Monitor(a) => crate::monitor::monitor(app, a, out).await,
        Command::Alarms(c) => crate::monitor::alarms(app, c, out).await,
        Command::Rules(c) => crate::rules::rules(app, c, out).await,
        Command::Items(c) => crate::items::items(app, c, out).await,
        Command::Maintenance(c) => crate::maintenance::maintenance(app, c, out).await,
        Command::Notify(c) => crate::notify::notify(app, c, out).await,
        Command::Discover(a) => crate::discover::discover(app, a, out).await,
        Command::Discovery(c) => crate::discover::discovery(app, c, out).await,
        Command::Topology(a) => crate::discover::topology(app, a, out).await,
        Command::History(c) => crate::history::history(app, c, out).await,
        Command::Export(a) => crate::export::export(app, a).await,
        Command::Report(a) => crate::report::report(app, a, out).await,
        Command::Import(c) => crate::import::import(app, c, out).await,
        Command::Syslog(c) => crate::syslog::syslog(app, c, out).await,
        Command::Forward(c) => crate::forward::forward(app, c, out).await,
        Command::Traps(c) => crate::traps::traps(app, c, out).await,
        Command::Events(c) => crate::traps::events(app, c, out).await,
        // The PTP tree reads the watched clocks from the store; other timing commands need no app.
        Command::Timing(crate::timing::TimingCmd::Tree) => crate::timing_live::tree(app, out).await,
        Command::Timing(crate::timing::TimingCmd::Wander(a)) => crate::timing_live::wander(app, a, out).await,
        Command::Ping(_)
        | Command::Sweep(_)
        | Command::Snmp(_)
        | Command::Mib(_)
        | Command::Status
        | Command::Timing(_)
        | Command::Generate(_) => Err(ApiError::new(
            meridian_service::ApiErrorKind::Internal,
            "diagnostics are dispatched before the app opens",
        )),
        Command::Db(DbCmd::Info) => {
            let info = app.db_info().await?;
            out.one(&info, || {
                format!(
                    "backend:        {}\nlocation:       {}\nschema version: {}\nsize:           {} bytes\nserver:         {}",
                    info.backend, info.location, info.schema_version, info.size_bytes, info.server_version
                )
            })
        }
    }
}

async fn device(app: &App, cmd: DeviceCmd, out: Out) -> Result<(), ApiError> {
    match cmd {
        DeviceCmd::Add { name, address, fields } => {
            let d = app.add_device(fields.into_input(name, address)).await?;
            out.one(&d, || format!("added device {} ({}) id {}", d.name, d.address, d.id))
        }
        DeviceCmd::Edit { device, name, address, fields, clear_location, enable } => {
            let enabled = match (enable, fields.disable) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            let patch = DevicePatch {
                name,
                address,
                kind: fields.kind,
                vendor: fields.vendor,
                model: fields.model,
                os: fields.os,
                site: fields.site,
                lat: fields.lat,
                lon: fields.lon,
                clear_location,
                tags: (!fields.tags.is_empty()).then_some(fields.tags),
                credential: fields.credential,
                snmp_port: fields.snmp_port,
                enabled,
            };
            let d = app.update_device(&device, patch).await?;
            out.one(&d, || format!("updated device {} (version {})", d.name, d.version))
        }
        DeviceCmd::List => {
            let all = app.list_devices().await?;
            if out.json {
                print_json(&all)
            } else {
                print_devices(&all);
                Ok(())
            }
        }
        DeviceCmd::Show { device } => {
            let d = app.show_device(&device).await?;
            if out.json {
                print_json(&d)
            } else {
                print_devices(std::slice::from_ref(&d));
                Ok(())
            }
        }
        DeviceCmd::Counts { device, down_after, up_after, snmp_fail_after, reset } => {
            let now = app.device_counts(&device).await?;
            // Counts not given keep their current value.
            let o = now.overrides;
            let given = CountOverride {
                down_after: down_after.or(o.down_after),
                up_after: up_after.or(o.up_after),
                snmp_fail_after: snmp_fail_after.or(o.snmp_fail_after),
            };
            let c = match (reset, down_after.or(up_after).or(snmp_fail_after)) {
                (true, _) => app.set_device_counts(&device, CountOverride::default()).await?,
                (false, Some(_)) => app.set_device_counts(&device, given).await?,
                (false, None) => now,
            };
            out.one(&c, || {
                format!(
                    "down after {} failed polls, up after {}, SNMP not responding after {}",
                    c.down_after, c.up_after, c.snmp_fail_after
                )
            })
        }
        DeviceCmd::Ntp { device, port, off } => {
            if off {
                app.set_ntp_watch(&device, None).await?;
            } else {
                let port = port.unwrap_or(NTP_PORT);
                app.set_ntp_watch(&device, Some(NtpWatchConfig { port })).await?;
            }
            let w = app.ntp_watch(&device).await?;
            out.one(&w, || match w {
                Some(w) => format!("watching the NTP server on UDP port {}", w.port),
                None => "not watching an NTP server".into(),
            })
        }
        DeviceCmd::Ptp { device, uds, udp, domain, offset_limit_ns, uncalibrated_ok, off } => {
            let endpoint = match (uds, udp) {
                _ if off => None,
                (Some(path), _) => Some(PtpWatchEndpoint::Uds { path }),
                (None, Some(a)) => Some(PtpWatchEndpoint::Udp { address: (!a.is_empty()).then_some(a) }),
                (None, None) => None,
            };
            let watch = endpoint.map(|endpoint| PtpWatchConfig {
                endpoint,
                domain,
                offset_limit_ns,
                uncalibrated_is_synced: uncalibrated_ok,
            });
            app.set_ptp_watch(&device, watch).await?;
            let w = app.ptp_watch(&device).await?;
            out.one(&w, || match &w {
                Some(w) => format!("watching the PTP clock {}", describe_ptp_watch(w)),
                None => "not watching a PTP clock".into(),
            })
        }
        DeviceCmd::TimingRole { device, role } => {
            if let Some(r) = role {
                let role = if r.trim().eq_ignore_ascii_case("none") { None } else { Some(r.parse::<TimingRole>()?) };
                app.set_timing_role(&device, role).await?;
            }
            let role = app.timing_role(&device).await?;
            out.one(&role, || match role {
                Some(r) => format!("timing role: {}", r.label()),
                None => "no timing role".into(),
            })
        }
        DeviceCmd::Rm { device } => {
            let d = app.remove_device(&device).await?;
            out.one(&d, || format!("removed device {}", d.name))
        }
        DeviceCmd::Inventory { device, refresh } => crate::discover::inventory(app, &device, refresh, out).await,
        DeviceCmd::Template { device, template, auto } => {
            let t = match (template, auto) {
                (Some(name), _) => app.set_device_template(&device, Some(&name)).await?,
                (None, true) => app.set_device_template(&device, None).await?,
                (None, false) => app.device_template(&device).await?,
            };
            let how = if t.overridden { "set by hand" } else { "chosen from the classification" };
            out.one(&t, || format!("{} ({how}): {}\npolls: {}", t.template, t.description, t.metrics.join(", ")))
        }
    }
}

impl DeviceFields {
    fn into_input(self, name: String, address: String) -> DeviceInput {
        DeviceInput {
            name,
            address,
            kind: self.kind,
            vendor: self.vendor,
            model: self.model,
            os: self.os,
            site: self.site,
            lat: self.lat,
            lon: self.lon,
            tags: self.tags,
            credential: self.credential,
            snmp_port: self.snmp_port,
            enabled: Some(!self.disable),
        }
    }
}

async fn site(app: &App, cmd: SiteCmd, out: Out) -> Result<(), ApiError> {
    match cmd {
        SiteCmd::Add { name, lat, lon } => {
            let s = app.add_site(SiteInput { name, lat, lon }).await?;
            out.one(&s, || format!("added site {} id {}", s.name, s.id))
        }
        SiteCmd::Edit { site, name, lat, lon } => {
            let cur = app.show_site(&site).await?;
            let (lat, lon) = if lat.is_some() { (lat, lon) } else { (cur.lat, cur.lon) };
            let s = app.update_site(&site, SiteInput { name: name.unwrap_or(cur.name), lat, lon }).await?;
            out.one(&s, || format!("updated site {}", s.name))
        }
        SiteCmd::List => {
            let all = app.list_sites().await?;
            if out.json {
                print_json(&all)
            } else {
                print_sites(&all);
                Ok(())
            }
        }
        SiteCmd::Show { site } => {
            let s = app.show_site(&site).await?;
            if out.json {
                print_json(&s)
            } else {
                print_sites(std::slice::from_ref(&s));
                Ok(())
            }
        }
        SiteCmd::Rm { site } => {
            let s = app.remove_site(&site).await?;
            out.one(&s, || format!("removed site {} ({} devices now without a site)", s.name, s.device_count))
        }
    }
}

async fn credential(app: &App, cmd: CredentialCmd, out: Out) -> Result<(), ApiError> {
    let added = |c: &meridian_service::CredentialSummary| {
        format!("added credential {} ({}) id {}; secret stored in {}", c.name, c.version.as_str(), c.id, c.backend)
    };
    match cmd {
        CredentialCmd::AddV1 { name, community } => {
            let c = app.add_community_credential(&name, SnmpVersion::V1, &secret_arg(community)?).await?;
            out.one(&c, || added(&c))
        }
        CredentialCmd::AddV2c { name, community } => {
            let c = app.add_community_credential(&name, SnmpVersion::V2c, &secret_arg(community)?).await?;
            out.one(&c, || added(&c))
        }
        CredentialCmd::AddV3 { name, user, auth_proto, auth_pass, priv_proto, priv_pass } => {
            let input = UsmInput {
                name,
                user,
                auth_proto,
                auth_pass: auth_pass.map(secret_arg).transpose()?,
                priv_proto,
                priv_pass: priv_pass.map(secret_arg).transpose()?,
            };
            let c = app.add_usm_credential(input).await?;
            out.one(&c, || added(&c))
        }
        CredentialCmd::List => {
            let all = app.list_credentials().await?;
            if out.json {
                print_json(&all)
            } else {
                print_credentials(&all);
                Ok(())
            }
        }
        CredentialCmd::Rm { credential } => {
            let c = app.remove_credential(&credential).await?;
            out.one(&c, || format!("removed credential {}", c.name))
        }
        CredentialCmd::Edit { credential, name, version, user } => {
            let version = version
                .map(|v| v.parse::<SnmpVersion>().map_err(|e| ApiError::field("version", e.to_string())))
                .transpose()?;
            let c = app.update_credential(&credential, CredentialPatch { name, version, user }).await?;
            out.one(&c, || format!("updated credential {} ({})", c.name, c.version.as_str()))
        }
        CredentialCmd::Rotate { credential, community, auth_pass, priv_pass } => {
            let secret = SecretInput {
                community: community.map(secret_arg).transpose()?,
                auth_pass: auth_pass.map(secret_arg).transpose()?,
                priv_pass: priv_pass.map(secret_arg).transpose()?,
            };
            let c = app.rotate_credential(&credential, secret).await?;
            out.one(&c, || format!("rotated credential {}; new secret stored in {}", c.name, c.backend))
        }
        CredentialCmd::Test { credential, device } => {
            let t = app.test_credential(&credential, &device.as_str().into()).await?;
            out.one(&t, || {
                format!("ok: sysName={} sysObjectID={} ({} via {})", t.sys_name, t.sys_object_id, t.device, t.agent)
            })
        }
        CredentialCmd::Backend => {
            let v = app.credential_backend();
            out.one(&v, || format!("backend:  {}\nlocation: {}", v.backend, v.location))
        }
    }
}

/// `-` reads one line from stdin, so a secret need not sit in shell history
/// or in `ps` output.
pub(crate) fn secret_arg(v: String) -> Result<String, ApiError> {
    if v != "-" {
        return Ok(v);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        ApiError::new(meridian_service::ApiErrorKind::Validation, format!("reading secret from stdin: {e}"))
    })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// One line for `meridian device ptp`: where the clock is asked and how it is judged.
fn describe_ptp_watch(w: &PtpWatchConfig) -> String {
    let at = match &w.endpoint {
        PtpWatchEndpoint::Uds { path } => format!("through ptp4l's socket {path}"),
        PtpWatchEndpoint::Udp { address: Some(a) } => format!("at {a} (UDP 320)"),
        PtpWatchEndpoint::Udp { address: None } => "at the device's address (UDP 320)".into(),
    };
    let limit = w.thresholds(None).offset_ns;
    let unc = if w.uncalibrated_is_synced { ", UNCALIBRATED counts as synchronised" } else { "" };
    format!("{at}, domain {}, offset limit {limit} ns{unc}", w.domain)
}
