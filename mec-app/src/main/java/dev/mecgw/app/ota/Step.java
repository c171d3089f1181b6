package dev.mecgw.app.ota;

import java.util.ArrayList;
import java.util.List;

/** What one call of {@link RolloutMachine} changed: the transitions to record and the effects to carry out. */
public final class Step {

    private final List<Transition> transitions = new ArrayList<>();
    private final List<Effect> effects = new ArrayList<>();

    void add(Transition transition) {
        transitions.add(transition);
    }

    void add(Effect effect) {
        effects.add(effect);
    }

    /** Appends what a later call changed, so that several calls are saved as one. */
    void addAll(Step later) {
        transitions.addAll(later.transitions);
        effects.addAll(later.effects);
    }

    public List<Transition> transitions() {
        return transitions;
    }

    public List<Effect> effects() {
        return effects;
    }

    /** Whether anything changed, so the rollout must be saved. */
    public boolean changed() {
        return !transitions.isEmpty();
    }
}
