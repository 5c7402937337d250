-- Fault management beyond thresholds.
--
-- An alarm may be held from notifications: a symptom of another alarm
-- (topology suppression: suppressed_by is the root cause's id), or raised
-- inside a maintenance window (maintenance is the window's name). Both are
-- recorded and shown; neither is notified until released.
ALTER TABLE alarms ADD COLUMN suppressed_by uuid REFERENCES alarms (id) ON DELETE SET NULL;
ALTER TABLE alarms ADD COLUMN maintenance text CHECK (maintenance IS NULL OR length(maintenance) <= 120);
CREATE INDEX alarms_suppressed_by ON alarms (suppressed_by) WHERE suppressed_by IS NOT NULL;

-- Maintenance windows (meridian-core::fault::MaintenanceWindow) as JSON
-- beside their unique name, like rules.
CREATE TABLE maintenance_windows (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 120),
    definition  jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
