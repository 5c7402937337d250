-- Custom items (meridian-core::items::CustomItem): one OID polled on a device
-- or on every device of a poll template as its own series. The definition is
-- the item as JSON, validated by the service; `name` is the item's target and
-- name (`device:<id>/inlet_temp`, `template:ups/inlet_temp`), so two devices
-- may each have an item of one name but one device cannot have two. A device's
-- items go with it.
CREATE TABLE custom_items (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 200),
    device_id   uuid REFERENCES devices (id) ON DELETE CASCADE,
    definition  jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The default rules a poll template ships, once installed: keyed by template
-- and rule name, so seeding at every start installs each one once. A user's
-- edit or removal of an installed default is never undone by a restart.
CREATE TABLE default_rules_seeded (
    template    text NOT NULL,
    rule_name   text NOT NULL,
    seeded_at   timestamptz NOT NULL,
    PRIMARY KEY (template, rule_name)
);
