package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresOffsetBackingStoreTest {

    static EmbeddedPostgres edge;

    @BeforeAll
    static void startDatabase() throws Exception {
        edge = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        edge.close();
    }

    @Test
    void shouldReturnStoredOffsetWhenStoreIsRestarted() throws Exception {
        // given
        PostgresOffsetBackingStore first = givenAStore("engine-a");
        first.set(Map.of(buffer("partition"), buffer("lsn=42")), null).get(10, TimeUnit.SECONDS);
        first.stop();
        // when
        PostgresOffsetBackingStore second = givenAStore("engine-a");
        Map<ByteBuffer, ByteBuffer> read =
                second.get(List.of(buffer("partition"))).get(10, TimeUnit.SECONDS);
        second.stop();
        // then
        assertThat(read.get(buffer("partition"))).isEqualTo(buffer("lsn=42"));
    }

    @Test
    void shouldKeepEnginesApartWhenTheyShareTheTable() throws Exception {
        // given
        PostgresOffsetBackingStore a = givenAStore("engine-b");
        a.set(Map.of(buffer("partition"), buffer("lsn=1")), null).get(10, TimeUnit.SECONDS);
        a.stop();
        // when
        PostgresOffsetBackingStore other = givenAStore("engine-c");
        Map<ByteBuffer, ByteBuffer> read =
                other.get(List.of(buffer("partition"))).get(10, TimeUnit.SECONDS);
        other.stop();
        // then
        assertThat(read.get(buffer("partition"))).isNull();
    }

    private static PostgresOffsetBackingStore givenAStore(String name) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", "unused:9092");
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("offset.storage.file.filename", "");
        props.put(PostgresOffsetBackingStore.URL, "jdbc:postgresql://127.0.0.1:" + edge.getPort() + "/postgres");
        props.put(PostgresOffsetBackingStore.USER, "postgres");
        props.put(PostgresOffsetBackingStore.STORE, name);
        PostgresOffsetBackingStore store = new PostgresOffsetBackingStore();
        store.configure(new StandaloneConfig(props));
        store.start();
        return store;
    }

    private static ByteBuffer buffer(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
