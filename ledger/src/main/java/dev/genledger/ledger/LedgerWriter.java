package dev.genledger.ledger;

import dev.genledger.pricing.Pricer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous, batching, zero-loss ledger writer.
 *
 * <p>{@link #offer} is called from Netty event loops: it never blocks on I/O and never throws. It
 * puts the record on a bounded queue ({@link RowQueue}, which holds a row as its COPY tuple); when
 * the queue is full the record goes to an overflow list
 * that a spool thread writes to disk ("full means spool, never drop").
 *
 * <p>One writer thread drains the queue in batches. A batch is sent when it is full, when its
 * first record has waited {@code lingerMs}, or when the writer is closing. It is written in one
 * transaction ({@link LedgerStore}). If the database cannot be reached, the batch goes to the
 * spool, the writer marks the database down, sends further batches straight to the spool and
 * probes with backoff; once the database answers, sealed spool segments are replayed chunk by
 * chunk between live batches. If the database refuses a batch as invalid data, the batch is split
 * until the offending records are isolated; those are kept in {@code rejected.jsonl} and logged.
 *
 * <p>Close is ordered like Kafka's Sender: stop waiting, drain the queue to the database until
 * empty or until the shutdown timeout, then the forced path spools whatever is left; the spool
 * thread then writes the overflow, fsyncs and stops. Every wait is bounded and logged.
 */
public final class LedgerWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final DataSource dataSource;
    private final LedgerSettings settings;
    private final LedgerStore store;
    private final Spool spool;
    private final LongSupplier nanoClock;
    /** How long the writer naps between drains while a batch lingers: a full batch waits at most this. */
    private static final long LINGER_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private final RowQueue queue;
    private final ConcurrentLinkedQueue<LedgerRecord> overflow = new ConcurrentLinkedQueue<>();
    private final AtomicLong overflowCount = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong finalized = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Offers between their check of {@code terminated} and their enqueue; close waits for zero. */
    private final java.util.concurrent.atomic.AtomicInteger offering = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread writerThread;
    private final Thread spoolThread;

    private volatile boolean closing;
    private volatile boolean writerDone;
    private volatile boolean terminated;
    private volatile boolean databaseUp = true;
    private volatile boolean busy;

    // writer-thread state
    private Connection connection;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private long nextPurgeNanos;
    static final int PARKED_RETENTION_DAYS = 7;
    private long nextProbeNanos;
    private Spool.Reader replay;
    private Path replayPath;
    private List<Path> replayQueue = List.of();
    /** The queue's array from the writer's last batch: the queue's next one. */
    private byte[] spare;

    private LedgerWriter(DataSource dataSource, Pricer pricer, LedgerSettings settings, LongSupplier nanoClock) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.store = new LedgerStore(pricer);
        this.nanoClock = nanoClock;
        this.spool = new Spool(settings.spoolDir(), settings.spoolFsyncIntervalMs(), settings.spoolFsyncRows(),
                nanoClock);
        this.queue = new RowQueue(settings.queueCapacity());
        this.writerThread = new Thread(this::runWriter, "genledger-ledger-writer");
        this.spoolThread = new Thread(this::runSpooler, "genledger-ledger-spool");
    }

    /**
     * Starts the writer. Records left in the spool by an earlier run (a crash, or the database
     * being away at shutdown) are replayed once the database answers.
     */
    public static LedgerWriter start(DataSource dataSource, Pricer pricer, LedgerSettings settings) {
        return start(dataSource, pricer, settings, System::nanoTime);
    }

    static LedgerWriter start(DataSource dataSource, Pricer pricer, LedgerSettings settings, LongSupplier nanoClock) {
        LedgerWriter w = new LedgerWriter(dataSource, pricer, settings, nanoClock);
        if (w.spool.rows() > 0) {
            log.info("ledger: {} records in the spool from an earlier run will be replayed", w.spool.rows());
        }
        w.writerThread.setDaemon(false);
        w.spoolThread.setDaemon(true);
        w.writerThread.start();
        w.spoolThread.start();
        return w;
    }

    /** Hands a record to the writer. Never blocks on I/O, never throws, never drops. */
    public void offer(LedgerRecord record) {
        if (record == null) {
            return;
        }
        offering.incrementAndGet();
        try {
            if (terminated) {
                // After close nothing drains the queues; keep the record on disk for the next start.
                spool.append(List.of(record));
                return;
            }
            if (!queue.offer(record)) {
                overflow.add(record);
                overflowCount.incrementAndGet();
                LockSupport.unpark(spoolThread);
            }
        } catch (Throwable t) {
            log.error("ledger: could not accept a record; it is logged here instead: {}",
                    new String(LedgerJson.toBytes(record), java.nio.charset.StandardCharsets.UTF_8), t);
        } finally {
            offering.decrementAndGet();
        }
    }

    public LedgerStats stats() {
        return new LedgerStats(queue.size() + overflowCount.get(), spool.rows(), written.get(), finalized.get(),
                rejected.get(), databaseUp);
    }

    /**
     * Waits until everything offered so far is in the database (queue, overflow and spool empty,
     * no batch in flight). For tests, benchmarks and an orderly shutdown.
     *
     * @return false if that did not happen within the timeout
     */
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (queue.size() == 0 && overflowCount.get() == 0 && !busy && spool.rows() == 0 && databaseUp) {
                // re-check after a beat: a record may be between the queue and the batch
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                if (queue.size() == 0 && overflowCount.get() == 0 && !busy && spool.rows() == 0) {
                    return true;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return false;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        long started = System.nanoTime();
        closing = true;
        long budgetMs = settings.shutdownTimeoutMs() + 5_000L;
        join(writerThread, budgetMs);
        LockSupport.unpark(spoolThread);
        join(spoolThread, 10_000);
        terminated = true;
        // Offers that raced with close enqueued after the threads stopped: spool them too.
        while (offering.get() > 0) {
            Thread.onSpinWait();
        }
        List<LedgerRecord> late = queue.takeRecords();
        for (LedgerRecord r; (r = overflow.poll()) != null; ) {
            late.add(r);
            overflowCount.decrementAndGet();
        }
        if (!late.isEmpty()) {
            spool(late);
        }
        try {
            spool.close();
        } catch (IOException e) {
            log.error("ledger: could not close the spool cleanly", e);
        }
        closeConnection();
        store.close();
        LedgerStats s = stats();
        log.info("ledger: closed in {} ms; {} rows written, {} records left in the spool for the next start",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), s.written(), s.spooled());
    }

    private static void join(Thread t, long ms) {
        try {
            t.join(ms);
            if (t.isAlive()) {
                log.error("ledger: {} did not stop within {} ms", t.getName(), ms);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ writer thread

    private void runWriter() {
        long deadline = Long.MAX_VALUE;
        while (true) {
            if (closing && deadline == Long.MAX_VALUE) {
                deadline = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(settings.shutdownTimeoutMs());
            }
            if (closing && (queue.size() == 0 || nanoClock.getAsLong() >= deadline)) {
                break;
            }
            try {
                runOnce();
            } catch (Throwable t) {
                log.error("ledger: writer loop failed; continuing", t);
            }
        }
        forceSpoolRemaining();
        closeReplay();
        writerDone = true;
    }

    void runOnce() {
        if (!databaseUp && nanoClock.getAsLong() >= nextProbeNanos) {
            probe();
        }
        if (databaseUp && nanoClock.getAsLong() >= nextPurgeNanos) {
            purgeParked();
        }
        boolean replayPending = databaseUp && !closing && replayChunk();
        RowQueue.Taken batch = collectBatch(replayPending ? 0 : idleWaitMs());
        try {
            if (batch != null) {
                write(batch);
            }
        } finally {
            busy = false;
        }
    }

    private long idleWaitMs() {
        long wait = Math.max(1, settings.lingerMs());
        if (!databaseUp) {
            wait = Math.min(wait, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextProbeNanos - nanoClock.getAsLong())));
        } else if (spool.rows() > 0) {
            wait = 1;
        }
        return Math.min(wait, 100);
    }

    /**
     * Collects a batch; returns when {@code full || lingerExpired || closing}, or null after
     * idleWait. Only the first record of a batch wakes the writer (a condition wait on the queue);
     * after it the writer sleeps through the linger in short naps, so a busy proxy does not pay a
     * thread wake-up (a futex call on its event loop) per record, then takes all that came.
     */
    private RowQueue.Taken collectBatch(long idleWaitMs) {
        try {
            if (!closing && !queue.await(idleWaitMs, TimeUnit.MILLISECONDS) || queue.size() == 0) {
                return null;
            }
            busy = true; // records are about to live only in this batch: drain() must wait for it
            long lingerDeadline = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(settings.lingerMs());
            while (queue.size() < settings.batchMaxRows() && !closing) {
                long left = lingerDeadline - nanoClock.getAsLong();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(Math.min(left, LINGER_NAP_NANOS));
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            RowQueue.Taken t = queue.take(spare);
            spare = null;
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Writes what a take took, in transactions of at most {@code batchMaxRows} records. */
    private void write(RowQueue.Taken t) {
        int max = settings.batchMaxRows();
        byte[] b = t.bytes();
        int from = 0;
        while (from < t.length()) {
            int to = t.length();
            if (t.rows() > max) {
                to = from;
                for (int n = 0; n < max && to < t.length(); n++) {
                    to = CopyDecoder.end(b, to);
                }
            }
            writeOrSpool(b, from, to);
            from = to;
        }
        List<LedgerRecord> others = t.others();
        for (int i = 0; i < others.size(); i += max) {
            writeOrSpool(new ArrayList<>(others.subList(i, Math.min(others.size(), i + max))));
        }
        spare = b;
    }

    private void writeOrSpool(byte[] tuples, int from, int to) {
        if (!databaseUp) {
            spool(CopyDecoder.decodeAll(tuples, from, to));
            return;
        }
        try {
            count(store.writeEncoded(connection(), tuples, from, to));
        } catch (SQLException | RuntimeException e) {
            failed(CopyDecoder.decodeAll(tuples, from, to), e); // as records, for the spool or to isolate one
        }
    }

    private void writeOrSpool(List<LedgerRecord> batch) {
        if (!databaseUp) {
            spool(batch);
            return;
        }
        try {
            count(store.write(connection(), batch, false));
        } catch (SQLException | RuntimeException e) {
            failed(batch, e);
        }
    }

    private void count(LedgerStore.Result r) {
        written.addAndGet(r.inserted());
        finalized.addAndGet(r.finalized());
    }

    /**
     * A batch the database did not take: refused as invalid, it is split until the invalid records
     * are alone; otherwise (the database away, a broken connection, a bug) it goes to the spool
     * and is retried from there.
     */
    private void failed(List<LedgerRecord> batch, Exception e) {
        if (e instanceof SQLException sql && isDataError(sql)) {
            split(batch, sql);
        } else {
            databaseDown(e);
            spool(batch);
        }
    }

    /** Halves a batch the database refused as invalid until the invalid records are alone. */
    private void split(List<LedgerRecord> batch, SQLException cause) {
        if (batch.size() == 1) {
            rejected.incrementAndGet();
            spool.reject(batch.get(0), cause.getSQLState() + ": " + cause.getMessage());
            log.error("ledger: the database refused a record as invalid ({}); it is kept in {}",
                    cause.getMessage(), spool.dir().resolve("rejected.jsonl"));
            return;
        }
        int mid = batch.size() / 2;
        writeOrSpool(new ArrayList<>(batch.subList(0, mid)));
        writeOrSpool(new ArrayList<>(batch.subList(mid, batch.size())));
    }

    /** SQLSTATE class 22 (data exception) and 23 (integrity violation): retrying cannot help. */
    static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private void spool(List<LedgerRecord> batch) {
        try {
            spool.append(batch);
        } catch (IOException e) {
            // Disk and database both failed: hold the records in memory and retry; never drop them.
            log.error("ledger: cannot write {} records to the spool in {}; retrying", batch.size(), spool.dir(), e);
            overflow.addAll(batch);
            overflowCount.addAndGet(batch.size());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private void databaseDown(Exception e) {
        closeConnection();
        closeReplay();
        if (databaseUp) {
            log.warn("ledger: database unreachable ({}); rows go to the spool in {} until it is back",
                    e.getMessage(), spool.dir());
        }
        databaseUp = false;
        nextProbeNanos = nanoClock.getAsLong() + backoffNanos;
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
    }

    private void probe() {
        try {
            Connection c = connection();
            if (!c.isValid(2)) {
                throw new SQLException("connection is not valid");
            }
            databaseUp = true;
            backoffNanos = MIN_BACKOFF_NANOS;
            log.info("ledger: database reachable again; replaying {} spooled records", spool.rows());
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            nextProbeNanos = nanoClock.getAsLong() + backoffNanos;
            backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        }
    }

    /** Hourly: removes parked finalisations that never met their row (see LedgerSql.PURGE_PARKED). */
    private void purgeParked() {
        nextPurgeNanos = nanoClock.getAsLong() + TimeUnit.HOURS.toNanos(1);
        try {
            int n = store.purgeParked(connection(), PARKED_RETENTION_DAYS);
            if (n > 0) {
                log.info("ledger: removed {} finalisations older than {} days that never met a pending row", n,
                        PARKED_RETENTION_DAYS);
            }
        } catch (SQLException e) {
            databaseDown(e);
        }
    }

    /**
     * Replays one chunk of sealed spool segments. Returns true if replay work remains.
     */
    private boolean replayChunk() {
        try {
            if (replay == null) {
                if (replayQueue.isEmpty()) {
                    if (spool.rows() == 0) {
                        return false;
                    }
                    spool.seal();
                    replayQueue = new ArrayList<>(spool.sealedSegments());
                    if (replayQueue.isEmpty()) {
                        return false;
                    }
                }
                replayPath = replayQueue.remove(0);
                replay = new Spool.Reader(replayPath);
            }
            List<LedgerRecord> chunk = new ArrayList<>();
            while (chunk.size() < settings.batchMaxRows() && replay.hasNext()) {
                chunk.add(replay.next());
            }
            if (!chunk.isEmpty()) {
                busy = true;
                try {
                    count(store.write(connection(), chunk, true));
                } finally {
                    busy = false;
                }
            }
            if (!replay.hasNext()) {
                long n = replay.records();
                replay.close();
                replay = null;
                spool.delete(replayPath, n);
                log.debug("ledger: replayed spool segment {} ({} records)", replayPath, n);
                replayPath = null;
            }
            return replay != null || !replayQueue.isEmpty() || spool.rows() > 0;
        } catch (SQLException e) {
            if (isDataError(e)) {
                // Let the live path isolate the bad records: re-read this segment record by record.
                log.warn("ledger: a spooled chunk was refused as invalid ({}); isolating the records", e.getMessage());
                isolateSegment();
            } else {
                databaseDown(e);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("ledger: replay of spool segment {} failed; will retry", replayPath, e);
            databaseDown(e instanceof Exception ex ? ex : new RuntimeException(e));
            return true;
        }
    }

    /** Writes the current replay segment record by record, rejecting only what the database refuses. */
    private void isolateSegment() {
        Path path = replayPath;
        closeReplay();
        try (Spool.Reader r = new Spool.Reader(path)) {
            List<LedgerRecord> all = new ArrayList<>();
            while (r.hasNext()) {
                all.add(r.next());
            }
            for (int i = 0; i < all.size(); i += settings.batchMaxRows()) {
                writeOrSpool(new ArrayList<>(all.subList(i, Math.min(all.size(), i + settings.batchMaxRows()))));
            }
            if (databaseUp) {
                spool.delete(path, all.size());
            }
        } catch (IOException e) {
            log.error("ledger: cannot re-read spool segment {}", path, e);
        }
    }

    private void closeReplay() {
        if (replay != null) {
            try {
                replay.close();
            } catch (IOException ignored) {
                // read-only file
            }
            replay = null;
        }
        replayPath = null;
        replayQueue = List.of();
    }

    /** Forced path at shutdown: what is still queued goes to the spool. */
    private void forceSpoolRemaining() {
        List<LedgerRecord> rest = queue.takeRecords();
        if (!rest.isEmpty()) {
            log.warn("ledger: shutdown timeout reached; {} records go to the spool for the next start", rest.size());
            spool(rest);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            try {
                LedgerStore.prepare(c);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    // ------------------------------------------------------------------ spool thread

    private void runSpooler() {
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(settings.spoolFsyncIntervalMs());
        while (true) {
            List<LedgerRecord> chunk = new ArrayList<>();
            LedgerRecord r;
            while (chunk.size() < 4096 && (r = overflow.poll()) != null) {
                chunk.add(r);
            }
            if (!chunk.isEmpty()) {
                try {
                    spool.append(chunk);
                    overflowCount.addAndGet(-chunk.size());
                } catch (IOException e) {
                    log.error("ledger: cannot write {} overflow records to the spool; retrying", chunk.size(), e);
                    overflow.addAll(chunk);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                continue;
            }
            try {
                spool.syncIfDue();
            } catch (IOException e) {
                log.error("ledger: spool fsync failed", e);
            }
            if (writerDone && overflow.isEmpty()) {
                try {
                    spool.sync();
                } catch (IOException e) {
                    log.error("ledger: final spool fsync failed", e);
                }
                return;
            }
            LockSupport.parkNanos(this, intervalNanos);
        }
    }
}
