-- Alarm rules (meridian-core::rules::Rule), one row per rule. The definition
-- is the rule as JSON, owned and validated by the service; the name is
-- repeated as a column so two rules cannot share one (the console and
-- notifications name rules). The id is the alarms' specific problem
-- ("rule:<id>"), so renaming a rule keeps its alarms.
CREATE TABLE rules (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 120),
    definition  jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
