package dev.mecgw.cloud.modelrollout;

import java.util.Locale;

/** Where one site of a model rollout is (docs/ota.md, "Model rollouts across sites"). */
public enum SiteState {
    /** In a wave that has not started. */
    PENDING,
    /** Its wave runs: the offer and chunks are being published; retried every tick until Kafka confirms. */
    SENDING,
    /** Kafka confirmed every chunk; the site has not reported yet. */
    SENT,
    /** The site reports chunks received. */
    DOWNLOADING,
    /** The site installed the model and its health gate watches it for the health window. */
    GATING,
    /** The health gate passed. */
    SUCCEEDED,
    /** The health gate failed and the site went back to its previous model. */
    ROLLED_BACK,
    /** The site could not install the model (hash mismatch, load error). */
    FAILED,
    /** No report within the site timeout. */
    TIMED_OUT,
    /** The rollout was aborted while the site downloaded: a cancel is being published. */
    CANCELLING,
    /** Never installed: its wave never started, or the download was cancelled. */
    CANCELLED,
    /** The rollout was aborted after the site installed: a revert is being published. */
    REVERTING,
    /** Back on its previous model after an abort. */
    REVERTED;

    /** Whether this state counts against the wave's failure limit. */
    public boolean failure() {
        return this == ROLLED_BACK || this == FAILED || this == TIMED_OUT;
    }

    /** Whether the site has reached an end of this rollout (for its wave). */
    public boolean settled() {
        return this == SUCCEEDED || failure() || this == CANCELLED || this == REVERTED;
    }

    /** Whether the model may be on the site (or on its way there). */
    boolean reached() {
        return this == SENT || this == DOWNLOADING || this == GATING || this == SUCCEEDED;
    }

    /** The state as the API writes it: lower case with dashes. */
    public String label() {
        return label(this);
    }

    static String label(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
