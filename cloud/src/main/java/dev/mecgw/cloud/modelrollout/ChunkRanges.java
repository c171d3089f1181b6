package dev.mecgw.cloud.modelrollout;

import java.util.ArrayList;
import java.util.List;

/** Reads the {@code missing} column of a site's report: chunk indexes as ranges, {@code 0-3,7,9-10}. */
final class ChunkRanges {

    private ChunkRanges() {}

    /**
     * @param ranges the text; null or blank means none missing
     * @param count the model's chunk count; indexes outside it are dropped
     * @return the indexes, ascending as written
     */
    static List<Integer> parse(String ranges, int count) {
        List<Integer> indexes = new ArrayList<>();
        if (ranges == null || ranges.isBlank()) {
            return indexes;
        }
        for (String part : ranges.split(",")) {
            String[] bounds = part.strip().split("-", 2);
            try {
                int from = Integer.parseInt(bounds[0].strip());
                int to = bounds.length == 2 ? Integer.parseInt(bounds[1].strip()) : from;
                for (int i = Math.max(0, from); i <= to && i < count; i++) {
                    indexes.add(i);
                }
            } catch (NumberFormatException e) {
                // A range the site never writes: skip it rather than resend everything.
            }
        }
        return indexes;
    }
}
