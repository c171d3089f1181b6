package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void shouldRefuseALinkToAnAbsolutePathAndWriteNothingThroughIt() throws IOException {
        // given an archive linking lib to a folder outside, then writing lib/x
        Path outside = Files.createDirectories(workingDirectory.resolve("outside"));
        CountingArchive archive = givenAnArchive(symbolicLink("lib", outside.toString()), file("lib/x", "escaped"));

        // when / then
        assertRefused(archive, "lib");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void shouldRefuseALinkLeadingOutOfTheFolderAndWriteNothingThroughIt() throws IOException {
        // given an archive linking lib to the working directory by a relative path, then writing lib/x
        CountingArchive archive = givenAnArchive(symbolicLink("lib", ".."), file("lib/x", "escaped"));

        // when / then
        assertRefused(archive, "lib");
        assertThat(workingDirectory.resolve("x")).doesNotExist();
    }

    @Test
    void shouldRefuseAnEntryWhoseFolderLeadsOutThroughLinksMadeLater() throws IOException {
        // given up -> d/.. made while d is missing (so it looks inside), then d -> . (so up is the folder's parent)
        CountingArchive archive =
                givenAnArchive(symbolicLink("up", "d/.."), symbolicLink("d", "."), file("up/x", "escaped"));

        // when / then the entry written through up is refused
        assertRefused(archive, "up/x");
        assertThat(workingDirectory.resolve("x")).doesNotExist();
    }

    @Test
    void shouldRefuseALinkThatLeadsOutOnceEveryEntryIsMade() throws IOException {
        // given out -> d/../x made while d is missing, then d -> .: out ends up naming the working directory's x
        Files.writeString(workingDirectory.resolve("x"), "a file outside");
        CountingArchive archive = givenAnArchive(symbolicLink("out", "d/../x"), symbolicLink("d", "."));

        // when / then
        assertRefused(archive, "out");
    }

    @Test
    void shouldRefuseAHardLinkToASymbolicLink() throws IOException {
        // given an archive with a symbolic link, then a hard link to it
        CountingArchive archive = givenAnArchive(
                file("lib/libpq.so.5.14", LIBPQ),
                symbolicLink("lib/libpq.so.5", "libpq.so.5.14"),
                hardLink("lib/libpq.so", "lib/libpq.so.5"));

        // when / then
        assertRefused(archive, "lib/libpq.so");
    }

    @Test
    void shouldExtractALinkMadeBeforeItsTargetWhenBothAreInside() throws IOException {
        // given a link listed before the file it names, and a hard link to that file, as tar may order them
        CountingArchive archive = givenAnArchive(
                symbolicLink("lib/libpq.so.5", "libpq.so.5.14"),
                file("lib/libpq.so.5.14", LIBPQ),
                hardLink("lib/libpq.so", "lib/libpq.so.5.14"));

        // when
        Path folder = new PostgresBinaries(workingDirectory, archive).prepare();

        // then
        assertThat(folder.resolve("lib/libpq.so.5")).isSymbolicLink().hasContent(LIBPQ);
        assertThat(folder.resolve("lib/libpq.so")).hasContent(LIBPQ);
    }

    private static CountingArchive givenAnArchive(String identity) {
        return new CountingArchive(identity, tinyTxz());
    }

    private static CountingArchive givenAnArchive(Entry... entries) {
        return new CountingArchive("hostile.txz", txz(entries));
    }

    /** Prepares the binaries of {@code archive}, which must fail naming {@code entry} and leave no folder behind. */
    private void assertRefused(CountingArchive archive, String entry) throws IOException {
        assertThatThrownBy(() -> new PostgresBinaries(workingDirectory, archive).prepare())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Archive entry " + entry + " ");
        assertThat(workingDirectory.resolve("PG-" + PostgresBinaries.md5(archive.identity())))
                .doesNotExist();
        assertThat(workingDirectory).isDirectoryNotContaining("glob:**.partial-*");
    }

    /** One entry of a test archive: its header and, for a file, its content. */
    record Entry(TarArchiveEntry header, byte[] data) {}

    static Entry file(String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry header = new TarArchiveEntry(name);
        header.setSize(data.length);
        header.setMode(0644);
        return new Entry(header, data);
    }

    static Entry symbolicLink(String name, String target) {
        TarArchiveEntry header = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        header.setLinkName(target);
        return new Entry(header, new byte[0]);
    }

    static Entry hardLink(String name, String target) {
        TarArchiveEntry header = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
        header.setLinkName(target);
        return new Entry(header, new byte[0]);
    }

    /** An xz-compressed tar of {@code entries}, in their order. */
    static byte[] txz(Entry... entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options()))) {
            for (Entry entry : entries) {
                tar.putArchiveEntry(entry.header());
                tar.write(entry.data());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An xz-compressed tar laid out as zonky's: bin/, lib/ with a versioned library and its symbolic link. */
    static byte[] tinyTxz() {
        Entry postgres = file("bin/postgres", POSTGRES);
        postgres.header().setMode(0755);
        return txz(
                new Entry(new TarArchiveEntry("./"), new byte[0]),
                new Entry(new TarArchiveEntry("bin/"), new byte[0]),
                postgres,
                file("lib/libpq.so.5.14", LIBPQ),
                symbolicLink("lib/libpq.so.5", "libpq.so.5.14"));
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
