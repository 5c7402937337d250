//! A watched NTP server: samples from answers, "unreachable" only once the
//! reach register is empty, and cleared by the next answer.

use meridian_core::clock::ntp_alarms::NtpThresholds;
use meridian_core::clock::ntp_watch::NtpWatch;
use meridian_core::metric::Builtin;
use meridian_core::ntp::{Leap, NtpReading, ReferenceId};
use meridian_core::state::Action;
use meridian_core::DeviceId;
use uuid::Uuid;

fn reading(offset_s: f64) -> NtpReading {
    NtpReading {
        offset_s,
        delay_s: 0.0004,
        stratum: 8,
        reference_id: ReferenceId { raw: 0x7f7f_0101, stratum: 8 },
        leap: Leap::None,
        root_delay_s: 0.0,
        root_dispersion_s: 0.0,
        version: 4,
        poll: 6,
        precision: -20,
    }
}

#[test]
fn unreachable_after_eight_silent_polls_and_cleared_by_an_answer() {
    let mut w = NtpWatch::new(DeviceId::from_uuid(Uuid::from_u128(1)), NtpThresholds::default());
    let (samples, actions) = w.poll(Some(reading(0.0015)));
    assert!(actions.is_empty());
    let offset = samples.iter().find(|s| s.key.metric == Builtin::NtpOffsetMs.into()).expect("offset");
    assert!((offset.value - 1.5).abs() < 1e-9 && offset.unit == "ms");
    let reach = |samples: &[meridian_core::metric::NamedSample]| {
        let only: Vec<_> = samples.iter().map(|s| (s.key.metric.clone(), s.value)).collect();
        match &only[..] {
            [(m, v)] if *m == Builtin::NtpReach.into() => *v as u8,
            _ => panic!("an unanswered poll writes the reach register only: {samples:?}"),
        }
    };
    for i in 0..7u8 {
        let (samples, actions) = w.poll(None);
        assert!(actions.is_empty(), "poll {i}: still reachable ({:o})", w.reach().0);
        // 1, then shifted left with zeros: 0b10, 0b100 ...
        assert_eq!(reach(&samples), 1 << (i + 1), "poll {i}");
    }
    let (samples, actions) = w.poll(None);
    assert_eq!(reach(&samples), 0, "eight silent polls empty it");
    assert!(matches!(&actions[..], [Action::RaiseAlarm(s)] if s.specific_problem == "ntpUnreachable"), "{actions:?}");
    assert!(w.poll(None).1.is_empty(), "raised once");
    let (_, actions) = w.poll(Some(reading(0.2)));
    // Back, but 200 ms off: unreachable clears, the offset alarm raises.
    assert!(matches!(&actions[0], Action::ClearAlarm(k) if k.specific_problem == "ntpUnreachable"), "{actions:?}");
    assert!(matches!(&actions[1], Action::RaiseAlarm(s) if s.specific_problem == "ntpOffsetExceeded"), "{actions:?}");
    assert!(matches!(&w.retire()[..], [Action::ClearAlarm(_)]));
}
