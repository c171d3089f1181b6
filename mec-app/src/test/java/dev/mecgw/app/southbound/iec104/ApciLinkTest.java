package dev.mecgw.app.southbound.iec104;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The APCI state machine on a virtual clock: windows, timers, sequence checks (IEC 60870-5-104 clause 5). */
class ApciLinkTest {

    private static final byte[] STARTDT_CON = {0x68, 4, 0x0B, 0, 0, 0};

    private final VirtualTimers timers = new VirtualTimers();
    private final List<Apdu> sent = new ArrayList<>();
    private final List<byte[]> received = new ArrayList<>();
    private String closed;
    private boolean autoRelease = true;
    private final ApciLink link = new ApciLink(
            LinkTiming.defaults(),
            timers,
            new ApciLink.Transport() {
                @Override
                public void write(byte[] frame) {
                    sent.add(ApciCodec.decode(frame));
                }

                @Override
                public void close(String reason) {
                    closed = reason;
                }
            },
            new ApciLink.Listener() {
                @Override
                public void onStarted() {}

                @Override
                public void onAsdu(byte[] asdu) {
                    received.add(asdu);
                    if (autoRelease) {
                        link.release();
                    }
                }
            },
            1024);

    @Test
    void shouldSendStartdtAndWaitForItsConfirmationBeforeData() {
        // When the link starts and an ASDU is queued before STARTDT con
        link.start();
        link.send(new byte[] {1});
        // Then only STARTDT act went out; the ASDU follows the confirmation
        assertThat(sent).containsExactly(new Apdu.Unnumbered(Apdu.Function.STARTDT_ACT));
        link.receive(STARTDT_CON);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isInstanceOf(Apdu.Information.class);
    }

    @Test
    void shouldStopSendingWhenKFramesAreUnacknowledged() {
        // Given a started link
        givenAStartedLink();
        // When 15 ASDUs are queued and nothing is acknowledged
        for (int i = 0; i < 15; i++) {
            assertThat(link.send(new byte[] {(byte) i})).isTrue();
        }
        // Then k = 12 are sent, and the rest follow the acknowledgement of the first 5
        assertThat(link.outstanding()).isEqualTo(12);
        link.receive(ApciCodec.encode(new Apdu.Supervisory(5)));
        assertThat(link.outstanding()).isEqualTo(10);
        assertThat(sent.stream().filter(a -> a instanceof Apdu.Information)).hasSize(15);
        assertThat(closed).isNull();
    }

    @Test
    void shouldCloseWhenT1ExpiresWithoutAcknowledgement() {
        // Given a started link that sent one I frame
        givenAStartedLink();
        link.send(new byte[] {1});
        // When 15 s pass without an acknowledgement, then the connection is closed
        timers.advance(Duration.ofMillis(14_999));
        assertThat(closed).isNull();
        timers.advance(Duration.ofMillis(1));
        assertThat(closed).startsWith("t1 expired");
    }

    @Test
    void shouldCloseWhenStartdtIsNeverConfirmed() {
        link.start();
        timers.advance(Duration.ofSeconds(15));
        assertThat(closed).isEqualTo("t1 expired: STARTDT_ACT not confirmed");
    }

    @Test
    void shouldAcknowledgeAfterWFramesOrT2() {
        // Given a started link
        givenAStartedLink();
        // When 8 (= w) I frames arrive, then an S frame acknowledges them at once
        for (int i = 0; i < 8; i++) {
            link.receive(ApciCodec.encode(new Apdu.Information(i, 0, new byte[] {1})));
        }
        assertThat(sent.get(sent.size() - 1)).isEqualTo(new Apdu.Supervisory(8));
        // When one more arrives, then t2 (10 s) later it is acknowledged
        link.receive(ApciCodec.encode(new Apdu.Information(8, 0, new byte[] {1})));
        int before = sent.size();
        timers.advance(Duration.ofSeconds(9));
        assertThat(sent).hasSize(before);
        timers.advance(Duration.ofSeconds(1));
        assertThat(sent.get(sent.size() - 1)).isEqualTo(new Apdu.Supervisory(9));
        assertThat(received).hasSize(9);
    }

