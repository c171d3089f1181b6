package dev.mecgw.app.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mask key survives torn writes (issue 14 item 8). */
class MaskSecretTest {

    @TempDir
    Path dir;

    @Test
    void shouldReplaceEmptyKeyFileWhenAnEarlierWriteWasTorn() throws Exception {
        // given: an empty key file, as a power cut after create and before the data left
        Files.createFile(dir.resolve(MaskSecret.FILE));
        // when
        byte[] secret = MaskSecret.load(Optional.empty(), dir);
        // then: a complete key, stored, and read back the same
        assertThat(secret).hasSize(32);
        assertThat(MaskSecret.load(Optional.empty(), dir)).isEqualTo(secret);
    }
}
