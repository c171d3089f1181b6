package dev.mecgw.app.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an extraction of the PostgreSQL archive wrote: the archive's identity on the first line, then one line per
 * entry ({@code f <size> <path>}, {@code d - <path>}, {@code l - <path>}). Written last, after every file, so a
 * folder without it is a partial extraction; checked at each start against the folder (every entry there, of its
 * type, each file of its size), so a deleted or truncated file is noticed without reading any content.
 */
final class BinariesManifest {

    static final String FILE = ".mecgw-manifest";

    private final String identity;
    private final List<String> entries = new ArrayList<>();

    BinariesManifest(String identity) {
        this.identity = identity;
    }

    void file(String path, long size) {
        entries.add("f " + size + " " + path);
    }

    void directory(String path) {
        entries.add("d - " + path);
    }

    void link(String path) {
        entries.add("l - " + path);
    }

    void writeTo(Path folder) throws IOException {
        StringBuilder text = new StringBuilder(identity).append('\n');
        entries.forEach(entry -> text.append(entry).append('\n'));
        Files.writeString(folder.resolve(FILE), text, StandardCharsets.UTF_8);
    }

    /**
     * Why {@code folder} does not hold a whole extraction of the archive named {@code identity}, or empty when it
     * does. Reads only the manifest and the entries' metadata.
     */
    static Optional<String> problem(Path folder, String identity) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.of(Files.isDirectory(folder) ? "extraction not finished" : "not extracted");
        }
        if (lines.isEmpty() || !lines.get(0).equals(identity)) {
            return Optional.of("extracted from another archive");
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(" ", 3);
            if (fields.length != 3) {
                return Optional.of("manifest damaged");
            }
            if (!intact(folder.resolve(fields[2]), fields[0], fields[1])) {
                return Optional.of(fields[2] + " missing or of another size");
            }
        }
        return Optional.empty();
    }

    private static boolean intact(Path entry, String type, String size) throws IOException {
        return switch (type) {
            case "d" -> Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
            case "l" -> Files.isSymbolicLink(entry);
            case "f" ->
                Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                        && String.valueOf(Files.size(entry)).equals(size);
            default -> false;
        };
    }
}
