-- The team server's audit trail: who did what, from where, with the record
-- before and after (never a secret or a hash). Append-only: the table owner
-- can always UPDATE or DELETE, so a trigger refuses both (and TRUNCATE).
CREATE TABLE audit_trail (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    actor_id   uuid,
    source     text NOT NULL,
    action     text NOT NULL,
    entity     text NOT NULL,
    entity_id  text NOT NULL,
    site_id    uuid,
    before     jsonb,
    after      jsonb
);
CREATE INDEX audit_trail_at ON audit_trail (at DESC, id DESC);

CREATE FUNCTION audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_trail is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_trail_no_change BEFORE UPDATE OR DELETE ON audit_trail
    FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only();
CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
    FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only();
