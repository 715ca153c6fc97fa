package dev.genledger.ledger;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's disk spool: where records go when the database is unreachable or the in-memory
 * queue is full, so that none is ever dropped.
 *
 * <p>Records are appended to numbered segment files under the spool directory. Each segment
 * starts with an 8-byte magic; each record is framed as a 4-byte big-endian payload length, a
 * 4-byte CRC32C of the payload, then the payload ({@link LedgerJson} bytes). The file is fsynced
 * at least every {@code fsyncIntervalMs} and every {@code fsyncRows} records. A crash can leave a
 * torn last record: the reader stops at the first frame whose length or checksum does not hold,
 * reports the bytes it skipped, and the segment's earlier records replay normally.
 *
 * <p>Replay reads only sealed segments; {@link #seal()} closes the active one so that it can be
 * replayed while new records go to a fresh segment. A replayed segment is deleted only after all
 * its records are in the database; replaying it again after a crash is harmless because the
 * ledger ignores rows it already has.
 */
final class Spool implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    static final byte[] MAGIC = "GLSPOOL1".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
    private static final long MAX_SEGMENT_BYTES = 64L * 1024 * 1024;
    private static final String SUFFIX = ".spool";

    private final Path dir;
    private final long fsyncIntervalNanos;
    private final int fsyncRows;
    private final LongSupplier nanoClock;
    private final AtomicLong rows = new AtomicLong();

    private long nextSegment;
    private FileChannel active;
    private Path activePath;
    private long activeBytes;
    private int unsyncedRows;
    private long lastSyncNanos;

    Spool(Path dir, int fsyncIntervalMs, int fsyncRows, LongSupplier nanoClock) {
        this.dir = dir;
        this.fsyncIntervalNanos = fsyncIntervalMs * 1_000_000L;
        this.fsyncRows = fsyncRows;
        this.nanoClock = nanoClock;
        try {
            Files.createDirectories(dir);
            long max = 0;
            long existing = 0;
            for (Path p : segments()) {
                max = Math.max(max, number(p));
                existing += countRecords(p);
            }
            nextSegment = max + 1;
            rows.set(existing);
        } catch (IOException e) {
            throw new UncheckedIOException("ledger spool directory " + dir + " is not usable", e);
        }
        lastSyncNanos = nanoClock.getAsLong();
    }

    /** Records currently on disk, not yet replayed. */
    long rows() {
        return rows.get();
    }

    Path dir() {
        return dir;
    }

    /** Records appended since the last fsync. */
    synchronized int unsyncedRows() {
        return unsyncedRows;
    }

    /** Appends records durably (per the fsync policy). */
    synchronized void append(List<? extends LedgerRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        List<byte[]> payloads = new ArrayList<>(records.size());
        int total = 0;
        for (LedgerRecord r : records) {
            byte[] p = LedgerJson.toBytes(r);
            payloads.add(p);
            total += 8 + p.length;
        }
        if (active == null || activeBytes + total > MAX_SEGMENT_BYTES) {
            roll();
        }
        ByteBuffer buf = ByteBuffer.allocate(total).order(ByteOrder.BIG_ENDIAN);
        CRC32C crc = new CRC32C();
        for (byte[] p : payloads) {
            crc.reset();
            crc.update(p);
            buf.putInt(p.length).putInt((int) crc.getValue()).put(p);
        }
        buf.flip();
        while (buf.hasRemaining()) {
            active.write(buf);
        }
        activeBytes += total;
        rows.addAndGet(records.size());
        unsyncedRows += records.size();
        if (unsyncedRows >= fsyncRows || nanoClock.getAsLong() - lastSyncNanos >= fsyncIntervalNanos) {
            sync();
        }
    }

    /** Fsyncs if the interval has passed since the last sync and something is unsynced. */
    synchronized void syncIfDue() throws IOException {
        if (unsyncedRows > 0 && nanoClock.getAsLong() - lastSyncNanos >= fsyncIntervalNanos) {
            sync();
        }
    }

    synchronized void sync() throws IOException {
        if (active != null && unsyncedRows > 0) {
            active.force(false);
        }
        unsyncedRows = 0;
        lastSyncNanos = nanoClock.getAsLong();
    }

    /** Closes the active segment so that every record so far is in a sealed, replayable segment. */
    synchronized void seal() throws IOException {
        if (active != null) {
            sync();
            active.close();
            active = null;
            if (activeBytes <= MAGIC.length) {
                Files.deleteIfExists(activePath);
            }
            activePath = null;
        }
    }

    /** Sealed segments, oldest first. */
    synchronized List<Path> sealedSegments() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : segments()) {
            if (!p.equals(activePath)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Deletes a segment whose records have all been written; {@code records} is its record count. */
    void delete(Path segment, long records) throws IOException {
        Files.deleteIfExists(segment);
        rows.addAndGet(-records);
    }

    /** Keeps a record the database rejects as invalid, with the reason, for an operator to inspect. */
    synchronized void reject(LedgerRecord record, String reason) {
        Path file = dir.resolve("rejected.jsonl");
        String line = "{\"reason\":" + jsonString(reason) + ",\"record\":"
                + new String(LedgerJson.toBytes(record), StandardCharsets.UTF_8) + "}\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            log.error("ledger: cannot write rejected record to {}; record follows: {}", file, line.strip(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        seal();
    }

    private void roll() throws IOException {
        seal();
        activePath = dir.resolve("segment-%020d%s".formatted(nextSegment++, SUFFIX));
        active = FileChannel.open(activePath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        active.write(ByteBuffer.wrap(MAGIC));
        activeBytes = MAGIC.length;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-")
                            && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted()
                    .toList();
        }
    }

    private static long number(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring("segment-".length(), n.length() - SUFFIX.length()));
    }

    private static long countRecords(Path p) throws IOException {
        try (Reader r = new Reader(p)) {
            long n = 0;
            while (r.hasNext()) {
                r.next();
                n++;
            }
            return n;
        }
    }

    private static String jsonString(String s) {
        return LedgerJson.write(g -> g.writeString(s == null ? "" : s));
    }

    /**
     * Reads a segment's records in order, stopping at a torn or corrupt tail. Not thread-safe.
     */
    static final class Reader implements Iterator<LedgerRecord>, Closeable {
        private final Path path;
        private final FileChannel ch;
        private final long size;
        private long pos;
        private LedgerRecord next;
        private boolean done;
        private long records;
        private long tornBytes;

        Reader(Path path) throws IOException {
            this.path = path;
            this.ch = FileChannel.open(path, StandardOpenOption.READ);
            this.size = ch.size();
            ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            readFully(magic, 0);
            if (magic.hasRemaining() || !java.util.Arrays.equals(magic.array(), MAGIC)) {
                done = true;
                tornBytes = size;
                if (size > 0) {
                    log.warn("ledger: spool segment {} has no valid header; its {} bytes are skipped", path, size);
                }
            } else {
                pos = MAGIC.length;
            }
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                next = readOne();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return next != null;
        }

        @Override
        public LedgerRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            LedgerRecord r = next;
            next = null;
            records++;
            return r;
        }

        /** Records returned so far. */
        long records() {
            return records;
        }

        /** Bytes after the last valid record (a torn tail), known once the reader is exhausted. */
        long tornBytes() {
            return tornBytes;
        }

        private LedgerRecord readOne() throws IOException {
            if (size - pos < 8) {
                return torn(size - pos);
            }
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
            readFully(head, pos);
            head.flip();
            int len = head.getInt();
            int expectedCrc = head.getInt();
            if (len <= 0 || len > MAX_RECORD_BYTES || size - pos - 8 < len) {
                return torn(size - pos);
            }
            ByteBuffer payload = ByteBuffer.allocate(len);
            readFully(payload, pos + 8);
            CRC32C crc = new CRC32C();
            crc.update(payload.array(), 0, len);
            if ((int) crc.getValue() != expectedCrc) {
                return torn(size - pos);
            }
            LedgerRecord r;
            try {
                r = LedgerJson.fromBytes(payload.array());
            } catch (RuntimeException e) {
                log.error("ledger: spool segment {} has a record at byte {} that checks out but cannot be read; "
                        + "the rest of the segment is skipped", path, pos, e);
                return torn(size - pos);
            }
            pos += 8 + len;
            return r;
        }

        private LedgerRecord torn(long bytes) {
            done = true;
            tornBytes = bytes;
            if (bytes > 0) {
                log.warn("ledger: spool segment {} ends in a torn record ({} bytes after {} good records, "
                        + "left by a crash mid-write); the tail is skipped", path, bytes, records);
            }
            return null;
        }

        private void readFully(ByteBuffer buf, long at) throws IOException {
            long p = at;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, p);
                if (n < 0) {
                    return;
                }
                p += n;
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
