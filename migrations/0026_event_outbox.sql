-- The events outbox: every core event a process relays to the other
-- processes on this database (team server replicas, a headless monitor, a
-- desktop pointed at it). NOTIFY alone loses what does not fit its 8,000-byte
-- payload and whatever is sent while a listener reconnects; with the event in
-- a row, a listener reads a large event back by its id and, after a
-- reconnect, everything with an id above the last one it saw.
CREATE TABLE event_outbox (
    id          bigserial PRIMARY KEY,
    -- Who may see it: '*' everyone, '-' every-site callers, or a site id.
    audience    text NOT NULL,
    json        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Publishes one event: the row, then a NOTIFY of `id\naudience\njson`, or of
-- the id alone when that would pass NOTIFY's limit. The transaction-scoped
-- advisory lock makes ids commit in the order they were taken, so a listener
-- that has seen id N has seen (or will be notified of) everything below it
-- and can catch up with `id > N` alone. Every 1,000th event prunes rows older
-- than 10 minutes or more than 100,000 events behind: a listener down longer
-- than that misses the pruned events (it logs how many).
CREATE FUNCTION event_outbox_publish(p_channel text, p_audience text, p_json text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    new_id bigint;
    payload text;
BEGIN
    PERFORM pg_advisory_xact_lock(7882832519763424884);
    INSERT INTO event_outbox (audience, json) VALUES (p_audience, p_json) RETURNING id INTO new_id;
    payload := new_id::text || E'\n' || p_audience || E'\n' || p_json;
    IF octet_length(payload) > 7999 THEN
        payload := new_id::text;
    END IF;
    PERFORM pg_notify(p_channel, payload);
    IF new_id % 1000 = 0 THEN
        DELETE FROM event_outbox WHERE created_at < now() - interval '10 minutes' OR id <= new_id - 100000;
    END IF;
    RETURN new_id;
END
$$;
