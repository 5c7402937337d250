//! The ICMP permission path of the real `meridian` binary, run without
//! privileges. Tests run as root, so each case makes its own network
//! namespace (`unshare -n`, gone when its last process exits), brings `lo`
//! up, sets that namespace's own `net.ipv4.ping_group_range`, and then runs
//! the binary as `nobody` through `setpriv`, which drops every capability
//! with the uid change. Traffic stays on the namespace's loopback.
//!
//! The socket kind is read from the engine's own debug log line
//! (`opened ICMP socket kind=.. mode=Datagram|Raw`): the CLI does not print
//! it, and the replies alone cannot tell a raw socket from a ping socket.
#![cfg(target_os = "linux")]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// `nobody` on Debian and most distributions; the numbers are all the
/// kernel sees.
const NOBODY: u32 = 65534;

/// The fixes the refusal must name, as a user would type them.
const SYSCTL_FIX: &str = "sysctl -w net.ipv4.ping_group_range=\"";
const SETCAP_FIX: &str = "setcap cap_net_raw+ep";

/// Why these tests cannot run here, if they cannot.
fn skip_reason() -> Option<&'static str> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let euid = status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|v| v.split_whitespace().nth(1));
    if euid != Some("0") {
        return Some("not root: cannot make a network namespace or change uid");
    }
    if !Command::new("unshare").args(["-n", "true"]).status().is_ok_and(|s| s.success()) {
        return Some("`unshare -n` failed: network namespaces are not available here");
    }
    // These are part of the test setup (util-linux, iproute2, both in
    // scripts/install-deps.sh): missing them is a broken machine, not a skip.
    for tool in ["setpriv", "ip"] {
        assert!(Command::new(tool).arg("-V").output().is_ok(), "`{tool}` is missing: install util-linux / iproute2");
    }
    None
}

macro_rules! require_root_and_netns {
    ($name:literal) => {
        if let Some(why) = skip_reason() {
            eprintln!("SKIP {}: {why}", $name);
            return;
        }
    };
}

/// A private copy of the binary, mode 0755 in a 0755 directory: the target
/// directory may sit under a home `nobody` cannot traverse, and the setcap
/// case must not touch the shared build output.
struct Bin {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Bin {
    fn copy() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("meridian");
        // `cp` in its own process, not std::fs::copy: a write descriptor held
        // by this process leaks into children that other test threads fork at
        // that moment, and exec of the copy then fails with ETXTBSY.
        let cp = Command::new("cp").arg(assert_cmd::cargo::cargo_bin("meridian")).arg(&path).status();
        assert!(cp.is_ok_and(|s| s.success()), "copy the binary");
        for p in [dir.path(), path.as_path()] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod 0755");
        }
        Self { _dir: dir, path }
    }
}

