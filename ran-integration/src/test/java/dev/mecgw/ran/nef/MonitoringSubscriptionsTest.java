package dev.mecgw.ran.nef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.ran.callback.InboxHttpServer;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.ScenarioScript;
import dev.mecgw.ran.simulator.SimExchange;
import dev.mecgw.ran.simulator.SimulatedUe;
import dev.mecgw.ran.transport.Backoff;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class MonitoringSubscriptionsTest {

    /**
     * Bound of each wait: it only ends a wait that would otherwise hang. These are the JDK HttpServer and HttpClient on
     * first use (class loading, a cold JIT), which a loaded machine can stretch well past a few seconds.
     */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldSubscribeEveryTypeAndDeleteThemWhenClosed() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<MonitoringNotification> received = new CopyOnWriteArrayList<>();
        try (NetworkSimulator simulator = NetworkSimulator.startLocal();
                InboxHttpServer callbacks = new InboxHttpServer()) {
            // given subscriptions for the site group
            NefMonitoringEventClient client = new NefMonitoringEventClient(
                    new JdkRestTransport(new ObjectMapper(), Duration.ofSeconds(5), Optional.empty()),
                    new NefApi(simulator.baseUri(), "mecgw"));
            MonitoringSubscriptions subscriptions = new MonitoringSubscriptions(
                    client,
                    callbacks.inbox(),
                    received::add,
                    new MonitoringSubscriptions.Plan(
                            "site@site.example",
                            Duration.ofHours(1),
                            new Backoff(Duration.ofMillis(50), Duration.ofMillis(200))),
                    scheduler,
                    Clock.systemUTC());
            // when started and a group member attaches
            subscriptions.start();
            await().atMost(WAIT).until(() -> simulator.monitoringSubscriptionCount() == 3);
            simulator.attach(new SimulatedUe(
                    "10.45.0.2", "cam-1@site.example", "site@site.example", 1, null, "000000001", true));
            // then its reports reach the consumer, and closing removes the subscriptions at the NEF
            await().atMost(WAIT).until(() -> received.size() == 2);
            assertThat(subscriptions.activeCount()).isEqualTo(3);
            subscriptions.close();
            assertThat(simulator.monitoringSubscriptionCount()).isZero();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void shouldSubscribeAgainWhenNefCancelsTheSubscriptionsInAScenario() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<MonitoringNotification> received = new CopyOnWriteArrayList<>();
        List<String> methods = new CopyOnWriteArrayList<>();
        try (NetworkSimulator simulator = NetworkSimulator.startLocal();
                InboxHttpServer callbacks = new InboxHttpServer()) {
            // given the three subscriptions held at the NEF
            simulator.onExchange(e -> record(e, methods));
            MonitoringSubscriptions subscriptions =
                    givenSubscriptions(simulator, callbacks, received::add, Duration.ofHours(1), scheduler);
            subscriptions.start();
            await().atMost(WAIT).until(() -> subscriptions.activeCount() == 3);

            // when the NEF cancels them (scenario step)
            ScenarioScript.parse("cancel-monitoring").play(simulator, line -> {});

            // then the cancellations arrive and each type is subscribed again after the backoff
            await().atMost(WAIT)
                    .until(() -> received.stream()
                                    .filter(MonitoringNotification::cancelInd)
                                    .count()
                            == 3);
            await().atMost(WAIT)
                    .until(() -> simulator.monitoringSubscriptionCount() == 3 && subscriptions.activeCount() == 3);
            assertThat(methods.stream().filter("POST"::equals).count()).isEqualTo(6);
            assertThat(methods).doesNotContain("DELETE");
            subscriptions.close();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void shouldRenewWithPutAndSubscribeAgainWhenUpdateAnswersNotFound() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<String> methods = new CopyOnWriteArrayList<>();
        try (NetworkSimulator simulator = NetworkSimulator.startLocal();
                InboxHttpServer callbacks = new InboxHttpServer()) {
            // given subscriptions with a short lifetime, renewed with PUT every 400 ms
            simulator.onExchange(e -> record(e, methods));
            MonitoringSubscriptions subscriptions =
                    givenSubscriptions(simulator, callbacks, n -> {}, Duration.ofMillis(500), scheduler);
            subscriptions.start();
            await().atMost(WAIT).until(() -> methods.contains("PUT"));

            // when the NEF loses them (a restart: the scenario step forgets them silently)
            ScenarioScript.parse("forget-monitoring").play(simulator, line -> {});

            // then the next renewal gets 404 and each type is subscribed again
            await().atMost(WAIT)
                    .until(() -> simulator.monitoringSubscriptionCount() == 3
                            && subscriptions.activeCount() == 3
                            && methods.stream().filter("POST"::equals).count() >= 6);
            // once each, checked after the wait so that a seventh POST fails with the count, not a timeout
            assertThat(methods.stream().filter("POST"::equals).count()).isEqualTo(6);
            subscriptions.close();
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static MonitoringSubscriptions givenSubscriptions(
            NetworkSimulator simulator,
            InboxHttpServer callbacks,
            java.util.function.Consumer<MonitoringNotification> consumer,
            Duration lifetime,
            ScheduledExecutorService scheduler) {
        NefMonitoringEventClient client = new NefMonitoringEventClient(
                new JdkRestTransport(new ObjectMapper(), Duration.ofSeconds(5), Optional.empty()),
                new NefApi(simulator.baseUri(), "mecgw"));
        return new MonitoringSubscriptions(
                client,
                callbacks.inbox(),
                consumer,
                new MonitoringSubscriptions.Plan(
                        "site@site.example", lifetime, new Backoff(Duration.ofMillis(50), Duration.ofMillis(200))),
                scheduler,
                Clock.systemUTC());
    }

    private static void record(SimExchange exchange, List<String> methods) {
        if (exchange.kind() == SimExchange.Kind.REQUEST && exchange.uri().contains("3gpp-monitoring-event")) {
            methods.add(exchange.method());
        }
    }
}
