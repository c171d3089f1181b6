package dev.mecgw.app.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder an archive is extracted into, which no entry may leave. Checking an entry's name alone ({@code ..}) is
 * not enough once the archive has made links (review finding): after a symbolic link {@code lib -> /tmp} an entry
 * {@code lib/x} would be written to {@code /tmp/x}, and a hard link may name a symbolic link. So every folder on an
 * entry's way is checked by its real path before anything is made in it, a symbolic link must resolve inside the
 * folder when it is made and again once every entry is there (one made before the links it goes through could not
 * be resolved whole), and a hard link must name a regular file. Each refusal is an {@link IOException} naming the
 * entry.
 */
final class ExtractionFolder {

    private final Path root;
    private final Path realRoot;
    private final List<Path> links = new ArrayList<>();

    /** @param root the folder, existing, absolute and normalized */
    ExtractionFolder(Path root) throws IOException {
        this.root = root;
        this.realRoot = root.toRealPath();
    }

    Path root() {
        return root;
    }

    /** @return where the entry named goes by its name, refused when {@code ..} takes it out of the folder */
    Path entry(String name) throws IOException {
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("Archive entry outside its folder: " + name);
        }
        return path;
    }

    /**
     * Makes the folder {@code path} (an {@link #entry}) and those above it that are missing, one at a time; a link
     * on the way is followed only when it resolves inside the folder.
     */
    void directories(Path path, String name) throws IOException {
        Path current = root;
        for (Path part : root.relativize(path)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                inside(realPath(current, name), name);
            } else if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(current);
            } else if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("Archive entry " + name + " goes through a file: " + root.relativize(current));
            }
        }
    }

    /**
     * Makes the symbolic link {@code path} (its folder made) to {@code target}, which must be relative and, as far
     * as it resolves now, lead inside the folder.
     */
    void symbolicLink(Path path, String target, String name) throws IOException {
        Path link = Path.of(target);
        if (link.isAbsolute()) {
            throw new IOException("Archive entry " + name + " links to an absolute path: " + target);
        }
        Path resolved = path.getParent().toRealPath().resolve(link);
        inside(Files.exists(resolved) ? resolved.toRealPath() : resolved.normalize(), name);
        Files.createSymbolicLink(path, link);
        links.add(path);
    }

    /**
     * Makes the hard link {@code path} (its folder made) to the earlier entry named {@code existingName}.
     *
     * @return the entry linked to, a regular file inside the folder
     */
    Path hardLink(Path path, String existingName, String name) throws IOException {
        Path existing = entry(existingName);
        inside(realPath(existing.getParent(), name), name);
        if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(
                    "Archive entry " + name + " links to " + existingName + ", not a file of the archive");
        }
        Files.createLink(path, existing);
        return existing;
    }

    /** Checks, once every entry is made, that each symbolic link resolves to something inside the folder. */
    void checkLinks() throws IOException {
        for (Path link : links) {
            String name = root.relativize(link).toString();
            inside(realPath(link, name), name);
        }
    }

    private Path realPath(Path path, String name) throws IOException {
        try {
            return path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("Archive entry " + name + " goes through a link to nothing: " + e.getFile(), e);
        }
    }

    private void inside(Path real, String name) throws IOException {
        if (!real.startsWith(realRoot)) {
            throw new IOException("Archive entry " + name + " leads outside its folder, to " + real);
        }
    }
}