/// Who runs the binary inside the namespace.
enum As {
    /// uid/gid `nobody`, with these supplementary groups (none if empty).
    Nobody(&'static [u32]),
    /// uid 0 without CAP_NET_RAW, as in a container that drops it: removed
    /// from the bounding and inheritable sets, root's exec cannot regain it.
    RootWithoutNetRaw,
}

impl As {
    fn setpriv_args(&self) -> Vec<String> {
        match self {
            As::Nobody(groups) => {
                let groups = if groups.is_empty() {
                    "--clear-groups".to_owned()
                } else {
                    format!("--groups={}", groups.iter().map(u32::to_string).collect::<Vec<_>>().join(","))
                };
                vec![format!("--reuid={NOBODY}"), format!("--regid={NOBODY}"), groups]
            }
            As::RootWithoutNetRaw => vec!["--inh-caps=-net_raw".into(), "--bounding-set=-net_raw".into()],
        }
    }
}

/// Run `bin args` as `who` in a fresh network namespace whose
/// `ping_group_range` is `range` ("1 0" is the kernel default: nobody).
/// The values travel as positional parameters, so nothing is re-quoted.
fn run_in_netns(bin: &Path, range: &str, who: As, args: &[&str]) -> Output {
    const SCRIPT: &str = r#"ip link set lo up || exit 97
printf '%s\n' "$1" > /proc/sys/net/ipv4/ping_group_range || exit 98
shift
exec setpriv "$@""#;
    let out = Command::new("unshare")
        .args(["-n", "sh", "-c", SCRIPT, "sh", range])
        .args(who.setpriv_args())
        .arg(bin)
        .args(args)
        // Diagnostics need no data directory; one that cannot exist proves it.
        .env("MERIDIAN_DATA_DIR", "/nonexistent/meridian-nonroot-test")
        .env_remove("MERIDIAN_DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("MERIDIAN_LOG", "meridian_probe::icmp=debug")
        .env("NO_COLOR", "1")
        .current_dir("/")
        .output()
        .expect("run unshare");
    assert!(!matches!(out.status.code(), Some(97 | 98)), "namespace setup failed: {}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "the binary panicked: {err}");
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The socket modes the engine logged, in order (`Raw` / `Datagram`).
fn socket_modes(o: &Output) -> Vec<String> {
    stderr(o)
        .lines()
        .filter(|l| l.contains("opened ICMP socket"))
        .map(|l| l.split("mode=").nth(1).unwrap_or("?").split_whitespace().next().unwrap_or("?").to_owned())
        .collect()
}

/// `ADDR: N/N replies, rtt ... loss 0%`, one line per address, in order.
fn assert_all_replied(o: &Output, addrs: &[&str], count: u32) {
    assert_eq!(o.status.code(), Some(0), "stdout: {}\nstderr: {}", stdout(o), stderr(o));
    let out = stdout(o);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), addrs.len(), "{out}");
    for (line, addr) in lines.iter().zip(addrs) {
        let head = format!("{addr}: {count}/{count} replies, rtt min/avg/max/jitter = ");
        assert!(line.starts_with(&head) && line.ends_with(" ms, loss 0%"), "{line:?}");
    }
}

/// The refusal a user gets: it names both fixes.
fn assert_refused_with_both_fixes(o: &Output) -> String {
    assert_refused(o, &["net.ipv4.ping_group_range", SYSCTL_FIX, SETCAP_FIX])
}

/// Exit 1, nothing on stdout, one `error:` line on stderr (besides the debug
/// log) of the permission kind that contains every `needle`. Returns it.
fn assert_refused(o: &Output, needles: &[&str]) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert!(o.stdout.is_empty(), "nothing may be printed: {}", stdout(o));
    let errors: Vec<_> = err.lines().filter(|l| !l.contains(" DEBUG ")).collect();
    assert_eq!(errors.len(), 1, "one error line expected: {err:?}");
    let line = errors[0];
    assert!(line.starts_with("error: ICMP needs privileges") && line.ends_with("(permission)"), "{line}");
    for needle in needles {
        assert!(line.contains(needle), "{needle:?} not in {line:?}");
    }
    assert!(socket_modes(o).is_empty(), "no socket may be opened: {err}");
    line.to_owned()
}

/// The range the refusal tells the user to set, e.g. `0 2147483647`.
fn advised_range(refusal: &str) -> String {
    let rest = refusal.split(SYSCTL_FIX).nth(1).expect("sysctl fix");
    rest.split('"').next().expect("closing quote").to_owned()
}

#[test]
fn user_in_ping_group_range_pings_v4_and_v6_over_datagram_sockets() {
    require_root_and_netns!("user_in_ping_group_range_pings_v4_and_v6_over_datagram_sockets");
    let bin = Bin::copy();
    let args = ["ping", "127.0.0.1", "::1", "-c", "3", "-i", "20"];
    // Exactly nobody's gid: the effective gid is what the kernel matches.
    let o = run_in_netns(&bin.path, &format!("{NOBODY} {NOBODY}"), As::Nobody(&[]), &args);
    assert_all_replied(&o, &["127.0.0.1", "::1"], 3);
    assert_eq!(socket_modes(&o), ["Datagram", "Datagram"], "{}", stderr(&o));

    // A supplementary group inside the range is enough too.
    let o = run_in_netns(&bin.path, "4242 4242", As::Nobody(&[4242]), &args);
    assert_all_replied(&o, &["127.0.0.1", "::1"], 3);
    assert_eq!(socket_modes(&o), ["Datagram", "Datagram"], "{}", stderr(&o));
}

#[test]
fn user_outside_ping_group_range_is_refused_naming_both_fixes_and_the_sysctl_fix_works() {
    require_root_and_netns!("user_outside_ping_group_range_is_refused_naming_both_fixes_and_the_sysctl_fix_works");
    let bin = Bin::copy();
    let ping = ["ping", "127.0.0.1", "::1", "-c", "2", "-i", "20"];
    // The kernel default, and a range that just misses nobody's gid.
    for range in ["1 0", &format!("0 {}", NOBODY - 1)] {
        let o = run_in_netns(&bin.path, range, As::Nobody(&[]), &ping);
        let refusal = assert_refused_with_both_fixes(&o);
        assert!(refusal.contains(&format!("uid {NOBODY}")), "{refusal}");
        assert!(refusal.contains(&format!("(\"{range}\")")), "the current value is shown: {refusal}");
        let o = run_in_netns(&bin.path, range, As::Nobody(&[]), &["sweep", "127.0.0.0/29"]);
        assert_refused_with_both_fixes(&o);
    }

    // --json: the structured error on stdout, still exit 1.
    let o = run_in_netns(&bin.path, "1 0", As::Nobody(&[]), &["ping", "::1", "-c", "1", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    assert_eq!(v["error"]["kind"], "permission", "{v}");
    assert!(v["error"]["detail"].as_str().is_some_and(|d| d.contains(SYSCTL_FIX) && d.contains(SETCAP_FIX)), "{v}");

    // Following the advice literally makes the same command work.
    let refusal = assert_refused_with_both_fixes(&run_in_netns(&bin.path, "1 0", As::Nobody(&[]), &ping));
    let fixed = advised_range(&refusal);
    let o = run_in_netns(&bin.path, &fixed, As::Nobody(&[]), &ping);
    assert_all_replied(&o, &["127.0.0.1", "::1"], 2);
    assert_eq!(socket_modes(&o), ["Datagram", "Datagram"], "advised range {fixed:?}: {}", stderr(&o));
}

#[test]
fn user_sweep_over_datagram_sockets_finds_the_loopback_hosts() {
    require_root_and_netns!("user_sweep_over_datagram_sockets_finds_the_loopback_hosts");
    let bin = Bin::copy();
    let o = run_in_netns(&bin.path, "0 2147483647", As::Nobody(&[]), &["sweep", "127.0.0.0/29", "::1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A /29 has 6 hosts; the namespace's lo answers all of 127/8, and ::1.
    let want: Vec<String> = (1..=6).map(|i| format!("127.0.0.{i}")).chain(["::1".to_owned()]).collect();
    assert_eq!(stdout(&o).lines().collect::<Vec<_>>(), want, "{}", stderr(&o));
    // A ping socket per family, or two per family on a machine with two
    // cores (one per sender thread).
    let modes = socket_modes(&o);
    assert!(matches!(modes.len(), 2 | 4) && modes.iter().all(|m| m == "Datagram"), "{modes:?}: {}", stderr(&o));

    let o = run_in_netns(&bin.path, "0 2147483647", As::Nobody(&[]), &["sweep", "127.0.0.0/29", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    assert_eq!((v["total"].as_u64(), v["sendErrors"].as_u64()), (Some(6), Some(0)), "{v}");
    assert_eq!(v["alive"].as_array().map(Vec::len), Some(6), "{v}");
}

/// A container may drop CAP_NET_RAW even for uid 0: root then needs the
/// sysctl like any user, and must be told so.
#[test]
fn root_without_cap_net_raw_falls_back_to_datagram_or_is_refused() {
    require_root_and_netns!("root_without_cap_net_raw_falls_back_to_datagram_or_is_refused");
    let bin = Bin::copy();
    let ping = ["ping", "127.0.0.1", "::1", "-c", "2", "-i", "20"];
    let o = run_in_netns(&bin.path, "0 0", As::RootWithoutNetRaw, &ping);
    assert_all_replied(&o, &["127.0.0.1", "::1"], 2);
    assert_eq!(socket_modes(&o), ["Datagram", "Datagram"], "{}", stderr(&o));

    let o = run_in_netns(&bin.path, "1 0", As::RootWithoutNetRaw, &ping);
    // Root is told to get CAP_NET_RAW back, not to "run as root".
    let refusal = assert_refused(&o, &["uid 0 ", SYSCTL_FIX, "lacks CAP_NET_RAW", "--cap-add=NET_RAW"]);
    assert!(!refusal.contains("run as root"), "{refusal}");
}

/// The other fix the refusal names: `setcap cap_net_raw+ep` on the binary
/// gives a plain user raw sockets even where the sysctl says nobody.
#[test]
fn setcap_binary_run_by_a_user_uses_raw_sockets() {
    require_root_and_netns!("setcap_binary_run_by_a_user_uses_raw_sockets");
    let bin = Bin::copy();
    // File capabilities are ignored on a nosuid mount.
    let mount = Command::new("findmnt").args(["-n", "-o", "OPTIONS", "--target"]).arg(&bin.path).output();
    if mount.as_ref().map_or(true, |o| String::from_utf8_lossy(&o.stdout).split(',').any(|f| f.trim() == "nosuid")) {
        eprintln!("SKIP setcap_binary_run_by_a_user_uses_raw_sockets: temp dir is nosuid (or findmnt failed)");
        return;
    }
    let setcap = Command::new("setcap").args(["cap_net_raw+ep"]).arg(&bin.path).output();
    match setcap {
        Ok(o) if o.status.success() => {}
        // libcap2-bin is not a declared dependency, and some file systems
        // refuse file capabilities: then this fix cannot be shown here.
        other => {
            eprintln!("SKIP setcap_binary_run_by_a_user_uses_raw_sockets: setcap unavailable or refused: {other:?}");
            return;
        }
    }
    let o = run_in_netns(&bin.path, "1 0", As::Nobody(&[]), &["ping", "127.0.0.1", "::1", "-c", "2", "-i", "20"]);
    assert_all_replied(&o, &["127.0.0.1", "::1"], 2);
    assert_eq!(socket_modes(&o), ["Raw", "Raw"], "{}", stderr(&o));
}
