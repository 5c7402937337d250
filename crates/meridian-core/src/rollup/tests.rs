use chrono::{Duration, TimeZone};

use super::plan::plan_read;
use super::retention::Retention;
use super::*;
use crate::history::bucket_secs;

/// 2026-11-24 00:00 UTC: a whole day, so every tier's buckets start here.
fn day0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).single().expect("valid")
}

fn at(secs: i64) -> DateTime<Utc> {
    day0() + Duration::seconds(secs)
}

#[test]
fn alignment_is_to_the_epoch() {
    assert_eq!(align_down(at(299), 300), at(0));
    assert_eq!(align_down(at(300), 300), at(300));
    assert_eq!(align_down(at(3599), 3600), at(0));
    assert_eq!(align_down(at(86_399), 86_400), at(0));
    assert_eq!(align_up(at(1), 300), at(300));
    assert_eq!(align_up(at(300), 300), at(300));
    // before the epoch, still down
    let before = DateTime::from_timestamp(-1, 0).expect("valid");
    assert_eq!(align_down(before, 300).timestamp(), -300);
    // sub-second parts drop
    assert_eq!(align_down(at(0) + Duration::milliseconds(500), 300), at(0));
}

#[test]
fn aggregates_merge_like_the_samples_they_hold() {
    let values = [3.0, -1.0, 7.5, 2.0, 2.0];
    let whole = values.iter().copied().map(Agg::of).reduce(Agg::merge).expect("some");
    let (a, b) = values.split_at(2);
    let left = a.iter().copied().map(Agg::of).reduce(Agg::merge).expect("some");
    let right = b.iter().copied().map(Agg::of).reduce(Agg::merge).expect("some");
    assert_eq!(left.merge(right), whole);
    assert_eq!(whole, Agg { count: 5, sum: 13.5, min: -1.0, max: 7.5 });
    assert_eq!(whole.avg(), 2.7);
}

#[test]
fn buckets_cut_by_a_watermark_are_joined() {
    let p = |series_id, t, v| SeriesAgg { series_id, t, agg: Agg::of(v) };
    let merged = merge_buckets(vec![p(2, 0, 1.0), p(1, 7200, 4.0), p(1, 0, 2.0), p(1, 0, 6.0)]);
    assert_eq!(
        merged,
        [
            SeriesAgg { series_id: 1, t: 0, agg: Agg { count: 2, sum: 8.0, min: 2.0, max: 6.0 } },
            p(1, 7200, 4.0),
            p(2, 0, 1.0),
        ]
    );
}

#[test]
fn targets_follow_the_finer_tier() {
    let grace = Duration::minutes(2);
    let mut m = Watermarks::default();
    // 5 min: the last bucket that ended at least `grace` ago
    assert_eq!(rollup_target(Tier::FiveMin, at(3600 + 100), grace, &m), Some(at(3300)));
    assert_eq!(rollup_target(Tier::FiveMin, at(3600 + 120), grace, &m), Some(at(3600)));
    // 1 h waits for 5 min, 1 day for 1 h
    assert_eq!(rollup_target(Tier::Hour, at(99_999), grace, &m), None);
    m.set(Tier::FiveMin, Some(at(7500)));
    assert_eq!(rollup_target(Tier::Hour, at(99_999), grace, &m), Some(at(7200)));
    m.set(Tier::Hour, Some(at(7200)));
    assert_eq!(rollup_target(Tier::Day, at(99_999), grace, &m), Some(at(0)));
    assert_eq!(rollup_target(Tier::Raw, at(0), grace, &m), None);
}

#[test]
fn batches_are_bounded_and_end_on_bucket_edges() {
    let span = Duration::hours(1);
    // first run starts at the bucket holding the oldest sample
    assert_eq!(next_batch(Tier::FiveMin, None, Some(at(301)), at(86_400), span), Some((at(300), at(3900))));
    assert_eq!(next_batch(Tier::FiveMin, Some(at(3900)), None, at(5000), span), Some((at(3900), at(4800))));
    // up to date, or nothing to do
    assert_eq!(next_batch(Tier::FiveMin, Some(at(4800)), None, at(4800), span), None);
    assert_eq!(next_batch(Tier::FiveMin, None, None, at(4800), span), None);
    // a span shorter than a bucket still makes progress
    assert_eq!(next_batch(Tier::Day, Some(at(0)), None, at(86_400 * 3), Duration::hours(1)), Some((at(0), at(86_400))));
    assert_eq!(next_batch(Tier::Raw, Some(at(0)), None, at(9999), span), None);
}

