package dev.mecgw.inference.vision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Per-camera files {@code <root>/<camera>/<epoch-millis><suffix>}, written atomically, at most
 * {@code keepPerCamera} per camera (the oldest go first), so the folder cannot fill the disk.
 */
final class CameraFiles {

    /** Writes one file's content to the path it is given. */
    interface Content {
        void writeTo(Path file) throws IOException;
    }

    private final Path root;
    private final int keepPerCamera;

    CameraFiles(Path root, int keepPerCamera) {
        this.root = root;
        this.keepPerCamera = keepPerCamera;
    }

    /** Writes a camera's file for {@code at}; returns its path relative to the root. */
    String write(String cameraId, Instant at, String suffix, Content content) throws IOException {
        String camera = directoryName(cameraId);
        Path dir = root.resolve(camera);
        Path file = dir.resolve(at.toEpochMilli() + suffix);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".part", ".tmp");
        try {
            content.writeTo(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        prune(dir);
        return camera + "/" + file.getFileName();
    }

    /**
     * Camera ids come from devices: keep them to a safe file-name alphabet, and never let one name the root itself
     * or its parent ({@code .}, {@code ..}), where pruning would delete other files (issue 15).
     */
    static String directoryName(String cameraId) {
        String name = cameraId.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
    }

    private void prune(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            var kept = files.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> Long.compare(millis(a), millis(b)))
                    .toList();
            for (int i = 0; i < kept.size() - keepPerCamera; i++) {
                Files.deleteIfExists(kept.get(i));
            }
        }
    }

    private static long millis(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        try {
            return Long.parseLong(dot < 0 ? name : name.substring(0, dot));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
