use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use meridian_service::DeviceKey;

#[derive(Debug, Parser)]
#[command(name = "meridian", version, about = "Meridian network and timing monitor")]
pub struct Cli {
    /// Data directory [env: MERIDIAN_DATA_DIR; default: the platform data directory].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// A file holding the encrypted-file vault's passphrase (never the
    /// passphrase itself) [env: MERIDIAN_VAULT_PASSPHRASE_FILE]. A key file
    /// instead: MERIDIAN_VAULT_KEY_FILE or the systemd credential meridian-vault-key.
    #[arg(long, global = true, value_name = "FILE")]
    pub vault_passphrase_file: Option<PathBuf>,

    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    pub json: bool,

    /// A directory of vendor MIB modules, loaded after the shipped ones
    /// [env: MERIDIAN_MIB_DIR; config: mib_dir].
    #[arg(long, global = true, value_name = "DIR")]
    pub mib_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Devices in the inventory.
    #[command(subcommand)]
    Device(DeviceCmd),
    /// Sites (places devices are at).
    #[command(subcommand)]
    Site(SiteCmd),
    /// SNMP credentials; secrets go to the OS keyring or the encrypted vault.
    #[command(subcommand)]
    Credential(CredentialCmd),
    /// The store itself.
    #[command(subcommand)]
    Db(DbCmd),
    /// Ping addresses (diagnostic; needs no data directory).
    Ping(crate::diag::PingArgs),
    /// Find the addresses that answer ping in a CIDR range.
    Sweep(crate::diag::SweepArgs),
    /// SNMP get and walk (diagnostic; output matches `snmpbulkwalk`, names from the MIBs; -On numeric).
    #[command(subcommand)]
    Snmp(crate::diag::SnmpCmd),
    /// Run the pollers headless and print state and alarm changes.
    Monitor(crate::monitor::MonitorArgs),
    /// Targets, poll success, queue depth, drops and store size of the running monitor.
    Status,
    /// The alarm list: list, acknowledge, clear.
    #[command(subcommand)]
    Alarms(crate::monitor::AlarmsCmd),
    /// Alarm rules: thresholds on any metric, as TOML.
    #[command(subcommand)]
    Rules(crate::rules::RulesCmd),
    /// Custom items: any numeric OID polled on a device or template as its own series.
    #[command(subcommand)]
    Items(crate::items::ItemsCmd),
    /// Maintenance windows: alarms inside one are recorded, not notified.
    #[command(subcommand)]
    Maintenance(crate::maintenance::MaintenanceCmd),
    /// Notifications: e-mail and webhook channels, routes, send test, delivery log.
    #[command(subcommand)]
    Notify(crate::notify::NotifyCmd),
    /// Find devices in address ranges: ICMP sweep, then SNMP identity and classification.
    Discover(crate::discover::DiscoverArgs),
    /// Review stored discovery runs and add what they found.
    #[command(subcommand)]
    Discovery(crate::discover::DiscoveryCmd),
    /// LLDP/CDP links between devices.
    Topology(crate::discover::TopologyArgs),
    /// Timing: MTIE/TDEV/ADEV/MDEV of a phase file against ITU-T masks (needs no data directory).
    #[command(subcommand)]
    Timing(crate::timing::TimingCmd),
    /// SNMP trap and inform receiver: listen in the foreground, settings.
    #[command(subcommand)]
    Traps(crate::traps::TrapsCmd),
    /// Stored events (SNMP traps and informs).
    #[command(subcommand)]
    Events(crate::traps::EventsCmd),
    /// History tiers: sizes, a rollup pass now, retention per tier.
    #[command(subcommand)]
    History(crate::history::HistoryCmd),
    /// Export devices, sites, alarms or raw samples as CSV or JSON.
    Export(crate::export::ExportArgs),
    /// Availability, top-N and alarm-handling reports as tables, PDF, CSV, SVG or PNG; scheduled reports.
    #[command(subcommand)]
    Report(crate::report::ReportCmd),
    /// Import devices and sites from CSV (all rows or none).
    #[command(subcommand)]
    Import(crate::import::ImportCmd),
    /// Syslog: receive in the foreground, search what was stored.
    #[command(subcommand)]
    Syslog(crate::syslog::SyslogCmd),
    /// Northbound forwarding of alarm changes (SNMP traps, syslog) while the monitor runs.
    #[command(subcommand)]
    Forward(crate::forward::ForwardCmd),
    /// MIB modules: translate names and OIDs, search, show an object, list what loaded (needs no data directory).
    #[command(subcommand)]
    Mib(crate::mib::MibCmd),
    /// Shell completions and the man page, for packagers (needs no data directory).
    #[command(subcommand, hide = true)]
    Generate(crate::generate::GenerateCmd),
}

