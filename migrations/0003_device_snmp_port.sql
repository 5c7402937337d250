-- Agents on a non-standard port (lab simulators, NAT'd devices). NULL = 161.
ALTER TABLE devices ADD COLUMN snmp_port integer CONSTRAINT devices_snmp_port_range CHECK (snmp_port BETWEEN 1 AND 65535);
