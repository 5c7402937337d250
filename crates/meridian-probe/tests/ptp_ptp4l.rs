//! The management client against real LinuxPTP: a ptp4l master and slave in
//! two network namespaces joined by veth (`meridian_testkit::Ptp4lLab`),
//! queried over their UNIX sockets (pathname sockets cross network
//! namespaces, so the test process needs no `setns`; it is also the only
//! transport on which ptp4l accepts SET). Needs root; skips otherwise.
//!
//! ptp4l 3.1.1 with `free_running 1` never locks its servo, so the slave's
//! port stays UNCALIBRATED instead of reaching SLAVE (linuxptp 4.x reports
//! SLAVE); either means it follows the master, and the checks accept both.

use std::time::Duration;

use chrono::Utc;
use meridian_core::clock::problem;
use meridian_core::clock::ptp_alarms::{ptp_alarms, PtpEvent, PtpThresholds, PtpTracker};
use meridian_core::clock::ptp_tree::{ptp_tree, ClockLink};
use meridian_core::ids::DeviceId;
use meridian_core::ptp::{PortState, TimeStatusNp};
use meridian_probe::ptp::{
    Dataset, ManagementId, PtpClient, PtpEndpoint, PtpManagementClient, PtpSnapshot, RetryPolicy,
};
use meridian_probe::ProbeError;
use meridian_testkit::{is_root, Ptp4lLab};
use tokio::time::{sleep, Instant};

fn client(lab: &Ptp4lLab, server: &std::path::Path) -> PtpManagementClient {
    let endpoint = PtpEndpoint::Unix { server: server.to_path_buf(), client_dir: lab.dir().to_path_buf() };
    PtpManagementClient::open(&endpoint, 0, RetryPolicy::default()).expect("bind client socket")
}

fn following(state: PortState) -> bool {
    matches!(state, PortState::Slave | PortState::Uncalibrated)
}

