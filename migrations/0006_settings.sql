-- Small application settings that must survive a restart and, on a team
-- server, be shared: for now the desktop notification mute. One JSON value
-- per key, so a new setting needs no migration; the service owns each
-- value's shape and validates it before writing.
CREATE TABLE settings (
    key         text PRIMARY KEY CHECK (key <> '' AND length(key) <= 128),
    value       jsonb NOT NULL,
    updated_at  timestamptz NOT NULL
);
