-- Model rollouts from the cloud (issue 18 item 5; CONTRACT-sync §4; docs/ota.md "Model rollouts across sites").
-- mecgw_model_installs is replicated (a critical sync table): the cloud reads each site's progress, its health-gate
-- verdict and the chunks it still lacks (missing, as ranges "0-3,7") from its mirror. The offer and the chunks stay
-- local; a chunk is committed before the Kafka offset that carried it, so a backhaul cut or a crash costs at most
-- the one chunk in flight, and a redelivered chunk is a no-op.
CREATE TABLE mecgw_model_installs (
    rollout_id       text        PRIMARY KEY,
    model            text        NOT NULL,
    version          text        NOT NULL,
    previous_version text,
    state            text        NOT NULL,
    reason           text,
    chunks_total     integer     NOT NULL,
    chunks_received  integer     NOT NULL DEFAULT 0,
    missing          text,
    gate             jsonb,
    installed_at     timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mecgw_model_offers (
    rollout_id  text        PRIMARY KEY REFERENCES mecgw_model_installs (rollout_id) ON DELETE CASCADE,
    offer       jsonb       NOT NULL
);

CREATE TABLE mecgw_model_chunks (
    rollout_id  text        NOT NULL REFERENCES mecgw_model_installs (rollout_id) ON DELETE CASCADE,
    idx         integer     NOT NULL,
    data        bytea       NOT NULL,
    PRIMARY KEY (rollout_id, idx)
);
