package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoapPeerSessionTest {

    @Test
    void shouldRefuseRequestsWhenBurstIsSpent() {
        // given
        CoapPeerSession session = new CoapPeerSession(10, 3, 0);

        // when / then
        assertThat(session.tryAcquire(0)).isTrue();
        assertThat(session.tryAcquire(0)).isTrue();
        assertThat(session.tryAcquire(0)).isTrue();
        assertThat(session.tryAcquire(0)).isFalse();
    }

    @Test
    void shouldAdmitAgainWhenTokensRefillAtTheRate() {
        // given a spent bucket at 10 requests per second
        CoapPeerSession session = new CoapPeerSession(10, 1, 0);
        session.tryAcquire(0);

        // when / then: one token needs 100 ms
        assertThat(session.tryAcquire(TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        assertThat(session.tryAcquire(TimeUnit.MILLISECONDS.toNanos(160))).isTrue();
    }

    @Test
    void shouldLimitEachPeerSeparatelyWhenSeveralPeersSend() {
        // given
        CoapPeerSessions sessions = new CoapPeerSessions(1, 1, 100, TimeUnit.MINUTES.toNanos(1));
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", 1001);

        // when / then
        assertThat(sessions.admit(a)).isTrue();
        assertThat(sessions.admit(a)).isFalse();
        assertThat(sessions.admit(b)).isTrue();
        assertThat(sessions.refusedRate()).isEqualTo(1);
    }

    @Test
    void shouldRefuseNewPeersWhenTableIsFullOfActiveSessions() {
        // given
        CoapPeerSessions sessions = new CoapPeerSessions(100, 100, 2, TimeUnit.MINUTES.toNanos(1));
        sessions.admit(new InetSocketAddress("127.0.0.1", 1));
        sessions.admit(new InetSocketAddress("127.0.0.1", 2));

        // when / then
        assertThat(sessions.admit(new InetSocketAddress("127.0.0.1", 3))).isFalse();
        assertThat(sessions.size()).isEqualTo(2);
    }

    @Test
    void shouldRefuseNewPortsOfAnAddressWhenItHoldsItsShare() {
        // given two sessions per address (issue 15 item 5)
        CoapPeerSessions sessions = new CoapPeerSessions(100, 100, 100, 2, TimeUnit.MINUTES.toNanos(1));
        sessions.admit(new InetSocketAddress("10.0.0.1", 1), false);
        sessions.admit(new InetSocketAddress("10.0.0.1", 2), false);

        // when the host cycles to a third port, and another host arrives
        boolean third = sessions.admit(new InetSocketAddress("10.0.0.1", 3), false);
        boolean other = sessions.admit(new InetSocketAddress("10.0.0.2", 1), false);

        // then
        assertThat(third).isFalse();
        assertThat(other).isTrue();
        assertThat(sessions.refusedPerAddress()).isEqualTo(1);
    }

    @Test
    void shouldEvictUnauthenticatedPeersForAuthenticatedOnesWhenTableIsFull() {
        // given a full table: one device, one unauthenticated peer
        CoapPeerSessions sessions = new CoapPeerSessions(100, 100, 2, 100, TimeUnit.MINUTES.toNanos(1));
        sessions.admit(new InetSocketAddress("10.0.0.1", 1), true);
        sessions.admit(new InetSocketAddress("10.0.0.2", 1), false);

        // when another device arrives, then another unauthenticated peer
        boolean device = sessions.admit(new InetSocketAddress("10.0.0.3", 1), true);
        boolean stranger = sessions.admit(new InetSocketAddress("10.0.0.4", 1), false);

        // then the device takes the unauthenticated peer's place and the stranger finds none to take
        assertThat(device).isTrue();
        assertThat(stranger).isFalse();
        assertThat(sessions.unauthenticatedSize()).isZero();
        assertThat(sessions.evicted()).isEqualTo(1);
        assertThat(sessions.refusedFull()).isEqualTo(1);
    }

    @Test
    void shouldKeepServingDevicesWhenUnauthenticatedPeersChurnThroughTheTable() {
        // given a device in a table of 3
        CoapPeerSessions sessions = new CoapPeerSessions(100, 100, 3, 100, TimeUnit.MINUTES.toNanos(1));
        InetSocketAddress device = new InetSocketAddress("10.0.0.1", 1);
        sessions.admit(device, true);

        // when 10,000 spoofed sources send one request each
        for (int i = 0; i < 10_000; i++) {
            sessions.admit(
                    new InetSocketAddress("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 9), false);
        }

        // then they only replaced each other
        assertThat(sessions.admit(device, true)).isTrue();
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.unauthenticatedSize()).isEqualTo(2);
    }
}