    @Test
    void shouldAcknowledgeOnlyWhatWasReleasedWhenStoringIsSlow() {
        // Given a started link whose readings are not yet stored
        givenAStartedLink();
        autoRelease = false;
        for (int i = 0; i < 10; i++) {
            link.receive(ApciCodec.encode(new Apdu.Information(i, 0, new byte[] {1})));
        }
        // When t2 passes, nothing is acknowledged: nothing is durable yet
        int before = sent.size();
        timers.advance(Duration.ofSeconds(30));
        assertThat(sent.stream().skip(before).filter(a -> a instanceof Apdu.Supervisory))
                .isEmpty();
        // When 8 (= w) are released, then exactly those are acknowledged
        for (int i = 0; i < 8; i++) {
            link.release();
        }
        assertThat(sent.get(sent.size() - 1)).isEqualTo(new Apdu.Supervisory(8));
        // And an I frame we send carries N(R) of the released ones only
        link.release();
        link.send(new byte[] {1});
        assertThat(sent.get(sent.size() - 1))
                .isInstanceOfSatisfying(
                        Apdu.Information.class, i -> assertThat(i.recvSeq()).isEqualTo(9));
    }

    @Test
    void shouldTestTheLinkWhenIdleForT3() {
        // Given a started link with nothing received for t3 = 20 s
        givenAStartedLink();
        timers.advance(Duration.ofSeconds(20));
        // Then TESTFR act goes out; its confirmation keeps the link open
        assertThat(sent.get(sent.size() - 1)).isEqualTo(new Apdu.Unnumbered(Apdu.Function.TESTFR_ACT));
        link.receive(ApciCodec.encode(new Apdu.Unnumbered(Apdu.Function.TESTFR_CON)));
        timers.advance(Duration.ofSeconds(15));
        assertThat(closed).isNull();
    }

    @Test
    void shouldCloseWhenTestframeIsNotConfirmed() {
        givenAStartedLink();
        timers.advance(Duration.ofSeconds(20 + 15));
        assertThat(closed).isEqualTo("t1 expired: TESTFR_ACT not confirmed");
    }

    @Test
    void shouldAnswerTestframeActivation() {
        givenAStartedLink();
        link.receive(ApciCodec.encode(new Apdu.Unnumbered(Apdu.Function.TESTFR_ACT)));
        assertThat(sent.get(sent.size() - 1)).isEqualTo(new Apdu.Unnumbered(Apdu.Function.TESTFR_CON));
    }

    @Test
    void shouldCloseWhenSendSequenceSkips() {
        givenAStartedLink();
        link.receive(ApciCodec.encode(new Apdu.Information(1, 0, new byte[] {1})));
        assertThat(closed).startsWith("sequence error");
        assertThat(received).isEmpty();
    }

    @Test
    void shouldCloseWhenDataArrivesBeforeStartdt() {
        link.start();
        link.receive(ApciCodec.encode(new Apdu.Information(0, 0, new byte[] {1})));
        assertThat(closed).isEqualTo("I frame before STARTDT con");
    }

    @Test
    void shouldRefuseToQueueBeyondItsByteBound() {
        givenAStartedLink();
        for (int i = 0; i < 12; i++) {
            link.send(new byte[200]);
        }
        // The window is full; 1024 bytes may wait
        assertThat(link.send(new byte[1000])).isTrue();
        assertThat(link.send(new byte[100])).isFalse();
    }

    @Test
    void shouldWrapSequenceNumbersAt32768() {
        givenAStartedLink();
        for (int i = 0; i < 32770; i++) {
            link.receive(ApciCodec.encode(new Apdu.Information(i % 32768, 0, new byte[] {1})));
        }
        assertThat(closed).isNull();
        assertThat(received).hasSize(32770);
    }

    private void givenAStartedLink() {
        link.start();
        link.receive(STARTDT_CON);
    }
}
