package dev.mecgw.app.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/**
 * The embedded PostgreSQL's binaries, extracted from zonky's archive once and used by every later start without
 * reading the archive again (issue 22 item 4).
 *
 * <p>zonky reads its whole archive at every start, to name its extraction folder after the archive's MD5: 14 MiB
 * read, and in the native executable 14 MiB of the image's pages made resident for good. Here the archive's
 * identity ({@link PostgresArchive#identity()}, taken without reading it) stands in for the archive: the folder is
 * {@code PG-<MD5 of the identity>} in zonky's working directory, and zonky is handed the identity as if it were the
 * archive, so it computes that same name, finds the folder ready and starts PostgreSQL from it. The archive is
 * opened only when the folder is missing, partial (its {@linkplain BinariesManifest manifest} is written last),
 * damaged (an entry missing or of another size) or from another archive; then it is extracted into a new folder
 * that replaces the old one by a rename. Extractions are serialised by a file lock, so gateways and tests sharing
 * the working directory never see a half-written folder.
 */
final class PostgresBinaries {

    private static final Logger LOG = Logger.getLogger(PostgresBinaries.class);

    /** zonky's mark of a finished extraction; zonky uses a folder only if this is its newest entry. */
    static final String ZONKY_READY = ".exists";

    // A FileLock is held per process: threads of this one queue here first.
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final Path workingDirectory;
    private final PostgresArchive archive;

    /**
     * @param workingDirectory where the extracted folders live (zonky's working directory)
     * @param archive the archive to extract when needed
     */
    PostgresBinaries(Path workingDirectory, PostgresArchive archive) {
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
        this.archive = archive;
    }

    /**
     * The binaries of zonky's archive on the class path, in zonky's working directory ({@code ot.epg.working-dir},
     * by default {@code embedded-pg} in the temp directory, where zonky always extracted them); empty when the
     * class path has no archive for this system (zonky then resolves it itself, reading it at each start).
     */
    static Optional<PostgresBinaries> fromClassPath() {
        Path defaultDirectory = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
        Path directory = Path.of(System.getProperty("ot.epg.working-dir", defaultDirectory.toString()));
        return ClasspathPostgresArchive.find(PostgresBinaries.class.getClassLoader())
                .map(archive -> new PostgresBinaries(directory, archive));
    }

    /** Prepares the binaries (see {@link #prepare()}) and has {@code builder} start PostgreSQL from them. */
    void configure(EmbeddedPostgres.Builder builder) throws IOException {
        String identity = archive.identity();
        prepare(identity);
        byte[] standIn = identity.getBytes(StandardCharsets.UTF_8);
        builder.setOverrideWorkingDirectory(workingDirectory.toFile())
                .setPgBinaryResolver((system, machineHardware) -> new ByteArrayInputStream(standIn));
    }

    /**
     * The folder of the archive's binaries: as found when intact, else extracted now.
     *
     * @throws IOException when the archive cannot be read or the folder not written
     */
    Path prepare() throws IOException {
        return prepare(archive.identity());
    }

    private Path prepare(String identity) throws IOException {
        Path folder = workingDirectory.resolve("PG-" + md5(identity));
        Files.createDirectories(workingDirectory);
        IN_PROCESS.lock();
        try (FileChannel lockFile = FileChannel.open(
                        workingDirectory.resolve(folder.getFileName() + ".lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            Optional<String> problem = BinariesManifest.problem(folder, identity);
            if (problem.isPresent()) {
                LOG.infof("Embedded PostgreSQL binaries in %s: %s; extracting %s", folder, problem.get(), archive);
                extract(folder, identity);
            }
            // zonky requires its mark to be newer than the folder and every entry in it.
            Path ready = folder.resolve(ZONKY_READY);
            if (!Files.exists(ready)) {
                Files.createFile(ready);
            }
            Files.setLastModifiedTime(ready, FileTime.fromMillis(System.currentTimeMillis()));
            return folder;
        } finally {
            IN_PROCESS.unlock();
        }
    }

    private void extract(Path folder, String identity) throws IOException {
        long started = System.nanoTime();
        Path partial = Files.createTempDirectory(workingDirectory, folder.getFileName() + ".partial-");
        try {
            // As zonky's folders: other users may run PostgreSQL from them (createTempDirectory makes it 0700).
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            BinariesManifest manifest = new BinariesManifest(identity);
            ExtractionFolder into = new ExtractionFolder(partial);
            try (InputStream in = archive.open();
                    TarArchiveInputStream tar =
                            new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(in, 1 << 16)))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    write(tar, entry, into, manifest);
                }
            }
            into.checkLinks();
            manifest.writeTo(partial);
            if (Files.exists(folder)) {
                // Moved aside first: a PostgreSQL still running from the old files keeps them open.
                Path stale = workingDirectory.resolve(folder.getFileName() + ".stale-" + System.nanoTime());
                Files.move(folder, stale, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(stale);
            }
            Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(partial);
        }
        LOG.infof(
                "Embedded PostgreSQL binaries extracted to %s in %d ms",
                folder, (System.nanoTime() - started) / 1_000_000);
    }

    private static void write(
            TarArchiveInputStream tar, TarArchiveEntry entry, ExtractionFolder into, BinariesManifest manifest)
            throws IOException {
        String name = entry.getName();
        Path target = into.entry(name);
        if (target.equals(into.root())) {
            return; // "./"
        }
        String path = into.root().relativize(target).toString();
        if (entry.isDirectory()) {
            into.directories(target, name);
            manifest.directory(path);
            return;
        }
        into.directories(target.getParent(), name);
        if (entry.isSymbolicLink()) {
            into.symbolicLink(target, entry.getLinkName(), name);
            manifest.link(path);
        } else if (entry.isLink()) {
            Path existing = into.hardLink(target, entry.getLinkName(), name);
            manifest.file(path, Files.size(existing));
        } else if (entry.isFile()) {
            // Never through a link: the new file must not exist, and a link there counts as existing.
            Files.copy(tar, target);
            Files.setPosixFilePermissions(target, permissions(entry.getMode(), path));
            manifest.file(path, Files.size(target));
        } else {
            throw new IOException("Unsupported archive entry: " + entry.getName());
        }
    }

    private static Set<PosixFilePermission> permissions(int mode, String path) {
        Set<PosixFilePermission> permissions =
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE (0001)
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        if (path.startsWith("bin/")) {
            permissions.add(PosixFilePermission.OWNER_EXECUTE); // as zonky does, whatever the archive says
        }
        return permissions;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** zonky names its folder {@code PG-} and the lower-case hex MD5 of what its resolver returned. */
    static String md5(String identity) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(identity.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }
}
