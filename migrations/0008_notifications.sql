-- Notification channels and routes (meridian-core::notification), one row
-- each, the definition as JSON owned and validated by the service (like
-- rules in 0007). Channels hold vault keys of their secrets, never secrets.
CREATE TABLE notify_channels (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 64),
    definition  jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE notify_routes (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 64),
    definition  jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The outbox: one row per alarm x channel delivery, written in one
-- transaction for everything an alarm calls for, so a restart loses nothing
-- (rows still pending or failed are due again on start). `payload` is the
-- alarm with its device's name, site and tags as they were when it was
-- raised; no secrets. A failed row is waiting for its next attempt; dead
-- ones ran out of attempts; cancelled ones are escalations nobody needed.
CREATE TABLE notify_outbox (
    id               uuid PRIMARY KEY,
    alarm_id         uuid REFERENCES alarms (id) ON DELETE CASCADE,
    channel_id       uuid NOT NULL REFERENCES notify_channels (id) ON DELETE CASCADE,
    route            text,
    kind             text NOT NULL CHECK (kind IN ('immediate', 'digest', 'escalation', 'test')),
    state            text NOT NULL CHECK (state IN ('pending', 'failed', 'sent', 'dead', 'cancelled')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    payload          jsonb NOT NULL
);
CREATE INDEX notify_outbox_due ON notify_outbox (next_attempt_at) WHERE state IN ('pending', 'failed');
-- An alarm is delivered to a channel once per kind, however often its
-- event is seen (a replayed or duplicated AlarmRaised enqueues nothing).
CREATE UNIQUE INDEX notify_outbox_once ON notify_outbox (alarm_id, channel_id, kind) WHERE alarm_id IS NOT NULL;

-- The delivery log: every attempt, kept when its outbox row or channel goes.
CREATE TABLE notify_log (
    id           uuid PRIMARY KEY,
    at           timestamptz NOT NULL,
    outbox_id    uuid,
    channel_id   uuid,
    channel      text NOT NULL,
    alarm_id     uuid,
    kind         text NOT NULL,
    attempt      integer NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('sent', 'failed', 'dead', 'cancelled')),
    -- The HTTP status or the SMTP reply code, when the peer answered.
    status       text,
    error        text
);
CREATE INDEX notify_log_at ON notify_log (at DESC);
CREATE INDEX notify_log_alarm ON notify_log (alarm_id);
