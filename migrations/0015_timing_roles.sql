-- A device's timing role (meridian-core::clock::role::TimingRole, spelled
-- as its kebab-case serde name). One row per device that has a role; no row
-- means none. The role changes how its PTP readings are judged.
CREATE TABLE device_timing_roles (
    device_id   uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('grandmaster', 'boundary-clock', 'transparent-clock', 'ptp-client',
                                              'ntp-server', 'gnss-receiver', 'ssu-bits')),
    updated_at  timestamptz NOT NULL
);
