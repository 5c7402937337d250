-- Raw samples partitioned by time (issue 15), so raw retention drops whole
-- days instead of deleting rows one by one. Daily partitions
-- (samples_pYYYYMMDD, [00:00, 24:00) UTC) are created a few days ahead by the
-- store (`partitions.rs`: at open and by the rollup job); rows outside every
-- daily partition land in the DEFAULT partition.
--
-- Existing rows are not copied: the old table becomes the DEFAULT partition
-- as it is (ATTACH of a DEFAULT with no sibling partitions checks nothing),
-- and its two indexes are attached to the partitioned ones, which match them,
-- so an upgrade costs catalog changes only, whatever the table's size. The
-- DEFAULT empties as raw retention deletes its rows.
--
-- Number 0013 was reserved for this and runs after 0014..0025 on stores that
-- already have those: sqlx applies every migration not yet recorded, in
-- version order, and this one depends on nothing later than 0001.
ALTER TABLE samples RENAME TO samples_default;
ALTER INDEX samples_at_brin RENAME TO samples_default_at_brin;
ALTER INDEX samples_series_at_idx RENAME TO samples_default_series_at_idx;

CREATE TABLE samples (
    at            timestamptz NOT NULL,
    series_id     bigint NOT NULL,
    value         double precision NOT NULL
) PARTITION BY RANGE (at);

ALTER TABLE samples ATTACH PARTITION samples_default DEFAULT;

-- Partitioned indexes: each leaf gets its own, and the DEFAULT's existing
-- ones are attached rather than built again.
CREATE INDEX samples_at_brin ON samples USING brin (at);
CREATE INDEX samples_series_at_idx ON samples (series_id, at);
