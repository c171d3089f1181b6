package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 15 item 1: the bytes held for Block1 reassembly, bounded in total and per address, and expiring. */
class Block1BudgetTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void shouldRefuseNewTransfersOfAnAddressWhenItsShareIsSpentWhateverThePort() {
        // given 100 bytes per address
        Block1Budget budget = givenABudget(1000, 100);

        // when one host starts transfers from two ports
        boolean first = budget.admit(peer("10.0.0.1", 1000), "POST a", true, 60);
        boolean second = budget.admit(peer("10.0.0.1", 1001), "POST b", true, 60);
        boolean other = budget.admit(peer("10.0.0.2", 1000), "POST a", true, 60);

        // then
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(other).isTrue();
        assertThat(budget.reservedBytes()).isEqualTo(120);
    }

    @Test
    void shouldRefuseNewTransfersWhenTheTotalIsSpent() {
        // given
        Block1Budget budget = givenABudget(100, 100);
        budget.admit(peer("10.0.0.1", 1), "POST a", true, 80);

        // when
        boolean admitted = budget.admit(peer("10.0.0.2", 1), "POST a", true, 40);

        // then
        assertThat(admitted).isFalse();
    }

    @Test
    void shouldCountFollowUpBlocksOnceAndReleaseOnTheLastBlock() {
        // given
        Block1Budget budget = givenABudget(1000, 1000);
        InetSocketAddress device = peer("10.0.0.1", 1);

        // when
        budget.admit(device, "POST frames", true, 500);
        budget.admit(device, "POST frames", false, 500);
        budget.admit(device, "POST frames", false, 500);

        // then
        assertThat(budget.reservedBytes()).isEqualTo(500);
        budget.finished(device, "POST frames");
        assertThat(budget.reservedBytes()).isZero();
        assertThat(budget.transfers()).isZero();
    }

    @Test
    void shouldReleaseQuietTransfersAfterTheHoldTime() {
        // given a transfer that stops after its first block
        Block1Budget budget = givenABudget(1000, 1000);
        budget.admit(peer("10.0.0.1", 1), "POST a", true, 500);
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        budget.admit(peer("10.0.0.2", 1), "POST a", true, 500);

        // when the hold time (10 s) has passed for the first one only
        now.addAndGet(TimeUnit.SECONDS.toNanos(6));

        // then
        assertThat(budget.reservedBytes()).isEqualTo(500);
        assertThat(budget.admit(peer("10.0.0.3", 1), "POST a", true, 500)).isTrue();
    }

    private Block1Budget givenABudget(long total, long perAddress) {
        return new Block1Budget(total, perAddress, TimeUnit.SECONDS.toNanos(10), now::get);
    }

    private static InetSocketAddress peer(String address, int port) {
        return new InetSocketAddress(address, port);
    }
}
