//! /proc readers shared by the benches: CPU and memory of a process
//! without libc or `unsafe`.

use std::time::Duration;

/// user+sys CPU of a process, from /proc/<pid>/stat (utime, stime; proc(5)
/// fields 14 and 15, in USER_HZ = 100 ticks on Linux).
pub fn cpu_of(pid: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The comm field may hold spaces; every field after its ')' is plain.
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3 (state): field N is index N-3.
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

pub fn self_cpu() -> Duration {
    cpu_of("self").unwrap_or_default()
}

/// A `Vm*:` line of /proc/<pid>/status, in KiB.
pub fn vm_kib(pid: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
