package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class Uuid7Test {
    @Test
    void idsFromTheClockNeverGoBackAndNeverPrecedeTheirTime() {
        long now = System.currentTimeMillis();
        UUID first = Uuid7.at(now);
        UUID earlier = Uuid7.at(now - 60_000); // the clock stepped back a minute
        assertThat(Uuid7.millis(first)).isGreaterThanOrEqualTo(now);
        assertThat(Uuid7.millis(earlier)).isGreaterThanOrEqualTo(now - 60_000);
        assertThat(unsigned(earlier, first)).isPositive();
        UUID prev = earlier;
        for (int i = 0; i < 10_000; i++) { // more than the 4,096 a millisecond's counter holds
            UUID next = Uuid7.at(now);
            assertThat(unsigned(next, prev)).isPositive();
            prev = next;
        }
    }

    @Test
    void anExactIdCarriesItsOwnTimeWhateverWasHandedOutBefore() {
        Uuid7.at(System.currentTimeMillis());
        long past = 1_700_000_000_123L;
        UUID a = Uuid7.atExactly(past);
        UUID b = Uuid7.atExactly(past);
        assertThat(Uuid7.millis(a)).isEqualTo(past);
        assertThat(Uuid7.millis(b)).isEqualTo(past);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.version()).isEqualTo(7);
        assertThat(a.variant()).isEqualTo(2);
    }

    @Test
    void onlyVersionSevenIdsHaveATime() {
        assertThatThrownBy(() -> Uuid7.millis(UUID.randomUUID())).isInstanceOf(IllegalArgumentException.class);
    }

    /** PostgreSQL's order of uuids: the bytes, unsigned. */
    private static int unsigned(UUID x, UUID y) {
        int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
    }
}
