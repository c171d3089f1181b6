package dev.mecgw.sync.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.cdc.ChangeSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MaskingChangeSinkTest {

    private final List<ChangeEvent> received = new ArrayList<>();
    private final ChangeSink recorder = new ChangeSink() {
        @Override
        public CompletableFuture<Void> send(ChangeEvent event) {
            received.add(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
    };

    @Test
    void shouldReplaceSupiByStableHmacWhenColumnIsMasked() {
        // given
        MaskingChangeSink sink = givenASink(secret((byte) 1));
        // when
        sink.send(device("imsi-001010000000001"));
        sink.send(device("imsi-001010000000001"));
        // then
        Object first = received.get(0).after().get("supi");
        assertThat(first).asString().startsWith("hmac:").doesNotContain("001010000000001");
        assertThat(received.get(1).after().get("supi")).isEqualTo(first);
        assertThat(received.get(0).after()).containsEntry("id", "d1");
    }

    @Test
    void shouldGiveDifferentMaskWhenSiteSecretDiffers() {
        // when
        String a = givenASink(secret((byte) 1)).mask("imsi-1");
        String b = givenASink(secret((byte) 2)).mask("imsi-1");
        // then
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void shouldRefuseWhenSecretIsShort() {
        assertThatThrownBy(() -> new MaskingChangeSink(recorder, new ColumnMasks(Map.of()), new byte[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void shouldMaskNestedIdentifiersWhenJsonPathsAreConfigured() {
        // given: an event payload as the gateway writes it (issue 14.9) and a device's labels
        MaskingChangeSink sink = new MaskingChangeSink(
                recorder,
                new ColumnMasks(Map.of()),
                new JsonPathMasks(Map.of(
                        "public.events.payload", List.of("$.gpsi", "$..ueAddress", "$.sim.ids"),
                        "public.devices.labels", List.of("$.ue-ipv4"))),
                secret((byte) 1));
        String payload = "{\"gpsi\":\"extid-ue7@site.example\",\"slice\":\"1:000001\","
                + "\"nested\":[{\"ueAddress\":\"10.45.0.7\"}],\"sim\":{\"ids\":[\"imsi-001010000000007\"]}}";
        // when
        sink.send(row("public.events", Map.of("id", 1, "payload", payload)));
        sink.send(row("public.devices", Map.of("id", "d1", "labels", "{\"ue-ipv4\":\"10.45.0.7\",\"room\":\"a\"}")));
        // then: identifiers are masked at any listed path, everything else stays
        String events = received.get(0).after().get("payload").toString();
        assertThat(events)
                .doesNotContain("ue7@site.example", "10.45.0.7", "001010000000007")
                .contains("\"slice\":\"1:000001\"", "\"gpsi\":\"hmac:");
        String labels = received.get(1).after().get("labels").toString();
        assertThat(labels).doesNotContain("10.45.0.7").contains("\"room\":\"a\"");
    }

    @Test
    void shouldRejectWithColumnNamedWhenMaskPathIsMalformed() {
        assertThatThrownBy(() -> new JsonPathMasks(Map.of("public.events.payload", List.of("gpsi"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.events.payload");
    }

    private static ChangeEvent row(String table, Map<String, Object> after) {
        return new ChangeEvent("s", table, ChangeEvent.Op.CREATE, 1, Instant.now(), "{\"id\":1}", after);
    }

    private MaskingChangeSink givenASink(byte[] secret) {
        return new MaskingChangeSink(recorder, new ColumnMasks(Map.of("public.devices", Set.of("supi"))), secret);
    }

    private static ChangeEvent device(String supi) {
        return new ChangeEvent(
                "s",
                "public.devices",
                ChangeEvent.Op.CREATE,
                1,
                Instant.now(),
                "{\"id\":\"d1\"}",
                Map.of("id", "d1", "supi", supi));
    }

    private static byte[] secret(byte fill) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, fill);
        return secret;
    }
}
