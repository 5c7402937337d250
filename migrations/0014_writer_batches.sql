-- The sample writer's commit ledger: one row per batch, written in the same
-- transaction as the batch's samples. Its sequence runs on across restarts
-- (the writer starts at MAX(seq) + 1), so a batch the writer logged as
-- committed can be found again after a crash, and a ledger row without its
-- samples (or the reverse) cannot exist. Old rows are pruned by the writer.
CREATE TABLE writer_batches (
    seq          bigint PRIMARY KEY,
    samples      integer NOT NULL CHECK (samples >= 0),
    first_at     timestamptz NOT NULL,
    last_at      timestamptz NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT now()
);
