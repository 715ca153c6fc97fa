package dev.genledger.proxy.provider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one exchange with its bodies whole, fed 1 and 3 bytes at a time, and cut at 50 seeded random
 * boundaries, and checks that every run observes the same thing: an adapter's result must not
 * depend on how the network happened to chunk the bytes.
 */
public final class ObservationSplits {
    public static final int SEEDS = 50;

    private ObservationSplits() {}

    /** The observation of the whole-body run, once every other split has been shown to equal it. */
    public static Observation sameForEverySplit(ExchangeHarness exchange) {
        Observation whole = exchange.run().observation();
        assertThat(exchange.run(1).observation()).as("fed 1 byte at a time").isEqualTo(whole);
        assertThat(exchange.run(3).observation()).as("fed 3 bytes at a time").isEqualTo(whole);
        for (long seed = 1; seed <= SEEDS; seed++) {
            assertThat(exchange.runRandom(seed).observation()).as("random split, seed %d", seed).isEqualTo(whole);
        }
        return whole;
    }

    /** Used heap after a collection, for bounded-memory tests. */
    public static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
