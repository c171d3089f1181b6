package dev.mecgw.app.modelrollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkAssemblyTest {

    private static final byte[] MODEL = givenModelBytes(10_000);

    @Test
    void shouldAssembleTheModelWhenEveryChunkArrivedInAnyOrder() {
        // given an offer of 4 KiB chunks and its chunks, delivered last first
        ModelOffer offer = givenAnOffer(MODEL, 4096);
        Map<Integer, byte[]> chunks = new HashMap<>();
        for (int i = offer.chunks() - 1; i >= 0; i--) {
            byte[] chunk = chunk(MODEL, 4096, i);
            assertThat(ChunkAssembly.reject(offer, i, chunk)).isNull();
            chunks.put(i, chunk);
        }
        // when assembled, then it is the model
        assertThat(ChunkAssembly.assemble(offer, chunks)).isEqualTo(MODEL);
    }

    @Test
    void shouldRejectAChunkWhenItsHashLengthOrIndexIsWrong() {
        ModelOffer offer = givenAnOffer(MODEL, 4096);
        byte[] corrupt = chunk(MODEL, 4096, 1);
        corrupt[7] ^= 1;
        assertThat(ChunkAssembly.reject(offer, 1, corrupt)).contains("SHA-256");
        assertThat(ChunkAssembly.reject(offer, 2, new byte[4096])).contains("expected " + (10_000 - 8192));
        assertThat(ChunkAssembly.reject(offer, 3, new byte[1])).contains("outside");
    }

    @Test
    void shouldRefuseToAssembleWhenAChunkIsMissingOrTheWholeHashDiffers() {
        ModelOffer offer = givenAnOffer(MODEL, 4096);
        Map<Integer, byte[]> partial = Map.of(0, chunk(MODEL, 4096, 0), 2, chunk(MODEL, 4096, 2));
        assertThatThrownBy(() -> ChunkAssembly.assemble(offer, partial)).hasMessageContaining("chunk 1 is missing");
        ModelOffer lying = new ModelOffer(
                "r", "m", "2", "0".repeat(64), offer.size(), 4096, offer.chunkSha256(), null, Duration.ZERO, null);
        Map<Integer, byte[]> all = new HashMap<>(partial);
        all.put(1, chunk(MODEL, 4096, 1));
        assertThatThrownBy(() -> ChunkAssembly.assemble(lying, all)).hasMessageContaining("SHA-256");
    }

    @Test
    void shouldNameTheMissingChunksAsRangesWhenSomeArrived() {
        assertThat(ChunkAssembly.missing(Set.of(), 4)).isEqualTo("0-3");
        assertThat(ChunkAssembly.missing(Set.of(0, 1, 4, 6), 9)).isEqualTo("2-3,5,7-8");
        assertThat(ChunkAssembly.missing(Set.of(0, 1, 2), 3)).isEmpty();
    }

    static ModelOffer givenAnOffer(byte[] model, int chunkBytes) {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i * chunkBytes < model.length; i++) {
            hashes.add(ChunkAssembly.sha256(chunk(model, chunkBytes, i)));
        }
        return new ModelOffer(
                "rollout-1",
                "sensor-anomaly",
                "2",
                ChunkAssembly.sha256(model),
                model.length,
                chunkBytes,
                hashes,
                JsonNodeFactory.instance.objectNode(),
                Duration.ofMinutes(1),
                new GateLimits(0.01, 1.5, 0.2, 5, 0.2, 100));
    }

    static byte[] chunk(byte[] model, int chunkBytes, int index) {
        return Arrays.copyOfRange(model, index * chunkBytes, Math.min(model.length, (index + 1) * chunkBytes));
    }

    private static byte[] givenModelBytes(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