#[derive(Debug, Subcommand)]
pub enum DeviceCmd {
    /// Add a device.
    Add {
        name: String,
        /// IP address or host name.
        address: String,
        #[command(flatten)]
        fields: DeviceFields,
    },
    /// Change a device; only the given fields change.
    Edit {
        /// Name or id of the device.
        device: DeviceKey,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        address: Option<String>,
        #[command(flatten)]
        fields: DeviceFields,
        /// Remove the location override (the device sits at its site).
        #[arg(long)]
        clear_location: bool,
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
    },
    /// List devices.
    List,
    /// Show one device.
    Show { device: DeviceKey },
    /// Remove a device.
    Rm { device: DeviceKey },
    /// Physical inventory (ENTITY-MIB tree) and interfaces; --refresh asks the device first.
    Inventory {
        device: DeviceKey,
        #[arg(long)]
        refresh: bool,
    },
    /// Show the device's counts for the built-in alarms, or set them: polls
    /// before "unreachable", before "up" again, before "SNMP not responding".
    Counts {
        device: DeviceKey,
        #[arg(long)]
        down_after: Option<u32>,
        #[arg(long)]
        up_after: Option<u32>,
        #[arg(long)]
        snmp_fail_after: Option<u32>,
        /// Back to the monitor's defaults.
        #[arg(long, conflicts_with_all = ["down_after", "up_after", "snmp_fail_after"])]
        reset: bool,
    },
    /// Watch the device's NTP server (offset, delay, stratum and its alarms), or stop.
    Ntp {
        device: DeviceKey,
        /// UDP port of the NTP server [default: 123].
        #[arg(long, conflicts_with = "off")]
        port: Option<u16>,
        /// Stop watching.
        #[arg(long)]
        off: bool,
    },
    /// Watch the device's PTP clock through the management protocol (offset,
    /// path delay, port state, grandmaster and their alarms), or stop.
    #[command(group(clap::ArgGroup::new("ptp_endpoint").required(true).args(["uds", "udp", "off"])))]
    Ptp {
        device: DeviceKey,
        /// A local ptp4l's UNIX management socket (its uds_address).
        #[arg(long, value_name = "PATH")]
        uds: Option<String>,
        /// UDP port 320 of the clock, at ADDR (IPv4) or, without it, the device's address.
        #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "")]
        udp: Option<String>,
        /// PTP domain number.
        #[arg(long, default_value_t = 0)]
        domain: u8,
        /// |offset from master| beyond this raises an alarm [default: 1000 ns].
        #[arg(long, value_name = "NS")]
        offset_limit_ns: Option<f64>,
        /// Count UNCALIBRATED as synchronised (a free-running, monitoring-only client never leaves it).
        #[arg(long)]
        uncalibrated_ok: bool,
        /// Stop watching.
        #[arg(long)]
        off: bool,
    },
    /// Show the device's timing role, or set it (a grandmaster is judged as
    /// the source: its own clock class, not loss of sync).
    TimingRole {
        device: DeviceKey,
        /// grandmaster, boundary-clock, transparent-clock, ptp-client, ntp-server,
        /// gnss-receiver, ssu-bits, or none to remove it.
        role: Option<String>,
    },
    /// Show the poll template, or override it (`--auto` returns to the classification's choice).
    Template {
        device: DeviceKey,
        #[arg(conflicts_with = "auto")]
        template: Option<String>,
        #[arg(long)]
        auto: bool,
    },
}

