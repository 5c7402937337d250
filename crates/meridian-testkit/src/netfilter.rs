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
        Self::insert(addr, 32, "DROP")
    }

    /// Drops every packet to the block `net/prefix` (inside 127.0.0.0/8).
    pub fn add_block(net: Ipv4Addr, prefix: u8) -> Result<Self, TestkitError> {
        Self::insert(net, prefix, "DROP")
    }

    /// Lets packets to `addr` through a block dropped earlier (the rule is
    /// inserted above it). Also a guard.
    pub fn accept(addr: Ipv4Addr) -> Result<Self, TestkitError> {
        Self::insert(addr, 32, "ACCEPT")
    }

    fn insert(addr: Ipv4Addr, prefix: u8, target: &str) -> Result<Self, TestkitError> {
        if !addr.is_loopback() || !(8..=32).contains(&prefix) {
            return Err(TestkitError::Peer(format!(
                "{addr}/{prefix} is not inside 127.0.0.0/8; refusing to add a rule"
            )));
        }
        let dest = format!("{addr}/{prefix}");
        let args: Vec<String> = ["INPUT", "-d", &dest, "-m", "comment", "--comment", "meridian-test", "-j", target]
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
