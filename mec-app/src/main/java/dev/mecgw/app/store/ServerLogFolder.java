package dev.mecgw.app.store;

import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running PostgreSQL's log: its logging collector writes it into {@code <data-dir>/postgres-log}, and
 * {@link #tidy()} keeps that folder within a budget in bytes, however long the server runs and however fast it logs.
 *
 * <p>PostgreSQL alone cannot bound its log in bytes: it deletes no file, truncates one only on a time-driven rotation
 * to another name, and a size-driven rotation to the name in use (names have a resolution of one second) appends to
 * it, so a burst of log lines within one second fills one file without limit. Here PostgreSQL rotates each time its
 * file reaches an eighth of the budget (the rotation size); the {@link LogJanitor} runs {@link #tidy()} whenever a file
 * appears, which renames the new file at once (adding a sequence number), so that the next rotation, in the same second
 * or not, creates a new file instead of appending, and deletes the oldest files until the closed ones take at most the
 * budget less one rotation size. Worst case: the budget, plus one rotation size for each rotation that PostgreSQL makes
 * before the janitor's thread runs (a file renamed late has taken the rotations it missed).
 *
 * <p>Before the collector runs (a start that fails on a setting), the postmaster writes to the {@link ServerLog}; what
 * the collector wrote during a start is read with {@link #ends()} and {@link #since(Map)}.
 */
final class ServerLogFolder {

    /** The folder, beside the data directory. */
    static final String FOLDER = "postgres-log";

    static final long MIN_BUDGET = 64L * 1024;
    static final long MAX_BUDGET = 8L * 1024 * 1024 * 1024;
    // A rotation frees an eighth of the budget: the newest seven eighths of the log are kept.
    private static final int FILES = 8;
    // Names sort in time order: UTC (log_timezone), so no daylight-saving hour repeats a name. A renamed file,
    // postgresql-<second>-<sequence>.log, sorts before the file of its second that PostgreSQL may still create.
    private static final String NAME_FORMAT = "postgresql-%Y%m%d-%H%M%S.log";
    private static final Pattern NEW = Pattern.compile("postgresql-(\\d{8}-\\d{6})\\.log");
    private static final Pattern NAME = Pattern.compile("postgresql-\\d{8}-\\d{6}(-\\d{6})?\\.log");

    private final Path folder;
    private final long budget;

    /**
     * @param dataDirectory PostgreSQL's data directory; the folder is its sibling
     * @param budget bytes the folder may take, from {@link #MIN_BUDGET} to {@link #MAX_BUDGET}
     * @throws IllegalArgumentException when the budget is out of range
     */
    ServerLogFolder(Path dataDirectory, long budget) {
        this.folder = dataDirectory.resolveSibling(FOLDER);
        this.budget = checked(budget, budget + " bytes");
    }

    /**
     * The budget that a setting such as {@code 32M} gives.
     *
     * @throws IllegalArgumentException when the setting is not a size or out of range
     */
    static long budget(String setting) {
        BigInteger bytes;
        try {
            bytes = new MemorySizeConverter().convert(setting.strip()).asBigInteger();
        } catch (IllegalArgumentException e) {
            throw refused(setting, e);
        }
        return checked(bytes.bitLength() < Long.SIZE ? bytes.longValue() : Long.MAX_VALUE, setting);
    }

    private static long checked(long budget, String setting) {
        if (budget < MIN_BUDGET || budget > MAX_BUDGET) {
            throw refused(setting, null);
        }
        return budget;
    }

    private static IllegalArgumentException refused(String setting, Exception cause) {
        return new IllegalArgumentException(
                "The embedded PostgreSQL's log budget (mecgw.store.log-budget) must be from 64K to 8G, not " + setting,
                cause);
    }

    /** Creates the folder, owner-only like the log files in it, unless it exists. */
    void create() throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(
                    folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /**
     * The server settings that send its log here, rotated by size, and keep device data and secrets out of it. They
     * are passed on the command line, so they win over {@code postgresql.conf} and {@code ALTER SYSTEM}.
     */
    Map<String, String> serverConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("logging_collector", "on");
        // Relative to the data directory: zonky passes settings through pg_ctl's shell, which would split a path
        // with a space in it.
        config.put("log_directory", "../" + FOLDER);
        config.put("log_filename", NAME_FORMAT);
        config.put("log_timezone", "UTC");
        config.put("log_file_mode", "0600");
        config.put("log_rotation_size", Long.toString(rotationSize() / 1024) + "kB");
        // No time-driven rotation: a quiet server keeps one file instead of a small one a day.
        config.put("log_rotation_age", "0");
        // A failing statement is the client's to report (the gateway logs it once, where it converts it); by
        // default PostgreSQL also logs its text (log_min_error_statement = error), and with it device payloads
        // and any literal in it. PANIC is how PostgreSQL's documentation turns that off: only a statement that
        // takes the whole server down would still be quoted.
        config.put("log_min_error_statement", "panic");
        // DETAIL and CONTEXT quote the values: "Failing row contains (...)", "Key (id)=(...) already exists".
        // The primary message stays, so an operator still sees what failed and how often.
        config.put("log_error_verbosity", "terse");
        config.put("log_statement", "none");
        // Bind parameters: neither those of logged statements nor those of failing ones.
        config.put("log_parameter_max_length", "0");
        config.put("log_parameter_max_length_on_error", "0");
        return config;
    }

    /** Bytes after which PostgreSQL starts a new file: an eighth of the budget, a whole number of KiB. */
    long rotationSize() {
        return budget / FILES / 1024 * 1024;
    }

    /**
     * Renames the files PostgreSQL created (it goes on writing a renamed file until its next rotation), then deletes
     * the oldest log files until those before the newest (which the server may be writing) take at most the budget
     * less one rotation size. Other files in the folder are left alone.
     *
     * <p>Synchronized: the janitor's thread and a start that retries on another port both tidy, and two tidies would
     * pick the same new name for a file.
     *
     * @throws IOException when the folder cannot be listed or a file cannot be renamed or deleted
     */
    synchronized void tidy() throws IOException {
        List<Path> listed = logFiles();
        for (Path file : listed) {
            Matcher created = NEW.matcher(file.getFileName().toString());
            if (created.matches()) {
                // the highest sequence of its second is among the files listed before it (names sort so)
                rename(file, created.group(1), listed);
            }
        }
        List<Path> files = logFiles();
        if (files.size() < 2) {
            return;
        }
        List<Path> closed = files.subList(0, files.size() - 1);
        long[] sizes = new long[closed.size()];
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = size(closed.get(i));
            total += sizes[i];
        }
        for (int i = 0; i < sizes.length && total > budget - rotationSize(); i++) {
            Files.deleteIfExists(closed.get(i));
            total -= sizes[i];
        }
    }

    /** Renames a file PostgreSQL created after the last of its second, which may have been pruned meanwhile. */
    private void rename(Path file, String second, List<Path> files) throws IOException {
        String prefix = "postgresql-" + second + "-";
        int last = 0;
        for (Path other : files) {
            String name = other.getFileName().toString();
            if (name.startsWith(prefix) && NAME.matcher(name).matches()) {
                last = Math.max(last, Integer.parseInt(name.substring(prefix.length(), prefix.length() + 6)));
            }
        }
        try {
            Files.move(file, folder.resolve("%s%06d.log".formatted(prefix, last + 1)), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // pruned since it was listed
        }
    }

    /** Where each log file ends now; see {@link #since(Map)}. Empty when the folder cannot be listed. */
    Map<Path, Long> ends() {
        Map<Path, Long> ends = new HashMap<>();
        try {
            for (Path file : logFiles()) {
                ends.put(file, size(file));
            }
        } catch (IOException | DirectoryIteratorException e) {
            // nothing to compare with: all of the log counts as new
        }
        return ends;
    }

    /**
     * What the server logged after {@code ends}: the new end of each log file (its last 64 KiB at most) after a line
     * naming it. A file renamed since counts as new, so call {@link #tidy()} first when earlier files may be renamed.
     */
    String since(Map<Path, Long> ends) {
        StringBuilder text = new StringBuilder();
        try {
            for (Path file : logFiles()) {
                long from = ends.getOrDefault(file, 0L);
                if (size(file) > from) {
                    text.append("-- ").append(file).append(":\n").append(ServerLog.read(file, from));
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // what was read so far
        }
        return text.toString();
    }

    /** The log files, oldest first. */
    List<Path> logFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(
                folder, entry -> NAME.matcher(entry.getFileName().toString()).matches())) {
            entries.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private static long size(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    Path folder() {
        return folder;
    }
}