#[test]
fn default_retention_and_purge_horizons() {
    let keep = Retention::default();
    assert_eq!((keep.raw_days, keep.five_min_days, keep.hour_days, keep.day_days), (7, 90, 730, None));
    keep.validate().expect("defaults are valid");
    let now = at(100 * 86_400);
    let mut m = Watermarks::default();
    // nothing rolled up yet: raw, 5 min and 1 h are all kept
    assert_eq!(keep.purge_before(Tier::Raw, now, &m), None);
    assert_eq!(keep.purge_before(Tier::Hour, now, &m), None);
    m.set(Tier::FiveMin, Some(at(99 * 86_400)));
    m.set(Tier::Hour, Some(at(5 * 86_400)));
    m.set(Tier::Day, Some(at(99 * 86_400)));
    // raw: its horizon, 7 days back
    assert_eq!(keep.purge_before(Tier::Raw, now, &m), Some(at(93 * 86_400)));
    // 5 min: the horizon is 10 days in, but 1 h has only reached day 5
    assert_eq!(keep.purge_before(Tier::FiveMin, now, &m), Some(at(5 * 86_400)));
    assert_eq!(keep.purge_before(Tier::Hour, now, &m), Some(now - Duration::days(730)));
    assert_eq!(keep.purge_before(Tier::Day, now, &m), None);
    let finite = Retention { day_days: Some(3650), ..keep };
    assert_eq!(finite.purge_before(Tier::Day, now, &m), Some(now - Duration::days(3650)));
}

fn refused(r: Retention) -> Vec<String> {
    r.validate().err().map(|e| e.fields().iter().map(|f| f.field.clone()).collect()).unwrap_or_default()
}

