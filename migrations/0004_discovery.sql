-- Discovery runs, their responders, what each device says it is, its
-- ENTITY-MIB inventory and the LLDP/CDP links between devices.

-- A run keeps its request (targets, options, saved credential names; never a
-- community or pass phrase) so a later reviewer sees what was asked.
CREATE TABLE discovery_runs (
    id            uuid PRIMARY KEY,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    state         text NOT NULL CHECK (state IN ('running', 'completed', 'cancelled', 'failed')),
    request       jsonb NOT NULL,
    total         bigint NOT NULL DEFAULT 0,
    probed        bigint NOT NULL DEFAULT 0,
    found         bigint NOT NULL DEFAULT 0,
    error         text
);
CREATE INDEX discovery_runs_started_idx ON discovery_runs (started_at DESC);

-- One responder of a run. snmp and classification are stored as the JSON of
-- their core types: they are read back whole, never queried by field.
CREATE TABLE discovery_results (
    run_id            uuid NOT NULL REFERENCES discovery_runs (id) ON DELETE CASCADE,
    address           text NOT NULL,
    other_addresses   text[] NOT NULL DEFAULT '{}',
    alive             boolean NOT NULL,
    rtt_ms            double precision,
    snmp              jsonb,
    classification    jsonb,
    credential_id     uuid REFERENCES credentials (id) ON DELETE SET NULL,
    credential_label  text,
    existing_device   uuid REFERENCES devices (id) ON DELETE SET NULL,
    matched_by        text,
    added_device      uuid REFERENCES devices (id) ON DELETE SET NULL,
    suggested_name    text NOT NULL,
    PRIMARY KEY (run_id, address)
);

-- What a device says about itself, refreshed by discovery and inventory polls.
-- engine_id and sys_name let re-discovery recognise a readdressed device.
CREATE TABLE device_identity (
    device_id       uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    sys_name        text,
    sys_descr       text,
    sys_object_id   text,
    engine_id       text,
    chassis_id      text,
    classification  jsonb,
    -- per-device poll template override; NULL = chosen by classification
    template        text,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX device_identity_engine_idx ON device_identity (engine_id);
CREATE INDEX device_identity_sysname_idx ON device_identity (lower(sys_name));

-- The ENTITY-MIB physical table, replaced whole on each inventory.
CREATE TABLE entities (
    device_id       uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    ent_index       bigint NOT NULL,
    contained_in    bigint NOT NULL,
    class           integer,
    parent_rel_pos  integer,
    name            text NOT NULL DEFAULT '',
    descr           text NOT NULL DEFAULT '',
    model_name      text NOT NULL DEFAULT '',
    serial_num      text NOT NULL DEFAULT '',
    hardware_rev    text NOT NULL DEFAULT '',
    firmware_rev    text NOT NULL DEFAULT '',
    software_rev    text NOT NULL DEFAULT '',
    mfg_name        text NOT NULL DEFAULT '',
    is_fru          boolean,
    PRIMARY KEY (device_id, ent_index)
);

-- LLDP/CDP adjacency as the local device reports it. remote_device is set
-- when the neighbour matched a known device; otherwise the row doubles as a
-- discovery suggestion.
CREATE TABLE links (
    local_device      uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    protocol          text NOT NULL CHECK (protocol IN ('lldp', 'cdp')),
    local_port_num    bigint NOT NULL,
    local_port        text NOT NULL DEFAULT '',
    remote_chassis_id text NOT NULL DEFAULT '',
    remote_port       text NOT NULL DEFAULT '',
    remote_sys_name   text NOT NULL DEFAULT '',
    remote_mgmt_addr  text,
    remote_device     uuid REFERENCES devices (id) ON DELETE SET NULL,
    matched_by        text,
    first_seen        timestamptz NOT NULL,
    last_seen         timestamptz NOT NULL,
    PRIMARY KEY (local_device, protocol, local_port_num, remote_chassis_id, remote_port)
);
CREATE INDEX links_remote_idx ON links (remote_device);
