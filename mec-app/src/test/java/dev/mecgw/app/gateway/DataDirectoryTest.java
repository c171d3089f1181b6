package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret files survive torn writes (issue 14 item 8). */
class DataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void shouldReplaceZeroLengthKeyWhenAnEarlierWriteWasTorn() throws Exception {
        // given: a power cut after the key's directory entry but before its data reached the disk
        Files.createFile(dir.resolve("secrets.key"));
        // when
        DataDirectory.Secret secret = new DataDirectory(dir).secret("secrets.key", 32, false);
        // then: a fresh, complete key, never the empty one
        assertThat(secret.bytes()).hasSize(32);
        assertThat(secret.created()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("secrets.key"))).isEqualTo(secret.bytes());
    }

    @Test
    void shouldIgnoreLeftoverTempFileWhenKeyIsCreated() throws Exception {
        // given: a temp file left by a crash in the middle of an earlier write
        Files.write(dir.resolve(".secrets.key123.tmp"), new byte[] {1, 2, 3});
        // when
        DataDirectory.Secret secret = new DataDirectory(dir).secret("secrets.key", 32, false);
        DataDirectory.Secret again = new DataDirectory(dir).secret("secrets.key", 32, false);
        // then
        assertThat(secret.bytes()).hasSize(32);
        assertThat(again.bytes()).isEqualTo(secret.bytes());
        assertThat(again.created()).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void shouldKeepCompleteTextSecretWhenReadAgain() {
        DataDirectory.Secret token = new DataDirectory(dir).secret("admin-token", 32, true);
        assertThat(new DataDirectory(dir).secret("admin-token", 32, true).bytes())
                .isEqualTo(token.bytes());
    }

    @Test
    void shouldLeaveNoTempFileWhenRenameFails() throws Exception {
        // given: a target the rename cannot replace (a non-empty directory stands in for any late failure)
        Path target = Files.createDirectories(dir.resolve("model.onnx"));
        Files.write(target.resolve("keep"), new byte[] {7});
        // when / then: the write is refused as a whole and its temp file removed
        assertThatThrownBy(() -> DurableFiles.replace(target, new byte[] {8})).isInstanceOf(IOException.class);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
