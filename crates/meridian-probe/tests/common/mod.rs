//! Helpers shared by the ICMP test binaries: who we are, and dead targets
//! made with an iptables rule on a loopback address.

use std::process::Command;

use meridian_probe::icmp::Credentials;

pub fn is_root() -> bool {
    Credentials::current().map(|c| c.uid == 0 && c.cap_net_raw).unwrap_or(false)
}

/// An `iptables -I INPUT -d ADDR -p icmp -j DROP` rule, removed on drop.
pub struct DropRule {
    args: Vec<String>,
}

impl DropRule {
    /// Adds the rule; `None` (after printing why) when we are not root and so
    /// cannot use iptables at all. As root, failing to add it is a test error.
    pub fn add(addr: &str) -> Option<Self> {
        if !is_root() {
            eprintln!("SKIP: not root, so iptables cannot make {addr} a dead target");
            return None;
        }
        let args: Vec<String> =
            ["INPUT", "-d", addr, "-p", "icmp", "-m", "comment", "--comment", "meridian-icmp-test", "-j", "DROP"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let status = Command::new("iptables").arg("-w").arg("-I").args(&args).status().expect("run iptables");
        assert!(status.success(), "iptables -I {args:?} failed as root");
        Some(Self { args })
    }
}

impl Drop for DropRule {
    fn drop(&mut self) {
        let ok = Command::new("iptables").arg("-w").arg("-D").args(&self.args).status().map(|s| s.success());
        if ok.ok() != Some(true) {
            eprintln!("WARNING: could not remove iptables rule {:?}", self.args);
        }
    }
}
