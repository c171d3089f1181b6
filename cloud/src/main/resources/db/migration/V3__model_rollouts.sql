-- Model rollouts across sites (issue 18 item 5; docs/ota.md "Model rollouts across sites"). The cloud keeps the
-- model bytes, the plan (waves of sites) and every site's state; ModelRolloutMachine moves them, and each move is
-- a row of cloud_model_rollout_transitions (evidence of why a wave paused or aborted).
CREATE TABLE cloud_model_rollouts (
    id          text        PRIMARY KEY,
    name        text        NOT NULL,
    version     text        NOT NULL,
    sha256      text        NOT NULL,
    size        bigint      NOT NULL,
    model       bytea       NOT NULL,
    spec        jsonb       NOT NULL,
    state       text        NOT NULL,
    reason      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cloud_model_rollouts_open_idx ON cloud_model_rollouts (created_at)
    WHERE state IN ('running', 'paused');

CREATE TABLE cloud_model_rollout_waves (
    rollout_id  text        NOT NULL REFERENCES cloud_model_rollouts (id),
    idx         integer     NOT NULL,
    name        text        NOT NULL,
    state       text        NOT NULL,
    reason      text,
    started_at  timestamptz,
    ended_at    timestamptz,
    PRIMARY KEY (rollout_id, idx)
);

CREATE TABLE cloud_model_rollout_sites (
    rollout_id       text        NOT NULL REFERENCES cloud_model_rollouts (id),
    site_id          text        NOT NULL,
    wave             integer     NOT NULL,
    state            text        NOT NULL,
    reason           text,
    since            timestamptz NOT NULL,
    progress_at      timestamptz,
    chunks_received  integer     NOT NULL DEFAULT 0,
    resent_chunks    integer     NOT NULL DEFAULT 0,
    resent_at        timestamptz,
    PRIMARY KEY (rollout_id, site_id)
);

CREATE TABLE cloud_model_rollout_transitions (
    seq         bigserial   PRIMARY KEY,
    rollout_id  text        NOT NULL REFERENCES cloud_model_rollouts (id),
    scope       text        NOT NULL,
    subject     text        NOT NULL,
    from_state  text        NOT NULL,
    to_state    text        NOT NULL,
    reason      text,
    at          timestamptz NOT NULL
);
CREATE INDEX cloud_model_rollout_transitions_idx ON cloud_model_rollout_transitions (rollout_id, seq);

-- The typed mirror of each site's public.mecgw_model_installs (edge V180, replicated as a critical table): what
-- the gateway received, installed, and what its health gate decided. The cloud reads it to move site states.
CREATE TABLE mecgw_model_installs (
    site_id          text        NOT NULL,
    rollout_id       text        NOT NULL,
    model            text,
    version          text,
    previous_version text,
    state            text,
    reason           text,
    chunks_total     integer,
    chunks_received  integer,
    missing          text,
    gate             jsonb,
    installed_at     timestamptz,
    updated_at       timestamptz,
    extra            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    src_generation   bigint      NOT NULL,
    src_lsn          bigint      NOT NULL,
    src_commit_time  timestamptz,
    deleted          boolean     NOT NULL DEFAULT false,
    mirrored_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, rollout_id)
);
