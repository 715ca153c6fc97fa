package dev.genledger.ledger;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then a 12-bit counter that keeps
 * ids from one process strictly increasing within a millisecond (method 1 of §6.2), then 62 random
 * bits (from a per-thread generator: ids must be unique, not secret). Time-ordered ids keep the ledger's B-tree inserts append-mostly and let several gateway
 * instances write to one database without coordination.
 */
public final class Uuid7 {
    /** Last (millis << 12 | counter) handed out; monotonic across threads. */
    private static final AtomicLong LAST = new AtomicLong();

    private Uuid7() {}

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    /** An id for the given time; still strictly greater than every id handed out before. */
    public static UUID at(long epochMillis) {
        long candidate = epochMillis << 12;
        long stamp = LAST.updateAndGet(prev -> Math.max(prev + 1, candidate));
        long millis = stamp >>> 12;
        long counter = stamp & 0xFFF;
        return new UUID((millis << 16) | 0x7000L | counter, randomTail(ThreadLocalRandom.current()));
    }

    /**
     * An id whose time is exactly the given millisecond, with random bits where {@link #at} keeps
     * its counter: unique, but not ordered against other ids of that millisecond. For rows made
     * outside the gateway (imports, tests, benchmarks), whose times are not the clock's: {@link #at}
     * never goes back, so it would stamp an id for an earlier time with the latest time handed out.
     */
    public static UUID atExactly(long epochMillis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID((epochMillis << 16) | 0x7000L | (r.nextInt() & 0xFFF), randomTail(r));
    }

    /** The low 64 bits: the variant (binary 10), then 62 random bits. */
    private static long randomTail(ThreadLocalRandom r) {
        return (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    }

    /** The Unix milliseconds embedded in a version 7 id. */
    public static long millis(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("id: " + id + " (expected: a version 7 UUID)");
        }
        return id.getMostSignificantBits() >>> 16;
    }
}
