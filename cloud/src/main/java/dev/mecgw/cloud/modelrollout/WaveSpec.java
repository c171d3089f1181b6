package dev.mecgw.cloud.modelrollout;

import java.util.List;

/**
 * One wave as requested: explicit sites (canaries) or a share of the selected sites not named by another wave.
 *
 * @param name the wave's name, unique in the rollout
 * @param sites explicit site ids; empty when {@code percent} is used
 * @param percent 1 to 100 of the remaining selected sites, rounded up; 0 when {@code sites} is used
 */
public record WaveSpec(String name, List<String> sites, int percent) {

    public WaveSpec {
        sites = sites == null ? List.of() : List.copyOf(sites);
    }
}
