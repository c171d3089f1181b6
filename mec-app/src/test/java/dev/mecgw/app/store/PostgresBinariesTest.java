package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** The PostgreSQL archive is read only to extract it, never when its binaries are there and whole (issue 22). */
class PostgresBinariesTest {

    private static final String POSTGRES = "#!/bin/sh\necho 'postgres (PostgreSQL) 14.22'\n";
    private static final String LIBPQ = "a shared library";

    @TempDir
    Path workingDirectory;

    @Test
    void shouldExtractTheArchiveWhenNoBinariesAreThere() throws IOException {
        // given
        CountingArchive archive = givenAnArchive("postgres-linux-x86_64.txz, 1000 bytes");

        // when
        Path folder = new PostgresBinaries(workingDirectory, archive).prepare();

        // then
        assertThat(archive.opens).hasValue(1);
        assertThat(folder.getFileName()).hasToString("PG-" + PostgresBinaries.md5(archive.identity()));
        assertThat(folder.resolve("bin/postgres")).hasContent(POSTGRES).isExecutable();
        assertThat(Files.readSymbolicLink(folder.resolve("lib/libpq.so.5"))).hasToString("libpq.so.5.14");
        assertThat(folder.resolve("lib/libpq.so.5")).hasContent(LIBPQ);
        assertThat(folder.resolve(PostgresBinaries.ZONKY_READY)).exists();
        assertThat(workingDirectory).isDirectoryNotContaining("glob:**.partial-*");
    }

    @Test
    void shouldNotOpenTheArchiveWhenTheBinariesAreIntact() throws IOException {
        // given binaries extracted by an earlier start
        CountingArchive archive = givenAnArchive("postgres-linux-x86_64.txz, 1000 bytes");
        Path extracted = new PostgresBinaries(workingDirectory, archive).prepare();

        // when the next start prepares them with an archive that cannot be read
        Path folder = new PostgresBinaries(workingDirectory, new UnreadableArchive(archive.identity())).prepare();

        // then
        assertThat(folder).isEqualTo(extracted);
        assertThat(archive.opens).hasValue(1);
        assertThat(folder.resolve("bin/postgres")).hasContent(POSTGRES);
    }

    @Test
    void shouldExtractAgainWhenAFileIsTruncated() throws IOException {
        // given
        CountingArchive archive = givenAnArchive("postgres-linux-x86_64.txz, 1000 bytes");
        Path folder = new PostgresBinaries(workingDirectory, archive).prepare();
        Files.write(folder.resolve("bin/postgres"), new byte[0]);

        // when
        new PostgresBinaries(workingDirectory, archive).prepare();

        // then
        assertThat(archive.opens).hasValue(2);
        assertThat(folder.resolve("bin/postgres")).hasContent(POSTGRES).isExecutable();
    }

    @Test
    void shouldExtractAgainWhenAFileIsMissing() throws IOException {
        // given
        CountingArchive archive = givenAnArchive("postgres-linux-x86_64.txz, 1000 bytes");
        Path folder = new PostgresBinaries(workingDirectory, archive).prepare();
        Files.delete(folder.resolve("lib/libpq.so.5.14"));

        // when
        new PostgresBinaries(workingDirectory, archive).prepare();

        // then
        assertThat(archive.opens).hasValue(2);
        assertThat(folder.resolve("lib/libpq.so.5")).hasContent(LIBPQ);
    }

    @Test
    void shouldExtractAgainWhenAnExtractionWasInterrupted() throws IOException {
        // given a folder an interrupted extraction left: some files, no manifest
        CountingArchive archive = givenAnArchive("postgres-linux-x86_64.txz, 1000 bytes");
        Path folder = workingDirectory.resolve("PG-" + PostgresBinaries.md5(archive.identity()));
        Files.createDirectories(folder.resolve("bin"));
        Files.writeString(folder.resolve("bin/postgres"), "#!/bin/sh\n");

        // when
        new PostgresBinaries(workingDirectory, archive).prepare();

        // then
        assertThat(archive.opens).hasValue(1);
        assertThat(folder.resolve("bin/postgres")).hasContent(POSTGRES);
        assertThat(folder.resolve("lib/libpq.so.5.14")).hasContent(LIBPQ);
    }

    @Test
    void shouldExtractIntoItsOwnFolderWhenTheArchiveChanges() throws IOException {
        // given binaries of an older archive
        CountingArchive older = givenAnArchive("postgres-linux-x86_64.txz, 1000 bytes");
        Path old = new PostgresBinaries(workingDirectory, older).prepare();

        // when
        CountingArchive newer = givenAnArchive("postgres-linux-x86_64.txz, 1001 bytes");
        Path folder = new PostgresBinaries(workingDirectory, newer).prepare();

        // then
        assertThat(newer.opens).hasValue(1);
        assertThat(folder).isNotEqualTo(old);
        assertThat(folder.resolve("bin/postgres")).hasContent(POSTGRES);
    }

    private static CountingArchive givenAnArchive(String identity) {
        return new CountingArchive(identity, tinyTxz());
    }

    /** An xz-compressed tar laid out as zonky's: bin/, lib/ with a versioned library and its symbolic link. */
    static byte[] tinyTxz() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options()))) {
            tar.putArchiveEntry(new TarArchiveEntry("./"));
            tar.closeArchiveEntry();
            tar.putArchiveEntry(new TarArchiveEntry("bin/"));
            tar.closeArchiveEntry();
            addFile(tar, "bin/postgres", POSTGRES, 0755);
            addFile(tar, "lib/libpq.so.5.14", LIBPQ, 0644);
            TarArchiveEntry link = new TarArchiveEntry("lib/libpq.so.5", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("libpq.so.5.14");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void addFile(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** An archive that counts how often it is opened. */
    static final class CountingArchive implements PostgresArchive {

        final AtomicInteger opens = new AtomicInteger();
        private final String identity;
        private final byte[] bytes;

        CountingArchive(String identity, byte[] bytes) {
            this.identity = identity;
            this.bytes = bytes;
        }

        @Override
        public String identity() {
            return identity;
        }

        @Override
        public InputStream open() {
            opens.incrementAndGet();
            return new ByteArrayInputStream(bytes);
        }
    }

    /** An archive with a known identity whose bytes cannot be read: a start that reads it fails. */
    static final class UnreadableArchive implements PostgresArchive {

        private final String identity;

        UnreadableArchive(String identity) {
            this.identity = identity;
        }

        @Override
        public String identity() {
            return identity;
        }

        @Override
        public InputStream open() throws IOException {
            throw new IOException("the archive was opened");
        }
    }
}
