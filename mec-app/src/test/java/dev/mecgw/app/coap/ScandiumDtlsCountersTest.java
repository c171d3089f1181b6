package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.Connection;
import org.junit.jupiter.api.Test;

/** The calls Scandium makes for each silent refusal (see the class comment), and what each one counts. */
class ScandiumDtlsCountersTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40_000);

    @Test
    void shouldCountWrongKeyAndMacErrorButNoOtherDropWhenFinishedFailsToVerify() {
        // given
        ScandiumDtlsCounters counters = new ScandiumDtlsCounters();

        // when a handshake's Finished fails its MAC check, in the order Scandium reports it
        givenAMacErrorDrop(counters, new Connection(PEER));

        // then
        assertThat(counters.wrongKey()).isEqualTo(1);
        assertThat(counters.macErrors()).isEqualTo(1);
        assertThat(counters.otherDropped()).isZero();
        assertThat(counters.unknownIdentity()).isZero();
    }

    @Test
    void shouldCountOtherDropWhenRecordIsDroppedWithoutMacError() {
        // given
        ScandiumDtlsCounters counters = new ScandiumDtlsCounters();
        givenAMacErrorDrop(counters, new Connection(PEER));

        // when a record of a removed session is dropped, and one is received normally
        counters.receivingRecord(true);
        counters.receivingRecord(false);

        // then only the drop without a MAC error counts as other
        assertThat(counters.otherDropped()).isEqualTo(1);
        assertThat(counters.macErrors()).isEqualTo(1);
    }

    @Test
    void shouldCountUnknownIdentityOnlyForItsAlert() {
        // given
        ScandiumDtlsCounters counters = new ScandiumDtlsCounters();

        // when
        counters.onAlert(PEER, new AlertMessage(AlertLevel.FATAL, AlertDescription.UNKNOWN_PSK_IDENTITY));
        counters.onAlert(PEER, new AlertMessage(AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY));
        counters.onAlert(PEER, new AlertMessage(AlertLevel.FATAL, AlertDescription.HANDSHAKE_FAILURE));

        // then
        assertThat(counters.unknownIdentity()).isEqualTo(1);
        assertThat(counters.wrongKey()).isZero();
    }

    @Test
    void shouldCountHandshakesByOutcome() {
        // given
        ScandiumDtlsCounters counters = new ScandiumDtlsCounters();

        // when
        counters.startHandshake();
        counters.endHandshake(true);
        counters.startHandshake();
        counters.endHandshake(false);
        counters.startHandshake();
        counters.endHandshake(false);

        // then
        assertThat(counters.handshakesCompleted()).isEqualTo(1);
        assertThat(counters.handshakesFailed()).isEqualTo(2);
    }

    @Test
    void shouldLeaveScandiumsHandlingOfMacErrorsAsItIs() {
        // given
        ScandiumDtlsCounters counters = new ScandiumDtlsCounters();

        // when / then: true would make Scandium close the connection
        assertThat(counters.onConnectionMacError(new Connection(PEER))).isFalse();
        assertThat(counters.onConnectionUpdatesSequenceNumbers(new Connection(PEER), false))
                .isFalse();
        assertThat(counters.isEnabled()).isTrue();
    }

    /** Scandium's order for a record that fails its MAC check: listener, health's MAC error, health's drop. */
    private static void givenAMacErrorDrop(ScandiumDtlsCounters counters, Connection connection) {
        counters.onConnectionMacError(connection);
        counters.receivingMacError();
        counters.receivingRecord(true);
    }
}