#[derive(Debug, Args)]
pub struct DeviceFields {
    /// Site name.
    #[arg(long)]
    pub site: Option<String>,
    /// Latitude override, -90..90.
    #[arg(long, allow_negative_numbers = true, requires = "lon")]
    pub lat: Option<f64>,
    /// Longitude override, -180..180.
    #[arg(long, allow_negative_numbers = true, requires = "lat")]
    pub lon: Option<f64>,
    /// Credential name.
    #[arg(long)]
    pub credential: Option<String>,
    /// Tag (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// router, switch, firewall, wireless, server, ups, printer, camera, storage, unknown.
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub vendor: Option<String>,
    #[arg(long)]
    pub model: Option<String>,
    #[arg(long)]
    pub os: Option<String>,
    /// SNMP agent port (default 161).
    #[arg(long)]
    pub snmp_port: Option<u16>,
    /// Add or keep the device without polling it.
    #[arg(long)]
    pub disable: bool,
}

#[derive(Debug, Subcommand)]
pub enum SiteCmd {
    Add {
        name: String,
        #[arg(long, allow_negative_numbers = true, requires = "lon")]
        lat: Option<f64>,
        #[arg(long, allow_negative_numbers = true, requires = "lat")]
        lon: Option<f64>,
    },
    /// Rename or move a site.
    Edit {
        site: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, allow_negative_numbers = true, requires = "lon")]
        lat: Option<f64>,
        #[arg(long, allow_negative_numbers = true, requires = "lat")]
        lon: Option<f64>,
    },
    List,
    Show {
        site: String,
    },
    /// Remove a site; its devices stay, without a site.
    Rm {
        site: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CredentialCmd {
    /// SNMPv1 community. Pass `-` to read the community from stdin.
    AddV1 {
        name: String,
        #[arg(long)]
        community: String,
    },
    /// SNMPv2c community. Pass `-` to read the community from stdin.
    AddV2c {
        name: String,
        #[arg(long)]
        community: String,
    },
    /// SNMPv3 USM user. Pass `-` as a pass phrase to read it from stdin.
    AddV3 {
        name: String,
        #[arg(long)]
        user: String,
        /// MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512.
        #[arg(long, requires = "auth_pass")]
        auth_proto: Option<String>,
        #[arg(long, requires = "auth_proto")]
        auth_pass: Option<String>,
        /// DES, AES-128, AES-192, AES-256.
        #[arg(long, requires = "priv_pass")]
        priv_proto: Option<String>,
        #[arg(long, requires = "priv_proto")]
        priv_pass: Option<String>,
    },
    List,
    Rm {
        credential: String,
    },
    /// Rename a credential or change its non-secret fields; the secret stays.
    Edit {
        credential: String,
        #[arg(long)]
        name: Option<String>,
        /// v1 or v2c (a community credential only).
        #[arg(long)]
        version: Option<String>,
        /// The USM user name (a v3 credential only).
        #[arg(long)]
        user: Option<String>,
    },
    /// Replace the secret; the id stays, so devices keep the credential.
    /// Pass `-` to read a secret from stdin.
    Rotate {
        credential: String,
        #[arg(long)]
        community: Option<String>,
        #[arg(long)]
        auth_pass: Option<String>,
        #[arg(long)]
        priv_pass: Option<String>,
    },
    /// SNMP GET of sysObjectID.0 and sysName.0 from a device's agent with
    /// this credential.
    Test {
        credential: String,
        #[arg(long)]
        device: String,
    },
    /// Which secret backend is in use.
    Backend,
}

#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Backend, location, schema version and size.
    Info,
}
