-- Failed logins per source address (an IPv6 address counts by its /64), so
-- one stranger cannot guess across every account and lock them all: after
-- too many failures within a window the source is refused with 429 until
-- blocked_until. Shared by every server replica; rows whose window and
-- block have passed are deleted as new failures arrive.
CREATE TABLE login_throttle (
    source         text PRIMARY KEY,
    window_start   timestamptz NOT NULL,
    failures       integer NOT NULL,
    blocked_until  timestamptz
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);
