package dev.mecgw.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the third-party test fixtures (pretrained models, images, specs) live: {@code $MECGW_FIXTURES_DIR} (or the
 * system property {@code mecgw.fixtures.dir}), else {@code ../shared} beside the repository root. The one lookup
 * for this module's tests and, through the test jar, for {@code mec-app}'s.
 *
 * <p>A test that needs a fixture asks {@link #require}: a missing file skips the test with one line naming it and
 * {@code scripts/fetch-fixtures.sh}, except under {@code CI=true}, where it fails the test (CI has the fixtures
 * and must run everything). See docs/fixtures.md.
 */
public final class Fixtures {

    /** The environment variable that overrides the default location. */
    public static final String ENV = "MECGW_FIXTURES_DIR";

    /** The system property that overrides both. */
    public static final String PROPERTY = "mecgw.fixtures.dir";

    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private Fixtures() {}

    /** The fixtures folder; it may not exist. */
    public static Path dir() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return repositoryRoot().resolve("../shared").normalize();
    }

    /** The pretrained models: {@code <fixtures>/models}. */
    public static Path models() {
        return dir().resolve("models");
    }

    /**
     * A fixture file or folder the calling test needs.
     *
     * @param relative path below the fixtures folder, e.g. {@code models/mnist-8/model.onnx}
     * @return its path, when it exists
     * @throws org.opentest4j.TestAbortedException when it is missing (the test is skipped)
     * @throws org.opentest4j.AssertionFailedError when it is missing and {@code CI=true}
     */
    public static Path require(String relative) {
        Path path = dir().resolve(relative);
        if (Files.exists(path)) {
            return path;
        }
        String line = missing(relative, dir(), ci());
        if (REPORTED.add(relative)) {
            // One line per missing fixture in the build output; the skip reason carries it into the reports too.
            System.err.println(line);
        }
        if (ci()) {
            return Assertions.fail(line);
        }
        Assumptions.abort(line);
        return path;
    }

    /** The one line that names a missing fixture, the folder searched and how to get it. */
    static String missing(String relative, Path dir, boolean ci) {
        return (ci ? "FAILED (CI=true): " : "SKIPPED: ") + "test fixture " + relative + " not found in " + dir
                + "; run scripts/fetch-fixtures.sh or set " + ENV;
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The repository root: the nearest folder above the working directory that holds {@code mvnw}. */
    static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a folder holding mvnw) above " + start);
    }
}
