-- Syslog messages received by the syslog receiver (RFC 3164, RFC 5424),
-- parsed or, when malformed, kept as raw text (format 'malformed', the
-- parse error in error). Its own table; an "events" view over traps and
-- syslog comes later.
CREATE TABLE syslog_messages (
    -- insertion order: the size cap removes the lowest ids first
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at     timestamptz NOT NULL,
    -- the sender's own timestamp, when it sent one
    device_time     timestamptz,
    facility        smallint CHECK (facility BETWEEN 0 AND 23),
    severity        smallint CHECK (severity BETWEEN 0 AND 7),
    host            text,
    app             text,
    procid          text,
    msgid           text,
    -- RFC 5424 STRUCTURED-DATA: [{"id": .., "params": [{"name": .., "value": ..}]}]
    structured_data jsonb NOT NULL DEFAULT '[]',
    message         text NOT NULL,
    -- the sender's IP address, canonical text like devices.address
    source          text NOT NULL,
    -- matched by source address, then by host = device name
    device_id       uuid REFERENCES devices (id) ON DELETE SET NULL,
    format          text NOT NULL CHECK (format IN ('rfc3164', 'rfc5424', 'malformed')),
    error           text,
    truncated       boolean NOT NULL DEFAULT false
);

-- Newest first, by time range; and per device.
CREATE INDEX syslog_messages_received ON syslog_messages (received_at);
CREATE INDEX syslog_messages_device ON syslog_messages (device_id, received_at) WHERE device_id IS NOT NULL;
-- Word search. The 'simple' configuration neither stems nor drops stop
-- words: log text is interface names, addresses and codes, not prose.
-- PostgreSQL full-text search and GIN are built into PGlite as well.
CREATE INDEX syslog_messages_text ON syslog_messages USING gin (to_tsvector('simple', message));
