package dev.genledger.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writer's bounded queue. A row is queued as its binary COPY tuple, encoded by the thread that
 * offers it, appended to one large byte array; anything else (a finalisation, a row the encoder
 * refused) is queued as an object.
 *
 * <p>Why bytes: at full load a row waits in the queue and in its batch for a linger and a
 * database round, a few hundred milliseconds, and every young collection in that time copied it:
 * two dozen objects (the row, its usage, cost, decimals, maps and strings). Held as bytes in a
 * large array, which the collector keeps outside the young generation, it costs a collection
 * nothing. The writer takes the whole array in one swap and sends its tuples to the database as
 * they are.
 */
final class RowQueue {
    /** Large enough to be allocated outside the young generation by G1 (half a region or more). */
    static final int INITIAL_BYTES = 4 << 20;

    private static final ThreadLocal<CopyEncoder> SCRATCH = ThreadLocal.withInitial(() -> new CopyEncoder(true));

    /** The most bytes of tuples held (an array's limit is 2 GiB); beyond it rows go to the spool like beyond capacity. */
    static final int MAX_BYTES = 1 << 30;

    private final int capacity;
    private final int maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private byte[] buf;
    private int length;
    private int rows;
    private List<LedgerRecord> others = new ArrayList<>();
    private volatile int size;

    RowQueue(int capacity) {
        this(capacity, MAX_BYTES);
    }

    RowQueue(int capacity, int maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.buf = new byte[Math.min(INITIAL_BYTES, maxBytes)];
    }

    /** What a {@link #take} took: {@code rows} tuples in {@code bytes[0, length)}, and the other records. */
    record Taken(byte[] bytes, int length, int rows, List<LedgerRecord> others) {
        int size() {
            return rows + others.size();
        }
    }

    /**
     * Queues the record unless the queue holds {@code capacity} records or its rows' tuples would
     * pass {@code maxBytes}; never blocks on I/O.
     */
    boolean offer(LedgerRecord r) {
        CopyEncoder e = null;
        if (r instanceof Generation g) {
            e = SCRATCH.get();
            try {
                e.clear();
                e.add(g);
            } catch (RuntimeException invalid) {
                e = null; // queued as it is: the database will say what is wrong with it
            }
        }
        lock.lock();
        try {
            if (size >= capacity) {
                return false;
            }
            if (e != null) {
                int n = e.length();
                if (n > maxBytes - length) {
                    return false;
                }
                if (length + n > buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, Math.max(length + n, 2L * buf.length)));
                }
                System.arraycopy(e.buffer(), 0, buf, length, n);
                length += n;
                rows++;
            } else {
                others.add(r);
            }
            if (size++ == 0) {
                notEmpty.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        return size;
    }

    /** Waits up to the timeout for a record; whether there is one. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (size == 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes everything queued; the queue goes on in {@code spare}, an array the caller no longer
     * needs (the one an earlier take returned), or in a new one when it is null or small.
     */
    Taken take(byte[] spare) {
        if (spare == null || spare.length < Math.min(INITIAL_BYTES, maxBytes)) {
            spare = new byte[Math.min(INITIAL_BYTES, maxBytes)];
        }
        lock.lock();
        try {
            Taken t = new Taken(buf, length, rows, others);
            buf = spare;
            length = 0;
            rows = 0;
            others = new ArrayList<>();
            size = 0;
            return t;
        } finally {
            lock.unlock();
        }
    }

    /** Everything queued, as records (for the spool at shutdown). */
    List<LedgerRecord> takeRecords() {
        Taken t = take(null);
        List<LedgerRecord> out = CopyDecoder.decodeAll(t.bytes(), 0, t.length());
        out.addAll(t.others());
        return out;
    }
}
