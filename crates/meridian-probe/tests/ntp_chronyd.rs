//! The NTP client against a real chronyd on loopback (`local stratum 8`,
//! started with `-x`, so the system clock is never touched): a reading,
//! then chronyd stopped (timeouts, the reach register empties), then
//! started again (reachable once more).

use std::time::Duration;

use meridian_core::clock::ntp_alarms::{ntp_alarms, NtpStatus, NtpThresholds};
use meridian_core::clock::problem;
use meridian_core::ids::DeviceId;
use meridian_core::ntp::{Leap, Reach};
use meridian_probe::ntp::{NtpClient, UdpNtpClient};
use meridian_probe::{ProbeError, RetryPolicy};
use meridian_testkit::Chronyd;

#[tokio::test]
async fn chronyd_answers_goes_silent_and_comes_back() {
    let mut chronyd = Chronyd::start().expect("start chronyd");
    let client = UdpNtpClient::new(RetryPolicy { timeout: Duration::from_millis(300), attempts: 2 });
    let mut reach = Reach::default();

    let r = client.query(chronyd.addr()).await.expect("chronyd answers");
    reach = reach.after_poll(true);
    assert_eq!((r.stratum, r.leap, r.version), (8, Leap::None, 4));
    assert_eq!(r.reference_id.to_string(), "127.127.1.1", "chronyd's local reference");
    // Same host, same clock: offset and delay are tiny but real numbers.
    assert!(r.offset_s.abs() < 0.1, "offset {} s", r.offset_s);
    assert!(r.delay_s >= 0.0 && r.delay_s < 0.5, "delay {} s", r.delay_s);
    assert!(r.root_dispersion_s >= 0.0 && r.root_delay_s >= 0.0);
    assert!(reach.reachable());
    // Core judges the reading: nothing to raise.
    let device = DeviceId::from_uuid(uuid::Uuid::from_u128(2));
    let problems = |s: &NtpStatus| -> Vec<String> {
        ntp_alarms(device, s, &NtpThresholds::default()).into_iter().map(|a| a.specific_problem).collect()
    };
    let mut status = NtpStatus { polls: 1, reach, last: Some(r) };
    assert!(problems(&status).is_empty(), "{:?}", problems(&status));

    chronyd.stop();
    for _ in 0..8 {
        let err = client.query(chronyd.addr()).await.expect_err("chronyd is stopped");
        assert!(matches!(err, ProbeError::NtpTimeout { attempts: 2, .. }), "{err}");
        reach = reach.after_poll(false);
    }
    assert!(!reach.reachable(), "eight unanswered polls empty the register ({})", reach.octal());
    status = NtpStatus { polls: 9, reach, ..status };
    assert_eq!(problems(&status), [problem::NTP_UNREACHABLE]);

    chronyd.resume().expect("start chronyd again");
    let again = client.query(chronyd.addr()).await.expect("answers again");
    reach = reach.after_poll(true);
    assert_eq!(reach.octal(), "1");
    status = NtpStatus { polls: 10, reach, last: Some(again) };
    assert!(problems(&status).is_empty(), "unreachable clears: {:?}", problems(&status));
    assert_eq!(client.decode_counters().total(), 0, "chronyd sent nothing we rejected");
}
