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
}
