package dev.mecgw.app.ota;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/** The real rollout store, counting how often each rollout is loaded by id (a tick's reload of a settled rollout). */
final class CountingRolloutStore extends PostgresRolloutStore {

    private final Map<String, Integer> finds = new ConcurrentHashMap<>();

    CountingRolloutStore(DataSource dataSource, ObjectMapper json) {
        super(dataSource, json);
    }

    @Override
    public Optional<Rollout> find(String id) {
        finds.merge(id, 1, Integer::sum);
        return super.find(id);
    }

    /** How often the rollout was loaded since the last {@link #reset}. */
    int finds(String id) {
        return finds.getOrDefault(id, 0);
    }

    void reset() {
        finds.clear();
    }
}
