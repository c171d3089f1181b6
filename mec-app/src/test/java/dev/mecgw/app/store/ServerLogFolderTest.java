package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's log folder is pruned to its budget, oldest files first, and the files PostgreSQL creates are renamed so
 * that its next rotation creates a new one; the file being written is never deleted.
 */
class ServerLogFolderTest {

    private static final int KIB = 1024;

    @TempDir
    Path dataDir;

    @Test
    void shouldDeleteTheOldestFilesWhenTheClosedOnesTakeMoreThanTheBudgetLessOneRotation() throws IOException {
        // given a 64 KiB budget (a new file each 8 KiB) and ten full files, plus a file that is not PostgreSQL's
        ServerLogFolder folder = givenAFolder(64 * KIB);
        List<Path> files = IntStream.range(0, 10)
                .mapToObj(i -> givenALogFile(folder, "postgresql-20261206-1300%02d-000001.log".formatted(i), 8 * KIB))
                .toList();
        Path notes = Files.write(folder.folder().resolve("notes.txt"), new byte[100 * KIB]);

        // when
        folder.tidy();

        // then the newest file and seven full ones before it (56 KiB) are kept
        assertThat(folder.logFiles()).containsExactlyElementsOf(files.subList(2, 10));
        assertThat(notes).exists();
    }

    @Test
    void shouldKeepTheFileBeingWrittenWhateverItsSizeWhenPruning() throws IOException {
        // given older files within the budget and a newest file over it (rotations within one second append)
        ServerLogFolder folder = givenAFolder(64 * KIB);
        Path older = givenALogFile(folder, "postgresql-20261206-130000-000001.log", 8 * KIB);
        Path newest = givenALogFile(folder, "postgresql-20261206-130001-000001.log", 200 * KIB);

        // when
        folder.tidy();

        // then the server's current file stays
        assertThat(folder.logFiles()).containsExactly(older, newest);
    }

    @Test
    void shouldRenameEachFileThatPostgresqlCreatesWhenTidying() throws IOException {
        // given a file PostgreSQL created, renamed, then created again in the same second (its size rotation)
        ServerLogFolder folder = givenAFolder(64 * KIB);
        givenALogFile(folder, "postgresql-20261206-130000.log", 8 * KIB);
        folder.tidy();
        givenALogFile(folder, "postgresql-20261206-130000.log", 1);

        // when
        folder.tidy();

        // then both have a name of their own, in the order they were created, and the second's name is free again
        assertThat(folder.logFiles())
                .extracting(file -> file.getFileName().toString())
                .containsExactly("postgresql-20261206-130000-000001.log", "postgresql-20261206-130000-000002.log");
    }

    @Test
    void shouldNameARenamedFileAfterTheNewestOfItsSecondWhenOlderOnesWerePruned() throws IOException {
        // given the first two files of a second pruned, the third kept, and PostgreSQL's next file of that second
        ServerLogFolder folder = givenAFolder(64 * KIB);
        givenALogFile(folder, "postgresql-20261206-130000-000003.log", 8 * KIB);
        givenALogFile(folder, "postgresql-20261206-130000.log", 1);

        // when
        folder.tidy();

        // then the newest file sorts last, so it is the one kept
        assertThat(folder.logFiles())
                .extracting(file -> file.getFileName().toString())
                .containsExactly("postgresql-20261206-130000-000003.log", "postgresql-20261206-130000-000004.log");
    }

    @Test
    void shouldOrderFilesByTheSecondTheyStartedWhenListing() throws IOException {
        // given names that sort by time, not by creation order
        ServerLogFolder folder = givenAFolder(64 * KIB);
        Path later = givenALogFile(folder, "postgresql-20261207-000000.log", 1);
        Path renamed = givenALogFile(folder, "postgresql-20261207-000000-000001.log", 1);
        Path earlier = givenALogFile(folder, "postgresql-20261206-235959-000003.log", 1);

        // when / then
        assertThat(folder.logFiles()).containsExactly(earlier, renamed, later);
    }

    @Test
    void shouldRotateAtAnEighthOfTheBudgetWhenConfigured() {
        // given / when
        ServerLogFolder folder = new ServerLogFolder(dataDir.resolve("postgres"), ServerLogFolder.budget("32M"));

        // then
        assertThat(folder.rotationSize()).isEqualTo(4L * 1024 * KIB);
        assertThat(folder.serverConfig())
                .containsEntry("log_rotation_size", "4096kB")
                .containsEntry("log_directory", "../postgres-log")
                .containsEntry("log_min_error_statement", "panic")
                .containsEntry("log_parameter_max_length_on_error", "0");
    }

    @Test
    void shouldRefuseABudgetThatIsNoSizeOrOutOfRangeWhenParsed() {
        assertThat(ServerLogFolder.budget("64K")).isEqualTo(64 * KIB);
        for (String setting : List.of("63K", "9G", "lots", "-1M", "99999999999999999999999T")) {
            assertThatThrownBy(() -> ServerLogFolder.budget(setting))
                    .as(setting)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mecgw.store.log-budget");
        }
    }

    private ServerLogFolder givenAFolder(long budget) throws IOException {
        ServerLogFolder folder = new ServerLogFolder(dataDir.resolve("postgres"), budget);
        folder.create();
        return folder;
    }

    private static Path givenALogFile(ServerLogFolder folder, String name, int bytes) {
        try {
            return Files.write(folder.folder().resolve(name), new byte[bytes]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
