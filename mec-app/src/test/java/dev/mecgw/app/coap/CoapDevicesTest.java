package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.registry.DeviceRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoapDevicesTest {

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    private final List<String> presenceWrites = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() {
        workers.shutdownNow();
    }

    @Test
    void shouldWritePresenceOnceWhenDeviceSendsOftenWithinTheInterval() {
        // given
        CoapDevices devices = givenDevices(Duration.ofMinutes(5));

        // when
        devices.seen("d1", T0);
        devices.seen("d1", T0.plusSeconds(1));
        devices.seen("d1", T0.plusSeconds(2));
        devices.seen("d1", T0.plus(CoapDevices.PRESENCE_WRITE_INTERVAL).plusSeconds(1));

        // then
        Awaitility.await()
                .untilAsserted(() -> assertThat(presenceWrites)
                        .containsExactly(
                                "d1 online " + T0,
                                "d1 online "
                                        + T0.plus(CoapDevices.PRESENCE_WRITE_INTERVAL)
                                                .plusSeconds(1)));
    }

    @Test
    void shouldMarkOfflineWhenDeviceIsSilentLongerThanTimeout() {
        // given
        CoapDevices devices = givenDevices(Duration.ofMinutes(5));
        devices.seen("d1", T0);
        devices.seen("d2", T0.plusSeconds(200));

        // when
        devices.expire(T0.plusSeconds(301));

        // then: d1 offline with its last-seen time, d2 still online
        Awaitility.await()
                .untilAsserted(() -> assertThat(presenceWrites)
                        .containsExactly("d1 online " + T0, "d2 online " + T0.plusSeconds(200), "d1 offline " + T0));
    }

    private CoapDevices givenDevices(Duration timeout) {
        DeviceRegistry registry = (DeviceRegistry) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DeviceRegistry.class}, (proxy, method, args) -> {
                    if (method.getName().equals("updatePresence")) {
                        presenceWrites.add(args[0] + ((boolean) args[1] ? " online " : " offline ") + args[2]);
                    }
                    return null;
                });
        RejectedPayloadEvents rejections = new RejectedPayloadEvents(
                (id, kind, severity, payload) -> {}, Clock.systemUTC(), 16, 16, new SimpleMeterRegistry());
        return new CoapDevices(registry, rejections, workers, timeout);
    }
}
