package dev.mecgw.app.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArtifactStoreTest {

    @TempDir
    Path dir;

    @Test
    void shouldRecordSha256WhenArtifactIsStored() throws Exception {
        // given
        FileArtifactStore store = givenAStore(1024);
        byte[] content = "firmware v1".getBytes();

        // when
        Artifact stored = store.put("fw.bin", new ByteArrayInputStream(content));

        // then
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.sha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertThat(store.find("fw.bin")).contains(stored);
    }

    @Test
    void shouldReadRequestedRangeWhenArtifactIsRead() {
        // given
        FileArtifactStore store = givenAStore(1024);
        Artifact stored = store.put("fw.bin", new ByteArrayInputStream("0123456789".getBytes()));
        ByteBuffer buffer = ByteBuffer.allocate(4);

        // when
        int read = store.read(stored, 8, buffer);

        // then
        assertThat(read).isEqualTo(2);
        assertThat(new String(buffer.array(), 0, 2)).isEqualTo("89");
    }

    @Test
    void shouldKeepOldVersionWhenUploadExceedsMaximum() throws Exception {
        // given
        FileArtifactStore store = givenAStore(8);
        Artifact old = store.put("fw.bin", new ByteArrayInputStream("small".getBytes()));

        // when / then
        assertThatThrownBy(() -> store.put("fw.bin", new ByteArrayInputStream("far too large".getBytes())))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXCEEDED));
        assertThat(store.find("fw.bin")).contains(old);
        try (var files = Files.list(dir.resolve("blobs"))) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void shouldDropReplacedContentWhenArtifactIsReplaced() throws Exception {
        // given
        FileArtifactStore store = givenAStore(1024);
        Artifact first = store.put("fw.bin", new ByteArrayInputStream("v1".getBytes()));

        // when
        Artifact second = store.put("fw.bin", new ByteArrayInputStream("v2".getBytes()));

        // then
        assertThat(store.find("fw.bin")).contains(second);
        assertThat(dir.resolve("blobs").resolve(first.sha256())).doesNotExist();
        assertThatThrownBy(() -> store.read(first, 0, ByteBuffer.allocate(2)))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void shouldRejectNameWhenItCouldEscapeTheStore() {
        // given
        FileArtifactStore store = givenAStore(1024);

        // when / then
        assertThatThrownBy(() -> store.put("../etc/passwd", new ByteArrayInputStream("x".getBytes())))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
        assertThat(store.find("..")).isEmpty();
    }

    private FileArtifactStore givenAStore(long maxSize) {
        return new FileArtifactStore(dir, maxSize, new ObjectMapper().registerModule(new JavaTimeModule()));
    }
}
