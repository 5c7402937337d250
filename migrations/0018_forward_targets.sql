-- Northbound forwarding targets (meridian-core::forward::ForwardTarget):
-- named JSON definitions like notification channels. A trap target's
-- community is in the vault; the definition holds only its vault key.
-- Each send attempt is written to notify_log with channel 'forward:<name>'.
CREATE TABLE forward_targets (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 120),
    definition  jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