/// Polls `probe` every 250 ms until it returns Some, for at most `limit`.
async fn poll_until<T, F, Fut>(limit: Duration, mut probe: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(v) = probe().await {
            return Some(v);
        }
        sleep(Duration::from_millis(250)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slave_follows_master_sees_priority_change_and_loses_it() {
    if !is_root() {
        eprintln!("SKIP: ptp4l lab needs root (network namespaces)");
        return;
    }
    let mut lab = Ptp4lLab::start().expect("start ptp4l lab");
    let master = client(&lab, lab.master_socket());
    let slave = client(&lab, lab.slave_socket());

    let Dataset::DefaultDataSet(mdef) = master.get(ManagementId::DefaultDataSet).await.expect("master default") else {
        panic!("master answered another data set")
    };
    assert!(!mdef.clock_identity.is_zero());

    // The slave picks the master after announce receipt (3 x 2 s); bounded at 30 s.
    let snap: PtpSnapshot = poll_until(Duration::from_secs(30), || async {
        let s = slave.snapshot().await.ok()?;
        (following(s.port.state)
            && s.parent.grandmaster_identity == mdef.clock_identity
            && s.current.mean_path_delay_ns > 0.0)
            .then_some(s)
    })
    .await
    .unwrap_or_else(|| panic!("slave never followed the master\n{}", lab.logs()));
    assert_eq!(snap.parent.parent_port.clock, mdef.clock_identity);
    assert_eq!(snap.current.steps_removed, 1);
    assert!(snap.current.offset_from_master_ns.is_finite());
    assert!(snap.current.mean_path_delay_ns < 1e9, "path delay {} ns", snap.current.mean_path_delay_ns);
    assert!(snap.default.slave_only);
    let TimeStatusNp { gm_present, gm_identity, .. } = snap.time_status;
    assert!(gm_present && gm_identity == mdef.clock_identity);
    let Dataset::PortStatsNp(stats) = slave.get(ManagementId::PortStatsNp).await.expect("port stats") else {
        panic!("port stats")
    };
    assert!(stats.rx[0xb] > 0, "announces received");

    // Core judges the reading: following (UNCALIBRATED accepted for a
    // free-running client) and a 1 ms offset limit (software timestamps on
    // one host's clock), so nothing is raised.
    let device = DeviceId::from_uuid(uuid::Uuid::from_u128(1));
    let lenient = PtpThresholds { offset_ns: 1e6, uncalibrated_is_synced: true, ..Default::default() };
    let alarms = ptp_alarms(device, &snap.status(), &lenient);
    assert!(alarms.is_empty(), "{alarms:?}");

    // priority1 through pmc SET on the master's socket reaches the slave in an Announce.
    lab.pmc(lab.master_socket(), "SET PRIORITY1 100").expect("pmc SET");
    let seen = poll_until(Duration::from_secs(10), || async {
        let s = slave.snapshot().await.ok()?;
        (s.parent.grandmaster_priority1 == 100).then_some(())
    })
    .await;
    assert!(seen.is_some(), "slave never saw priority1 100\n{}", lab.logs());

    // And our own SET encoder: the master takes priority1 90 and says so.
    let set = master.set(ManagementId::Priority1, vec![90, 0]).await.expect("SET PRIORITY1");
    assert_eq!(set, Dataset::Priority1(90));
    let Dataset::DefaultDataSet(d) = master.get(ManagementId::DefaultDataSet).await.expect("default") else {
        panic!("default")
    };
    assert_eq!(d.priority1, 90);

    // A subscriber of its own for pushed port-state changes.
    let events = client(&lab, lab.slave_socket());
    events.subscribe(60, false).await.expect("SUBSCRIBE_EVENTS_NP");

    // Kill the master: within 10 s (announce receipt timeout: 3 x 2 s) the
    // slave's port leaves UNCALIBRATED/SLAVE. A slave-only ptp4l 3.1.1 keeps
    // the old grandmaster in its PARENT_DATA_SET (it never takes the
    // grandmaster role itself), so the port state is what tells.
    lab.kill_master();
    let lost = poll_until(Duration::from_secs(10), || async {
        let s = slave.snapshot().await.ok()?;
        (!following(s.port.state)).then_some(s)
    })
    .await
    .unwrap_or_else(|| panic!("slave still follows a dead master\n{}", lab.logs()));
    assert!(matches!(lost.port.state, PortState::Listening | PortState::Faulty), "{:?}", lost.port.state);
    // ptp4l pushed the same change to the subscriber (bounded: 5 s more).
    let pushed = events.next_event(Duration::from_secs(5)).await.expect("notification socket");
    let Some(Dataset::PortDataSet(p)) = pushed else { panic!("no port-state notification: {pushed:?}") };
    assert_eq!(p.state, lost.port.state, "the pushed state is the polled one");
    let alarms = ptp_alarms(device, &lost.status(), &lenient);
    let problems: Vec<_> = alarms.iter().map(|a| a.specific_problem.as_str()).collect();
    assert_eq!(problems, [problem::PTP_LOSS_OF_SYNC], "loss of sync raised from the real reading");

    // The dead master's socket is gone: a clear error naming it, not a hang.
    let err = master.get(ManagementId::DefaultDataSet).await.expect_err("master is dead");
    assert!(matches!(err, ProbeError::PtpUnavailable { .. }), "{err}");
    assert!(err.to_string().contains(&lab.master_socket().display().to_string()), "{err}");
    assert_eq!(slave.decode_counters().total(), 0, "ptp4l sent nothing we rejected");
}

/// Runs `f` on a thread that has entered network namespace `ns` (setns
/// changes only the calling thread), with its own current-thread runtime,
/// so the sockets it opens live in that namespace.
fn in_namespace<T: Send + 'static>(
    ns: &str,
    f: impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = T>>> + Send + 'static,
) -> T {
    let path = format!("/var/run/netns/{ns}");
    std::thread::spawn(move || {
        let file = std::fs::File::open(&path).expect("open netns");
        nix::sched::setns(&file, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(f())
    })
    .join()
    .expect("namespace thread")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn management_over_udp_from_the_masters_namespace() {
    if !is_root() {
        eprintln!("SKIP: ptp4l lab needs root (network namespaces)");
        return;
    }
    let lab = Ptp4lLab::start().expect("start ptp4l lab");
    let slave = client(&lab, lab.slave_socket());
    let master = client(&lab, lab.master_socket());
    let Dataset::DefaultDataSet(sdef) = slave.get(ManagementId::DefaultDataSet).await.expect("slave default") else {
        panic!("default")
    };
    let Dataset::DefaultDataSet(mdef) = master.get(ManagementId::DefaultDataSet).await.expect("master default") else {
        panic!("default")
    };
    let followed = poll_until(Duration::from_secs(30), || async {
        let s = slave.snapshot().await.ok()?;
        (s.parent.parent_port.clock == mdef.clock_identity).then_some(())
    })
    .await;
    assert!(followed.is_some(), "slave never followed the master\n{}", lab.logs());

    // From the master's namespace, over the veth: ask the slave at its address.
    let [maddr, saddr] = lab.addresses;
    let device = lab.interfaces[0].clone();
    let (def, port, dead, all) = in_namespace(lab.namespace(0), move || {
        Box::pin(async move {
            let policy = RetryPolicy { timeout: Duration::from_millis(500), attempts: 2 };
            let endpoint = PtpEndpoint::Udp {
                interface: maddr,
                device: Some(device.clone()),
                remote: (saddr, meridian_probe::ptp::PTP_GENERAL_PORT).into(),
            };
            let udp = PtpManagementClient::open(&endpoint, 0, policy).expect("bind udp 320");
            let def = udp.get(ManagementId::DefaultDataSet).await;
            let port = udp.get(ManagementId::PortDataSet).await;
            drop(udp);
            // An address in our own namespace's subnet where nothing answers.
            let nobody = std::net::Ipv4Addr::new(saddr.octets()[0], saddr.octets()[1], saddr.octets()[2], 3);
            let endpoint =
                PtpEndpoint::Udp { interface: maddr, device: Some(device.clone()), remote: (nobody, 320).into() };
            let quiet = RetryPolicy { timeout: Duration::from_millis(200), attempts: 2 };
            let dead =
                PtpManagementClient::open(&endpoint, 0, quiet).expect("bind").get(ManagementId::DefaultDataSet).await;
            // One GET to the primary multicast group: every clock on the
            // segment answers (here the slave; our own ptp4l does not hear
            // its namespace's outgoing multicast).
            let endpoint = PtpEndpoint::Udp {
                interface: maddr,
                device: Some(device.clone()),
                remote: (meridian_probe::ptp::PTP_PRIMARY_MULTICAST, 320).into(),
            };
            let all = PtpManagementClient::open(&endpoint, 0, quiet)
                .expect("bind multicast")
                .get_all(ManagementId::ParentDataSet, Duration::from_secs(1))
                .await;
            (def, port, dead, all)
        })
    });
    let Dataset::DefaultDataSet(def) = def.expect("GET over UDP") else { panic!("default over udp") };
    assert_eq!(def.clock_identity, sdef.clock_identity, "the slave answered over UDP");
    let Dataset::PortDataSet(port) = port.expect("GET PORT_DATA_SET over UDP") else { panic!("port") };
    assert_eq!(port.port.clock, sdef.clock_identity);
    assert!(matches!(dead, Err(ProbeError::PtpTimeout { attempts: 2, .. })), "{dead:?}");

    // The multicast sweep found the slave and, through its parent port, the master above it.
    let all = all.expect("multicast GET");
    assert_eq!(all.len(), 1, "{all:?}");
    let (who, Dataset::ParentDataSet(parent)) = &all[0] else { panic!("{all:?}") };
    assert_eq!(who.clock, sdef.clock_identity);
    assert_eq!(parent.parent_port.clock, mdef.clock_identity, "the slave's parent is the master");

    // The tree core draws from it: the grandmaster above the slave.
    let links = [
        ClockLink { clock: mdef.clock_identity, parent: None },
        ClockLink { clock: who.clock, parent: Some(parent.parent_port.clock) },
    ];
    let tree = ptp_tree(&links);
    assert_eq!(tree.len(), 1);
    assert_eq!(tree[0].clock, mdef.clock_identity);
    assert_eq!(tree[0].children.iter().map(|c| c.clock).collect::<Vec<_>>(), [sdef.clock_identity]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn priority1_made_worse_on_the_master_changes_the_grandmaster() {
    if !is_root() {
        eprintln!("SKIP: ptp4l lab needs root (network namespaces)");
        return;
    }
    // The slave may win the BMCA here (no slaveOnly), with its priority1 128.
    let lab = Ptp4lLab::start_with(false).expect("start ptp4l lab");
    let master = client(&lab, lab.master_socket());
    let slave = client(&lab, lab.slave_socket());
    let Dataset::DefaultDataSet(mdef) = master.get(ManagementId::DefaultDataSet).await.expect("master default") else {
        panic!("default")
    };
    let mut tracker = PtpTracker::default();
    let baseline = poll_until(Duration::from_secs(30), || async {
        let s = slave.snapshot().await.ok()?;
        (following(s.port.state) && s.parent.grandmaster_identity == mdef.clock_identity).then_some(s)
    })
    .await
    .unwrap_or_else(|| panic!("slave never followed the master\n{}", lab.logs()));
    assert!(tracker.update(&baseline.status(), Utc::now()).is_empty());

    lab.pmc(lab.master_socket(), "SET PRIORITY1 200").expect("pmc SET");
    let own = baseline.default.clock_identity;
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline && !events.iter().any(|e| matches!(e, PtpEvent::GrandmasterChanged { .. })) {
        if let Ok(s) = slave.snapshot().await {
            events.extend(tracker.update(&s.status(), Utc::now()));
        }
        sleep(Duration::from_millis(250)).await;
    }
    let change = events.iter().find(|e| matches!(e, PtpEvent::GrandmasterChanged { .. }));
    assert!(
        matches!(change, Some(PtpEvent::GrandmasterChanged { from, to, .. }) if *from == mdef.clock_identity && *to == own),
        "{events:?}"
    );
}
