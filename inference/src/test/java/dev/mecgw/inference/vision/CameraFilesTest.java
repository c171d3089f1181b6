package dev.mecgw.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CameraFilesTest {

    @TempDir
    Path data;

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "../..", ".hidden", "a/../b"})
    void shouldKeepEveryCameraDirectoryInsideTheRootWhenIdIsHostile(String cameraId) {
        // issue 15: ".." passed the old sanitizer and pruning then deleted files in the data directory
        String name = CameraFiles.directoryName(cameraId);
        Path root = data.resolve("thumbnails");
        assertThat(root.resolve(name).normalize().getParent()).isEqualTo(root);
        assertThat(name).doesNotStartWith(".").doesNotContain("/");
    }

    @Test
    void shouldNotPruneTheDataDirectoryWhenCameraIdIsDotDot() throws Exception {
        // given: a file in the data directory, next to the thumbnails root
        Path root = Files.createDirectories(data.resolve("thumbnails"));
        Path precious = Files.writeString(data.resolve("keep.me"), "x");
        CameraFiles files = new CameraFiles(root, 1);
        // when: a device named ".." gets two files written (keeping one)
        files.write("..", Instant.ofEpochMilli(1), ".jpg", path -> Files.writeString(path, "a"));
        String written = files.write("..", Instant.ofEpochMilli(2), ".jpg", path -> Files.writeString(path, "b"));
        // then: both landed under the root, and nothing outside it was pruned
        assertThat(precious).exists();
        assertThat(root.resolve(written)).exists();
    }
}
