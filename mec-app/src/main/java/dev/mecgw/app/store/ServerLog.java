package dev.mecgw.app.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

/**
 * The output of the commands that run the embedded PostgreSQL ({@code initdb}, {@code pg_ctl}) and of the postmaster
 * until its logging collector takes over (a bad setting, a taken port), in a file beside its data, so that a start
 * that fails says why. zonky's default sends it to its logger at INFO, which the gateway
 * filters out: a postmaster that stopped during its start left no trace but "Gave up waiting for server to start"
 * (issue 22 item 4: the restart that failed in a full CI run).
 *
 * <p>Each run of the server begins a new file and keeps the previous one as {@code <file>.1}, so the log takes at
 * most two runs' output, a few KiB each (a start's output, {@code initdb}'s once, a stop's); the file is owner-only,
 * like the password beside it. The running server logs into its {@link ServerLogFolder}.
 */
final class ServerLog {

    // A start writes a few lines; a later read never needs more than the end of the file.
    private static final int MAX_READ = 64 * 1024;

    private final Path file;

    ServerLog(Path file) {
        this.file = file;
    }

    /**
     * Keeps the previous run's log as {@code <file>.1} and creates an empty owner-only file for this run.
     *
     * @return where zonky sends the output of every command it runs (initdb, pg_ctl start and stop) and so of the
     *     server pg_ctl starts
     */
    Redirect startRun() throws IOException {
        if (Files.exists(file)) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Redirect.appendTo(file.toFile());
    }

    /** The length of the log now: where the output of what follows begins. */
    long length() {
        return file.toFile().length();
    }

    /** What was written from {@code offset} on (its last 64 KiB at most); empty when the file cannot be read. */
    String since(long offset) {
        return read(file, offset);
    }

    /** What {@code file} holds from {@code offset} on (its last 64 KiB at most); empty when it cannot be read. */
    static String read(Path file, long offset) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(offset, in.length() - MAX_READ);
            byte[] bytes = new byte[(int) Math.max(0, in.length() - from)];
            in.seek(from);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of {@code text}, indented, for an exception's message. */
    static String tail(String text, int lines) {
        List<String> all = Arrays.asList(text.strip().split("\n"));
        return "  " + String.join("\n  ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    Path file() {
        return file;
    }
}
