-- The forwarding outbox: one row per alarm change x target still to send,
-- written when the change happens, so a collector that is down, or a
-- restart of Meridian, loses nothing. A row is deleted once it is sent or
-- given up; every attempt is in notify_log (channel 'forward:<name>').
-- Changes of one alarm reach one target in the order they happened: a row
-- waits while an older one of the same (target, alarm) is still open.
CREATE TABLE forward_outbox (
    id               uuid PRIMARY KEY,
    target_id        uuid NOT NULL REFERENCES forward_targets (id) ON DELETE CASCADE,
    alarm_id         uuid NOT NULL,
    change           text NOT NULL CHECK (change IN ('raised', 'cleared', 'acknowledged')),
    state            text NOT NULL CHECK (state IN ('pending', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    -- {"alarm": <the alarm as it was>, "device": <its device's name>}
    payload          jsonb NOT NULL
);

CREATE INDEX forward_outbox_due ON forward_outbox (next_attempt_at);
CREATE INDEX forward_outbox_order ON forward_outbox (target_id, alarm_id, id);
