package dev.mecgw.cloud.modelrollout;

import java.util.ArrayList;
import java.util.List;

/**
 * What one call of {@link ModelRolloutMachine} decided: the transitions to store and the chunks to publish again
 * (a site that stopped making progress asked, through its report, for the ones it lacks).
 */
public final class Step {

    private final List<Transition> transitions = new ArrayList<>();
    private final List<Resend> resends = new ArrayList<>();

    void add(Transition transition) {
        transitions.add(transition);
    }

    void resend(String siteId, List<Integer> chunks) {
        resends.add(new Resend(siteId, List.copyOf(chunks)));
    }

    /** The transitions, in order. */
    public List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    /** The resends to publish. */
    public List<Resend> resends() {
        return List.copyOf(resends);
    }

    /**
     * Chunks one site lacks.
     *
     * @param siteId the site
     * @param chunks the chunk indexes; all of them when the site never reported
     */
    public record Resend(String siteId, List<Integer> chunks) {}
}
