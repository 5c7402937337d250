-- Team server identity: users (argon2id hashes only), their sites, API tokens
-- and browser sessions. Token and session secrets are stored as SHA-256
-- hashes of 32 random bytes; the secret itself is shown once and never kept.
CREATE TABLE users (
    id              uuid PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    password_hash   text NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin', 'operator', 'technician', 'viewer')),
    -- true: every site; false: only the sites in user_sites.
    all_sites       boolean NOT NULL DEFAULT false,
    failed_logins   integer NOT NULL DEFAULT 0,
    locked_at       timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint NOT NULL DEFAULT 1
);

CREATE TABLE user_sites (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, site_id)
);

CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL,
    secret_hash   bytea NOT NULL UNIQUE,
    role          text NOT NULL CHECK (role IN ('admin', 'operator', 'technician', 'viewer')),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash   bytea NOT NULL UNIQUE,
    csrf_hash     bytea NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
