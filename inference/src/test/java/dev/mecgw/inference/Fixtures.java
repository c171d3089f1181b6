package dev.mecgw.inference;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the third-party test fixtures (pretrained models, images, specs) live: {@code $MECGW_FIXTURES_DIR}, else
 * {@code ../shared} beside the repository root. The one lookup
 * for this module's tests and, through the test jar, for {@code mec-app}'s.
 */
public final class Fixtures {

    /** The environment variable that overrides the default location. */
    public static final String ENV = "MECGW_FIXTURES_DIR";

    private Fixtures() {}

    /** The fixtures folder; it may not exist. */
    public static Path dir() {
        String configured = System.getenv(ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return repositoryRoot().resolve("../shared").normalize();
    }

    /** The pretrained models: {@code <fixtures>/models}. */
    public static Path models() {
        return dir().resolve("models");
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
