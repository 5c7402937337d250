-- Scheduled reports (meridian-core::report::schedule): which report, how
-- often, where the files go and who gets them by e-mail, with how far each
-- has run. The runner (meridian-service::reports::schedules) reads them every
-- minute beside the monitor; core decides what is due.
CREATE TABLE report_schedules (
    id              uuid PRIMARY KEY,
    name            text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 64),
    cadence         text NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    kind            text NOT NULL,
    site            text,
    tag             text,
    device          text,
    top_n           integer,
    formats         text[] NOT NULL,
    folder          text NOT NULL,
    -- An e-mail notification channel's name (its SMTP server), and who
    -- gets the files instead of the channel's recipients.
    channel         text,
    recipients      text[] NOT NULL DEFAULT '{}',
    enabled         boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL,
    -- The end of the last period written; NULL until one is.
    last_period_to  timestamptz,
    last_run_at     timestamptz,
    next_due        timestamptz NOT NULL,
    last_ok         boolean,
    last_error      text
);

-- Every run with its result. Bounded per schedule by the repository; a
-- schedule's runs go with it.
CREATE TABLE report_runs (
    id           bigserial PRIMARY KEY,
    schedule_id  uuid NOT NULL REFERENCES report_schedules (id) ON DELETE CASCADE,
    at           timestamptz NOT NULL,
    period_from  timestamptz NOT NULL,
    period_to    timestamptz NOT NULL,
    ok           boolean NOT NULL,
    files        text[] NOT NULL DEFAULT '{}',
    mailed       text,
    error        text
);
CREATE INDEX report_runs_schedule_at ON report_runs (schedule_id, at DESC);
