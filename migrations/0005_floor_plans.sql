-- Floor plans: one image per site, and where devices sit on it.
--
-- This replaces the never-written sites.floor_plan / floor_plan_mime columns of
-- 0001: a position is only meaningful against the image's pixel size, so the
-- size is stored beside the bytes, and keeping megabytes of image out of
-- `sites` keeps site listings cheap. The service parses the image header
-- (meridian-core::floorplan) before anything is written; the checks below are
-- the last line, not the validation users see.
CREATE TABLE site_floor_plans (
    site_id     uuid PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
    image       bytea NOT NULL,
    -- no SVG: it can carry script
    mime        text NOT NULL CHECK (mime IN ('image/png', 'image/jpeg', 'image/webp')),
    width       integer NOT NULL CHECK (width BETWEEN 1 AND 16384),
    height      integer NOT NULL CHECK (height BETWEEN 1 AND 16384),
    updated_at  timestamptz NOT NULL,
    CONSTRAINT site_floor_plans_image_size CHECK (octet_length(image) BETWEEN 1 AND 10485760)
);

-- A device's spot on its site's plan, in image pixels (x right, y down).
-- Keyed by device: a device is on at most one plan. It references the plan,
-- not just the site, so removing the plan (or the site) removes the spots.
-- BETWEEN also refuses NaN, which PostgreSQL sorts above every number.
CREATE TABLE device_plan_positions (
    device_id   uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    site_id     uuid NOT NULL REFERENCES site_floor_plans (site_id) ON DELETE CASCADE,
    x           double precision NOT NULL CHECK (x BETWEEN 0 AND 16384),
    y           double precision NOT NULL CHECK (y BETWEEN 0 AND 16384),
    updated_at  timestamptz NOT NULL
);
CREATE INDEX device_plan_positions_site_idx ON device_plan_positions (site_id);

ALTER TABLE sites DROP COLUMN floor_plan, DROP COLUMN floor_plan_mime;
