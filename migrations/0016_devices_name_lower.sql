-- Syslog intake matches a message to a device by source address, else by
-- its host field against the device name without regard to case
-- (`lower(d.name) = lower(u.host)` per message). Without this index that
-- second match scans every device for every message that has no address
-- match: with a thousand devices, a flood of such lines spends its time there.
-- (Numbered 0016, a gap left free; the migrator applies any version it has
-- not yet applied, in order, on stores already past 0025.)
CREATE INDEX devices_name_lower ON devices (lower(name));
