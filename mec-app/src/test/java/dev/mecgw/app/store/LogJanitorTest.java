package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The janitor tidies the server's log folder when it starts and at each new file, without waiting for its minute. */
class LogJanitorTest {

    private static final int KIB = 1024;
    // Only ends a hung test: the janitor reacts to the kernel's change event.
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void shouldPruneTheFolderWhenStartedAndWhenTheServerStartsANewFile() throws IOException {
        // given a 64 KiB budget and the files of an earlier run over it
        ServerLogFolder folder = new ServerLogFolder(dataDir.resolve("postgres"), 64 * KIB);
        folder.create();
        Path earlier = givenALogFile(folder, "postgresql-20261205-000000-000001.log", 40 * KIB);
        for (int i = 0; i < 8; i++) {
            givenALogFile(folder, "postgresql-20261206-1300%02d-000001.log".formatted(i), 8 * KIB);
        }
        Path oldest = folder.folder().resolve("postgresql-20261206-130000-000001.log");

        try (LogJanitor janitor = LogJanitor.start(folder)) {
            // then the earlier run's file is gone once started, and the newest 64 KiB stay
            assertThat(earlier).doesNotExist();
            assertThat(oldest).exists();

            // when PostgreSQL rotates: a new file appears
            Path created = givenALogFile(folder, "postgresql-20261206-130008.log", 0);

            // then it gets a name of its own and the oldest full file goes
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(created).doesNotExist();
                assertThat(oldest).doesNotExist();
            });
            assertThat(folder.folder().resolve("postgresql-20261206-130008-000001.log"))
                    .exists();
            assertThat(folder.logFiles()).hasSize(8);
        }
    }

    private static Path givenALogFile(ServerLogFolder folder, String name, int bytes) throws IOException {
        return Files.write(folder.folder().resolve(name), new byte[bytes]);
    }
}
