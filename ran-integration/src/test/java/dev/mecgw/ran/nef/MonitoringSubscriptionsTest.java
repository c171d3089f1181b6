package dev.mecgw.ran.nef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.ran.callback.InboxHttpServer;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.SimulatedUe;
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

    @Test
    void shouldSubscribeEveryTypeAndDeleteThemWhenClosed() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<MonitoringNotification> received = new CopyOnWriteArrayList<>();
        try (NetworkSimulator simulator = NetworkSimulator.startLocal(); InboxHttpServer callbacks = new InboxHttpServer()) {
            // given subscriptions for the site group
            NefMonitoringEventClient client = new NefMonitoringEventClient(new JdkRestTransport(new ObjectMapper(),
                    Duration.ofSeconds(5), Optional.empty()), new NefApi(simulator.baseUri(), "mecgw"));
            MonitoringSubscriptions subscriptions = new MonitoringSubscriptions(client, callbacks.inbox(),
                    received::add, "site@site.example", Duration.ofHours(1), scheduler, Clock.systemUTC());
            // when started and a group member attaches
            subscriptions.start();
            await().atMost(Duration.ofSeconds(3)).until(() -> simulator.monitoringSubscriptionCount() == 3);
            simulator.attach(new SimulatedUe("10.45.0.2", "cam-1@site.example", "site@site.example", 1, null,
                    "000000001", true));
            // then its reports reach the consumer, and closing removes the subscriptions at the NEF
            await().atMost(Duration.ofSeconds(3)).until(() -> received.size() == 2);
            assertThat(subscriptions.activeCount()).isEqualTo(3);
            subscriptions.close();
            assertThat(simulator.monitoringSubscriptionCount()).isZero();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
