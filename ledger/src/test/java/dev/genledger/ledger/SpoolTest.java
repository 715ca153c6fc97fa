package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.testing.Rows;
import dev.genledger.pricing.Usage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong();

    private Spool spool() {
        return new Spool(dir, 100, 1000, nanos::get);
    }

    private static List<LedgerRecord> records(int n) {
        List<LedgerRecord> out = new ArrayList<>();
        Instant t = Instant.parse("2026-11-01T10:00:00Z");
        for (int i = 0; i < n; i++) {
            out.add(Rows.chat(t.plusMillis(i)));
        }
        return out;
    }

    private List<LedgerRecord> readAll(Path segment) throws IOException {
        List<LedgerRecord> out = new ArrayList<>();
        try (Spool.Reader r = new Spool.Reader(segment)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void recordsReadBackExactlyAsAppended() throws IOException {
        List<LedgerRecord> in = new ArrayList<>(records(3));
        in.add(new Finalization("replicate", "p-1", Instant.parse("2026-11-01T10:05:00Z"), 200, null,
                Usage.builder().mediaSeconds(new java.math.BigDecimal("2.5")).build(), null));
        try (Spool s = spool()) {
            s.append(in);
            assertThat(s.rows()).isEqualTo(4);
        }
        Spool reopened = spool();
        assertThat(reopened.rows()).isEqualTo(4);
        List<Path> segments = reopened.sealedSegments();
        assertThat(segments).hasSize(1);
        assertThat(readAll(segments.get(0))).containsExactlyElementsOf(in);
    }

    @Test
    void aTornTailIsSkippedAndTheRecordsBeforeItSurvive() throws IOException {
        List<LedgerRecord> in = records(5);
        try (Spool s = spool()) {
            s.append(in);
        }
        Path segment = spool().sealedSegments().get(0);
        long size = Files.size(segment);
        // a crash mid-write: the last record is cut in half
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 40);
        }
        try (Spool.Reader r = new Spool.Reader(segment)) {
            List<LedgerRecord> out = new ArrayList<>();
            r.forEachRemaining(out::add);
            assertThat(out).containsExactlyElementsOf(in.subList(0, 4));
            assertThat(r.tornBytes()).isPositive();
        }
        assertThat(spool().rows()).isEqualTo(4);
    }

    @Test
    void aCorruptRecordEndsTheSegmentAtTheLastGoodRecord() throws IOException {
        List<LedgerRecord> in = records(3);
        try (Spool s = spool()) {
            s.append(in);
        }
        Path segment = spool().sealedSegments().get(0);
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), size - 10); // flip a byte in the last payload
        }
        assertThat(readAll(segment)).containsExactlyElementsOf(in.subList(0, 2));
    }

    @Test
    void garbageAfterTheLastRecordIsSkipped() throws IOException {
        List<LedgerRecord> in = records(2);
        try (Spool s = spool()) {
            s.append(in);
        }
        Path segment = spool().sealedSegments().get(0);
        Files.write(segment, new byte[] {0, 0, 0, 9, 1, 2}, StandardOpenOption.APPEND);
        assertThat(readAll(segment)).containsExactlyElementsOf(in);
    }

    @Test
    void fsyncHappensEveryNRowsAndOnTheInterval() throws IOException {
        try (Spool s = new Spool(dir, 100, 3, nanos::get)) {
            s.append(records(2));
            assertThat(s.unsyncedRows()).isEqualTo(2);
            s.append(records(1));
            assertThat(s.unsyncedRows()).isZero();
            s.append(records(1));
            s.syncIfDue();
            assertThat(s.unsyncedRows()).isEqualTo(1);
            nanos.addAndGet(100_000_000L); // the fsync interval passes
            s.syncIfDue();
            assertThat(s.unsyncedRows()).isZero();
        }
    }

    @Test
    void sealingStartsANewSegmentAndNumbersContinueAcrossRestarts() throws IOException {
        try (Spool s = spool()) {
            s.append(records(1));
            s.seal();
            s.append(records(1));
        }
        try (Spool s = spool()) {
            s.append(records(1));
            s.seal();
            assertThat(s.sealedSegments()).extracting(p -> p.getFileName().toString())
                    .containsExactly("segment-00000000000000000001.spool", "segment-00000000000000000002.spool",
                            "segment-00000000000000000003.spool");
        }
    }

    @Test
    void deletingAReplayedSegmentLowersTheCount() throws IOException {
        try (Spool s = spool()) {
            s.append(records(7));
            s.seal();
            Path seg = s.sealedSegments().get(0);
            s.delete(seg, 7);
            assertThat(s.rows()).isZero();
            assertThat(seg).doesNotExist();
        }
    }
}
