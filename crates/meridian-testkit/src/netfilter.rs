//! Dead targets on loopback: an `iptables -I INPUT -d ADDR -j DROP` rule
//! that lives as long as the guard, removed in `Drop` (so also on panic).
//! Only 127.0.0.0/8 addresses are accepted, so a test can never aim a rule
//! (or the traffic it then sends) anywhere else.

use std::net::Ipv4Addr;
use std::process::Command;

use crate::TestkitError;

pub struct DropRule {
    args: Vec<String>,
}

impl DropRule {
    /// Drops every packet (ICMP and UDP alike) to `addr` until dropped.
    /// Needs root (CAP_NET_ADMIN).
    pub fn add(addr: Ipv4Addr) -> Result<Self, TestkitError> {
        if !addr.is_loopback() {
            return Err(TestkitError::Peer(format!("{addr} is not a loopback address; refusing to add a rule")));
        }
        let args: Vec<String> =
            ["INPUT", "-d", &addr.to_string(), "-m", "comment", "--comment", "meridian-test", "-j", "DROP"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let ok = Command::new("iptables").args(["-w", "-I"]).args(&args).status().map(|s| s.success()).unwrap_or(false);
        if !ok {
            return Err(TestkitError::Peer(format!("iptables -I {} failed (are we root?)", args.join(" "))));
        }
        Ok(Self { args })
    }
}

impl Drop for DropRule {
    fn drop(&mut self) {
        let ok =
            Command::new("iptables").args(["-w", "-D"]).args(&self.args).status().map(|s| s.success()).unwrap_or(false);
        if !ok {
            eprintln!("WARNING: could not remove iptables rule {}", self.args.join(" "));
        }
    }
}
