//! Real lab peers for Meridian's tests. No mocks: a test that needs
//! PostgreSQL gets a real one, started here in a temporary directory.

mod allantools;
mod chronyd;
mod netfilter;
mod openapi;
mod postgres;
mod process;
mod prometheus;
mod ptp4l;
mod rsyslog;
mod secret_service;
mod smtp;
mod snmpd;
mod snmpsim;
mod tls;
mod tmpfs;
mod vault;

pub use allantools::{allantools, Reference};
pub use chronyd::Chronyd;
pub use netfilter::DropRule;
pub use openapi::{openapi_check, Recorded};
pub use postgres::NativePostgres;
pub use process::{fping_alive, net_snmp_tool};
pub use prometheus::{prometheus_parse, PromSample};
pub use ptp4l::{is_root, Ptp4lLab};
pub use rsyslog::{RsyslogRelay, RsyslogTlsSink};
pub use smtp::{free_port, SinkTls, SmtpSink};
pub use snmpd::{snmpd_users, Snmpd, SnmpdUser, AUTH_PASS, AUTH_PROTOCOLS, COMMUNITY, PRIV_PASS, PRIV_PROTOCOLS};
pub use snmpsim::{
    free_udp_port, record_value, recording_bytes, recording_path, recording_text, replace_record, snmpsim_data_dir,
    snmpsim_venv, Snmpsim, SnmpsimBuilder, DEFAULT_SNMPSIM_VENV,
};
pub use tls::TestCerts;
pub use tmpfs::{fill, Tmpfs};

pub use secret_service::SecretService;
pub use vault::{vault_key_file, write_private};

#[derive(Debug, thiserror::Error)]
pub enum TestkitError {
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("{0}")]
    Peer(String),
}
