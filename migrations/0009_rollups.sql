-- History tiers (meridian-core::rollup): samples rolled up into 5-minute,
-- 1-hour and 1-day buckets, one table per tier so retention deletes and size
-- figures stay per tier. A row keeps what merges exactly into coarser
-- buckets: count, sum, min, max, plus the last value and when it was taken.
-- Like samples, series_id is not a foreign key (see 0001).
CREATE TABLE rollup_5m (
    series_id  bigint NOT NULL,
    bucket     timestamptz NOT NULL,
    n          bigint NOT NULL,
    sum_v      double precision NOT NULL,
    min_v      double precision NOT NULL,
    max_v      double precision NOT NULL,
    last_v     double precision NOT NULL,
    last_at    timestamptz NOT NULL,
    PRIMARY KEY (series_id, bucket)
);
CREATE INDEX rollup_5m_bucket_brin ON rollup_5m USING brin (bucket);

CREATE TABLE rollup_1h (LIKE rollup_5m INCLUDING ALL);
CREATE INDEX rollup_1h_bucket_brin ON rollup_1h USING brin (bucket);

CREATE TABLE rollup_1d (LIKE rollup_5m INCLUDING ALL);
CREATE INDEX rollup_1d_bucket_brin ON rollup_1d USING brin (bucket);

-- Per tier, every bucket starting before done_until is final; the rollup
-- job rebuilds buckets from there on, so a run cut short repeats work but
-- never counts a sample twice.
CREATE TABLE rollup_watermarks (
    tier        text PRIMARY KEY CHECK (tier IN ('5m', '1h', '1d')),
    done_until  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- Device availability per tier bucket, built by the same job from the
-- monitor's device.state changes in event_log: seconds in a known state and,
-- of those, seconds up (Up or Degraded). Seconds, so periods are sums.
CREATE TABLE state_rollups (
    width_secs  integer NOT NULL CHECK (width_secs IN (300, 3600, 86400)),
    device_id   uuid NOT NULL,
    bucket      timestamptz NOT NULL,
    up_secs     bigint NOT NULL,
    known_secs  bigint NOT NULL,
    PRIMARY KEY (width_secs, device_id, bucket)
);
CREATE INDEX state_rollups_bucket_idx ON state_rollups (width_secs, bucket);
-- The job reads state changes by time; other log entries far outnumber them.
CREATE INDEX event_log_device_state_idx ON event_log (at) WHERE action = 'device.state';
