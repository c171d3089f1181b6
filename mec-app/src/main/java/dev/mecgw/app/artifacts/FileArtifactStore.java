package dev.mecgw.app.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link ArtifactStore} on the file system, content-addressed: the bytes live in {@code blobs/<sha256>}
 * and {@code names/<name>.json} points at them. Replacing an artifact is one atomic rename of the pointer,
 * so a reader holding an {@link Artifact} reads one consistent version.
 */
public class FileArtifactStore implements ArtifactStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path blobs;
    private final Path names;
    private final long maxSize;
    private final ObjectMapper json;

    public FileArtifactStore(Path root, long maxSize, ObjectMapper json) {
        this.blobs = root.resolve("blobs");
        this.names = root.resolve("names");
        this.maxSize = maxSize;
        this.json = json;
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(names);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create artifact store under " + root, e);
        }
    }

    @Override
    public Artifact put(String name, InputStream content) {
        requireValid(name);
        try {
            Path tmp = Files.createTempFile(blobs, ".upload", ".tmp");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size = copy(content, tmp, sha);
                if (size == 0) {
                    throw GatewayException.badField("body", "artifact is empty");
                }
                String hex = HexFormat.of().formatHex(sha.digest());
                Files.move(
                        tmp, blobs.resolve(hex), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Artifact artifact = new Artifact(name, size, hex, Instant.now());
                Optional<Artifact> previous = find(name);
                writePointer(artifact);
                previous.filter(p -> !p.sha256().equals(hex)).ifPresent(this::deleteIfUnreferenced);
                return artifact;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Artifact store unavailable", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public Optional<Artifact> find(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(names.resolve(name + ".json").toFile(), Artifact.class));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Artifact store unavailable", e);
        }
    }

    @Override
    public java.util.List<Artifact> list() {
        try (var files = Files.list(names)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".json"))
                    .map(f -> find(f.substring(0, f.length() - ".json".length())))
                    .flatMap(Optional::stream)
                    .sorted(java.util.Comparator.comparing(Artifact::name))
                    .toList();
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Artifact store unavailable", e);
        }
    }

    @Override
    public int read(Artifact artifact, long offset, ByteBuffer into) {
        try (FileChannel channel = FileChannel.open(blobs.resolve(artifact.sha256()), StandardOpenOption.READ)) {
            int total = 0;
            while (into.hasRemaining()) {
                int n = channel.read(into, offset + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        } catch (NoSuchFileException e) {
            throw GatewayException.notFound("Artifact version");
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Artifact store unavailable", e);
        }
    }

    private long copy(InputStream content, Path target, MessageDigest sha) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE);
                OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
            int n;
            while ((n = content.read(buffer)) > 0) {
                size += n;
                if (size > maxSize) {
                    throw new GatewayException(
                            ErrorKind.QUOTA_EXCEEDED, "Artifact exceeds the maximum size of " + maxSize + " bytes");
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            out.flush();
            // The pointer must never name a blob that a crash could leave short.
            channel.force(true);
        }
        return size;
    }

    private void writePointer(Artifact artifact) throws IOException {
        Path tmp = Files.createTempFile(names, ".pointer", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(json.writeValueAsBytes(artifact)));
                channel.force(true);
            }
            Files.move(
                    tmp,
                    names.resolve(artifact.name() + ".json"),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void deleteIfUnreferenced(Artifact old) {
        try (var pointers = Files.list(names)) {
            boolean referenced = pointers.filter(p -> p.toString().endsWith(".json"))
                    .anyMatch(p -> p.getFileName().toString().equals(old.name() + ".json")
                            ? false
                            : find(p.getFileName().toString().replaceFirst("\\.json$", ""))
                                    .map(a -> a.sha256().equals(old.sha256()))
                                    .orElse(false));
            if (!referenced) {
                Files.deleteIfExists(blobs.resolve(old.sha256()));
            }
        } catch (IOException | RuntimeException e) {
            // A leftover blob only costs disk space; the new version is already in place.
        }
    }

    private static void requireValid(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw GatewayException.badField(
                    "name", "must be 1..128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