#[test]
fn bad_retention_names_its_fields() {
    let d = Retention::default();
    assert_eq!(refused(Retention { raw_days: 0, ..d }), ["rawDays"]);
    assert_eq!(refused(Retention { five_min_days: 3, ..d }), ["fiveMinDays"]);
    assert_eq!(refused(Retention { hour_days: 30, ..d }), ["hourDays"]);
    assert_eq!(refused(Retention { day_days: Some(100), ..d }), ["dayDays"]);
    assert_eq!(refused(Retention { day_days: Some(MAX_KEEP + 1), ..d }), ["dayDays"]);
    assert_eq!(refused(Retention { raw_days: 0, hour_days: 0, ..d }), ["rawDays", "hourDays"]);
    // equal is fine, and so is keeping every tier the same
    assert_eq!(refused(Retention { raw_days: 30, five_min_days: 30, hour_days: 30, day_days: Some(30) }), [""; 0]);
    // a stored value with an unknown field is not read as defaults
    assert!(serde_json::from_str::<Retention>(r#"{"rawDays":7,"fiveMinDays":90,"hourDays":730,"dayDays":null,"x":1}"#)
        .is_err());
}

const MAX_KEEP: u32 = super::retention::MAX_KEEP_DAYS;

/// The tier a chart of `span` with the UI's usual 500 points reads, with
/// every tier built up to `now`.
fn tier_for(span: Duration) -> (Tier, i64) {
    let now = at(400 * 86_400);
    let mut m = Watermarks::default();
    for t in Tier::ROLLUPS {
        m.set(t, Some(align_down(now, t.width_secs().expect("rollup"))));
    }
    let from = now - span;
    let p = plan_read(from, now, bucket_secs(span.num_seconds(), 500), now, &Retention::default(), &m);
    (p.tier, p.bucket_secs)
}

#[test]
fn charts_read_the_coarsest_tier_that_fits() {
    assert_eq!(tier_for(Duration::hours(1)), (Tier::Raw, 10));
    assert_eq!(tier_for(Duration::days(1)), (Tier::FiveMin, 300));
    assert_eq!(tier_for(Duration::days(30)), (Tier::Hour, 7200));
    assert_eq!(tier_for(Duration::days(365)), (Tier::Day, 86_400));
}

#[test]
fn ranges_past_a_tier_s_retention_read_a_coarser_one() {
    let now = at(400 * 86_400);
    let keep = Retention::default();
    let m = Watermarks::default();
    // an hour, but 10 days ago: raw is gone, buckets widen to 5 min
    let from = now - Duration::days(10);
    let p = plan_read(from, from + Duration::hours(1), 10, now, &keep, &m);
    assert_eq!((p.tier, p.bucket_secs), (Tier::FiveMin, 300));
    // 2,000 points over 300 days: 5 min no longer holds the start
    let p = plan_read(now - Duration::days(300), now, bucket_secs(300 * 86_400, 2000), now, &keep, &m);
    assert_eq!((p.tier, p.bucket_secs), (Tier::Hour, 21_600));
    // older than every finite tier: the 1-day tier
    let p = plan_read(
        now - Duration::days(399),
        now - Duration::days(398),
        10,
        now,
        &Retention { hour_days: 300, ..keep },
        &m,
    );
    assert_eq!((p.tier, p.bucket_secs), (Tier::Day, 86_400));
}

#[test]
fn reads_fall_back_to_finer_tiers_past_the_watermarks() {
    use super::plan::Segment;
    let now = at(40 * 86_400 + 5000);
    let mut m = Watermarks::default();
    m.set(Tier::FiveMin, Some(at(40 * 86_400 + 4500)));
    m.set(Tier::Hour, Some(at(40 * 86_400 + 3600)));
    m.set(Tier::Day, Some(at(40 * 86_400)));
    let from = at(10 * 86_400 + 100);
    let p = plan_read(from, now, 7200, now, &Retention::default(), &m);
    assert_eq!(p.tier, Tier::Hour);
    assert_eq!(
        p.segments,
        [
            // whole first bucket
            Segment { source: Tier::Hour, from: at(10 * 86_400), to: at(40 * 86_400 + 3600) },
            Segment { source: Tier::FiveMin, from: at(40 * 86_400 + 3600), to: at(40 * 86_400 + 4500) },
            Segment { source: Tier::Raw, from: at(40 * 86_400 + 4500), to: now },
        ]
    );
    // a tier never built: the whole range from finer ones
    let mut m2 = m;
    m2.set(Tier::Hour, None);
    let p = plan_read(from, now, 7200, now, &Retention::default(), &m2);
    assert_eq!(p.segments[0], Segment { source: Tier::FiveMin, from: at(10 * 86_400), to: at(40 * 86_400 + 4500) });
    assert_eq!(p.segments.len(), 2);
    // raw only: one segment, exactly the range
    let p = plan_read(now - Duration::hours(1), now, 10, now, &Retention::default(), &m);
    assert_eq!(p.segments, [Segment { source: Tier::Raw, from: now - Duration::hours(1), to: now }]);
}

#[test]
fn time_up_is_split_at_bucket_edges_and_unknown_counts_neither_way() {
    use super::state::{state_buckets, StateTime};
    use crate::state::DeviceState::{Degraded, Down, Unknown, Up};
    // Up all day but for a 30-minute outage from 10:00: 97.92 % up.
    let changes = [(at(10 * 3600), Down), (at(10 * 3600 + 1800), Up)];
    let day = state_buckets(Some(Up), &changes, at(0), at(86_400), 86_400);
    assert_eq!(day, [(at(0), StateTime { up_secs: 86_400 - 1800, known_secs: 86_400 })]);
    let pct = day[0].1.up_fraction().expect("known") * 100.0;
    assert_eq!(format!("{pct:.2}"), "97.92");
    // The same in 5-minute buckets: six buckets down, the rest up, and their
    // sum is the day's.
    let five = state_buckets(Some(Up), &changes, at(0), at(86_400), 300);
    assert_eq!(five.len(), 288);
    assert_eq!(five.iter().filter(|(_, t)| t.up_secs == 0).count(), 6);
    let sum = five.iter().fold(StateTime::default(), |a, (_, t)| a.merge(*t));
    assert_eq!(sum, day[0].1);
    // A change mid-bucket splits it; Degraded is up; Unknown is not known.
    let mixed = [(at(100), Down), (at(200), Degraded), (at(250), Unknown)];
    assert_eq!(
        state_buckets(Some(Up), &mixed, at(0), at(600), 300),
        [(at(0), StateTime { up_secs: 100 + 50, known_secs: 250 })]
    );
    // Nothing logged yet: nothing known; changes before the range set the start.
    assert!(state_buckets(None, &[], at(0), at(600), 300).is_empty());
    let earlier = [(at(-50), Down), (at(900), Up)];
    assert_eq!(
        state_buckets(Some(Up), &earlier, at(0), at(600), 300),
        [(at(0), StateTime { up_secs: 0, known_secs: 300 }), (at(300), StateTime { up_secs: 0, known_secs: 300 })]
    );
}

#[test]
fn periods_read_the_coarsest_tier_that_tiles_them() {
    use super::state::tier_for_period;
    assert_eq!(tier_for_period(at(0), at(86_400)), Tier::Day);
    assert_eq!(tier_for_period(at(3600), at(86_400)), Tier::Hour);
    assert_eq!(tier_for_period(at(300), at(3600)), Tier::FiveMin);
    assert_eq!(tier_for_period(at(1), at(3600)), Tier::FiveMin);
}
