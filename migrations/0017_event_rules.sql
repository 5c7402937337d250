-- Event rules (meridian-core::fault::EventRule): traps and syslog messages
-- that raise and clear alarms. Kept like alarm rules, as named JSON
-- definitions validated by the service; the name is the alarms' specific
-- problem, so it is unique.
CREATE TABLE event_rules (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 120),
    definition  jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
