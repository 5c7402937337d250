-- Meridian schema v1. Runs unchanged on embedded PGlite (PostgreSQL 17) and on
-- a real PostgreSQL 15+ for the team server, so use nothing newer than 15.

CREATE TABLE sites (
    id            uuid PRIMARY KEY,
    name          text NOT NULL,
    lat           double precision,
    lon           double precision,
    floor_plan    bytea,
    floor_plan_mime text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       bigint NOT NULL DEFAULT 1,
    CONSTRAINT sites_name_key UNIQUE (name),
    CONSTRAINT sites_lat_range CHECK (lat BETWEEN -90 AND 90),
    CONSTRAINT sites_lon_range CHECK (lon BETWEEN -180 AND 180),
    CONSTRAINT sites_latlon_pair CHECK ((lat IS NULL) = (lon IS NULL))
);

-- A credential row is a reference: name, kind and the non-secret USM
-- parameters. The community or pass phrases live in the OS keyring or the
-- encrypted vault file, keyed by id; they never enter this database.
CREATE TABLE credentials (
    id            uuid PRIMARY KEY,
    name          text NOT NULL,
    snmp_version  text NOT NULL CHECK (snmp_version IN ('v1', 'v2c', 'v3')),
    usm_user      text,
    auth_proto    text,
    priv_proto    text,
    vault_backend text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       bigint NOT NULL DEFAULT 1,
    CONSTRAINT credentials_name_key UNIQUE (name)
);

CREATE TABLE devices (
    id            uuid PRIMARY KEY,
    name          text NOT NULL,
    -- normalised: canonical IP text or lower-case host name
    address       text NOT NULL,
    kind          text NOT NULL DEFAULT 'unknown',
    vendor        text,
    model         text,
    os            text,
    site_id       uuid REFERENCES sites (id) ON DELETE SET NULL,
    -- location override; NULL means "at the site"
    lat           double precision,
    lon           double precision,
    tags          text[] NOT NULL DEFAULT '{}',
    credential_id uuid REFERENCES credentials (id) ON DELETE RESTRICT,
    enabled       boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- bumped on every change; the team-server sync compares it
    version       bigint NOT NULL DEFAULT 1,
    CONSTRAINT devices_name_key UNIQUE (name),
    CONSTRAINT devices_address_key UNIQUE (address),
    CONSTRAINT devices_lat_range CHECK (lat BETWEEN -90 AND 90),
    CONSTRAINT devices_lon_range CHECK (lon BETWEEN -180 AND 180),
    CONSTRAINT devices_latlon_pair CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX devices_site_idx ON devices (site_id);

CREATE TABLE interfaces (
    id            uuid PRIMARY KEY,
    device_id     uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    if_index      integer NOT NULL,
    name          text,
    descr         text,
    alias         text,
    if_type       integer,
    speed_bps     bigint,
    mac           text,
    admin_status  text,
    oper_status   text,
    updated_at    timestamptz NOT NULL,
    CONSTRAINT interfaces_device_ifindex_key UNIQUE (device_id, if_index)
);

-- A series names what a sample measures; samples stay narrow (16+8 bytes of
-- payload) because they arrive by the million.
CREATE TABLE series (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id     uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    interface_id  uuid REFERENCES interfaces (id) ON DELETE CASCADE,
    metric        text NOT NULL,
    unit          text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX series_identity_idx
    ON series (device_id, COALESCE(interface_id, '00000000-0000-0000-0000-000000000000'::uuid), metric);

-- Append-only, in time order: a BRIN index on time costs almost nothing on
-- ingest and prunes whole block ranges for retention and range scans. Per-series
-- chart reads use the (series_id, at) btree. Series are deliberately not a
-- foreign key: checking one per row would halve ingest, and series rows are
-- only removed together with their device's samples.
CREATE TABLE samples (
    at            timestamptz NOT NULL,
    series_id     bigint NOT NULL,
    value         double precision NOT NULL
);
CREATE INDEX samples_at_brin ON samples USING brin (at);
CREATE INDEX samples_series_at_idx ON samples (series_id, at);

-- ITU-T X.733 alarm records.
CREATE TABLE alarms (
    id                 uuid PRIMARY KEY,
    device_id          uuid REFERENCES devices (id) ON DELETE CASCADE,
    managed_object     text NOT NULL,
    event_type         text NOT NULL CHECK (event_type IN
                         ('communications', 'quality_of_service', 'processing_error', 'equipment', 'environmental')),
    probable_cause     text NOT NULL,
    specific_problem   text NOT NULL DEFAULT '',
    perceived_severity text NOT NULL CHECK (perceived_severity IN
                         ('critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared')),
    additional_text    text NOT NULL DEFAULT '',
    raised_at          timestamptz NOT NULL,
    cleared_at         timestamptz,
    acked_at           timestamptz,
    acked_by           text,
    ack_comment        text,
    version            bigint NOT NULL DEFAULT 1
);
-- at most one active alarm per object and cause
CREATE UNIQUE INDEX alarms_active_key
    ON alarms (managed_object, probable_cause, specific_problem) WHERE cleared_at IS NULL;
CREATE INDEX alarms_raised_idx ON alarms (raised_at DESC);

-- Who changed what, for audit and, later, for sync.
CREATE TABLE event_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL,
    actor         text NOT NULL,
    action        text NOT NULL,
    entity        text NOT NULL,
    entity_id     text NOT NULL,
    detail        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX event_log_at_idx ON event_log (at DESC);
