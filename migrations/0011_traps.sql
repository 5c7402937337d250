-- SNMP notifications received by the trap receiver (traps and informs of
-- every version), and datagrams that did not decode, kept for inspection.
-- No community string is stored: only whether a configured one matched.
-- The syslog receiver keeps its own table; a later view unions the two.
CREATE TABLE trap_events (
    id                 uuid PRIMARY KEY,
    received_at        timestamptz NOT NULL,
    source_addr        text NOT NULL,
    source_port        integer NOT NULL CHECK (source_port BETWEEN 0 AND 65535),
    version            text CHECK (version IN ('v1', 'v2c', 'v3')),
    pdu                text NOT NULL CHECK (pdu IN ('trap', 'inform', 'malformed')),
    -- v3: the USM user name
    user_name          text,
    -- v1/v2c: whether the community was one of the configured ones
    community_matched  boolean,
    -- v3: the engine id, hex
    engine_id          text,
    trap_oid           text,
    trap_name          text,
    uptime             bigint CHECK (uptime >= 0),
    -- [{oid, type, value, name}]
    varbinds           jsonb NOT NULL DEFAULT '[]',
    device_id          uuid REFERENCES devices (id) ON DELETE SET NULL,
    raw_hex            text,
    error              text,
    CHECK ((pdu = 'malformed') = (raw_hex IS NOT NULL))
);
CREATE INDEX trap_events_time ON trap_events (received_at DESC);
CREATE INDEX trap_events_device ON trap_events (device_id, received_at DESC) WHERE device_id IS NOT NULL;
