-- Operator notes on alarms; any number per alarm, kept with the alarm.
CREATE TABLE alarm_comments (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alarm_id  uuid NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL,
    by_user   text NOT NULL,
    body      text NOT NULL
);
CREATE INDEX alarm_comments_alarm_idx ON alarm_comments (alarm_id, at);

-- The console lists active alarms by device and by severity.
CREATE INDEX alarms_device_active_idx ON alarms (device_id) WHERE cleared_at IS NULL;
