-- Operator console users and their sessions (issue 19). Both stay on the site: neither table is in
-- mecgw.sync.tables, and the password is only ever stored as a PBKDF2 hash.
CREATE TABLE console_users (
    username             text        PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    password_hash        text        NOT NULL,
    role                 text        NOT NULL CHECK (role IN ('viewer', 'operator')),
    must_change_password boolean     NOT NULL DEFAULT true,
    created_at           timestamptz NOT NULL DEFAULT now(),
    password_changed_at  timestamptz
);

-- Only the SHA-256 of a session token is kept: a copy of the table cannot be replayed as a cookie.
CREATE TABLE console_sessions (
    token_sha256 bytea       PRIMARY KEY,
    username     text        NOT NULL REFERENCES console_users (username) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX console_sessions_expires_idx ON console_sessions (expires_at);
CREATE INDEX console_sessions_user_idx ON console_sessions (username);
