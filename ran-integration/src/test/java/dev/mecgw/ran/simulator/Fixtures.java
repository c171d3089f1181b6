package dev.mecgw.ran.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where this module's third-party fixtures (the 3GPP and ETSI OpenAPI files) live: {@code $MECGW_FIXTURES_DIR} (or
 * the system property {@code mecgw.fixtures.dir}), else {@code ../shared} beside the repository root; the same
 * rule as the inference module's {@code Fixtures} (this module does not depend on that test jar). A missing file
 * skips the test with one line naming it and {@code scripts/fetch-fixtures.sh}; under {@code CI=true} it fails.
 */
final class Fixtures {

    static final String ENV = "MECGW_FIXTURES_DIR";

    private Fixtures() {}

    /** The fixtures folder; it may not exist. */
    static Path dir() {
        String configured = System.getProperty("mecgw.fixtures.dir", System.getenv(ENV));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir.resolve("../shared").normalize();
            }
        }
        throw new IllegalStateException("no repository root (a folder holding mvnw) above " + start);
    }

    /**
     * @param relative path below the fixtures folder, e.g. {@code specs/3gpp}
     * @return its path, when it exists; otherwise the test is skipped (failed when {@code CI=true})
     */
    static Path require(String relative) {
        Path path = dir().resolve(relative);
        if (Files.exists(path)) {
            return path;
        }
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        String line = (ci ? "FAILED (CI=true): " : "SKIPPED: ") + "test fixture " + relative + " not found in " + dir()
                + "; run scripts/fetch-fixtures.sh or set " + ENV;
        System.err.println(line);
        if (ci) {
            return Assertions.fail(line);
        }
        Assumptions.abort(line);
        return path;
    }
}
