package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.ledger.testing.TestDatabases;
import dev.genledger.pricing.Pricer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer dies with rows in its spool; the next writer on the same data dir replays them
 * exactly once, skipping a torn last record.
 */
class LedgerCrashRecoveryTest {
    @TempDir
    Path dataDir;

    private HikariDataSource ds;

    @BeforeEach
    void setUp() {
        ds = TestDatabases.fresh();
    }

    @AfterEach
    void tearDown() {
        ds.close();
    }

    /** What a crashed writer leaves: spool segments with fsynced records, the last one torn. */
    private List<Generation> crashWithSpooledRows(int n) throws IOException {
        Path spoolDir = LedgerSettings.defaults(dataDir).spoolDir();
        List<Generation> rows = new ArrayList<>();
        Instant base = Instant.parse("2026-11-12T00:00:00Z");
        try (Spool spool = new Spool(spoolDir, 100, 1000, System::nanoTime)) {
            for (int i = 0; i < n; i++) {
                rows.add(Rows.chat(base.plusMillis(i)));
            }
            spool.append(rows.subList(0, n / 2));
            spool.seal();
            spool.append(rows.subList(n / 2, n));
        }
        // the process died in the middle of appending one more record
        Path last = segments(spoolDir).get(1);
        Files.write(last, new byte[] {0, 0, 1, 0, 0x12, 0x34, 0x56, 0x78, '{', '"', 't'}, StandardOpenOption.APPEND);
        return rows;
    }

    private static List<Path> segments(Path spoolDir) throws IOException {
        try (Stream<Path> s = Files.list(spoolDir)) {
            return s.filter(p -> p.toString().endsWith(".spool")).sorted().toList();
        }
    }

    @Test
    void aNewWriterReplaysTheSpoolOnceAndSkipsTheTornTail() throws Exception {
        List<Generation> rows = crashWithSpooledRows(1_000);

        LedgerWriter writer = LedgerWriter.start(ds, Pricer.NONE, LedgerSettings.defaults(dataDir));
        assertThat(writer.drain(Duration.ofSeconds(60))).isTrue();
        writer.close();

        assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(rows.size());
        assertThat(Rows.count(ds, "SELECT count(DISTINCT id) FROM generation")).isEqualTo(rows.size());
        assertThat(segments(LedgerSettings.defaults(dataDir).spoolDir())).isEmpty();

        // and a start after that finds nothing left to replay
        LedgerWriter again = LedgerWriter.start(ds, Pricer.NONE, LedgerSettings.defaults(dataDir));
        assertThat(again.stats().spooled()).isZero();
        again.close();
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(rows.size());
    }

    @Test
    void aSegmentReplayedTwiceAfterACrashMidReplayCountsItsRowsOnce() throws Exception {
        List<Generation> rows = crashWithSpooledRows(400);
        Path spoolDir = LedgerSettings.defaults(dataDir).spoolDir();
        Path first = segments(spoolDir).get(0);
        byte[] copy = Files.readAllBytes(first);

        LedgerWriter writer = LedgerWriter.start(ds, Pricer.NONE, LedgerSettings.defaults(dataDir));
        assertThat(writer.drain(Duration.ofSeconds(60))).isTrue();
        writer.close();
        // a crash between writing the rows and deleting the segment leaves it behind
        Files.write(first, copy);

        LedgerWriter next = LedgerWriter.start(ds, Pricer.NONE, LedgerSettings.defaults(dataDir));
        assertThat(next.drain(Duration.ofSeconds(60))).isTrue();
        next.close();
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(rows.size());
        assertThat(Rows.count(ds, "SELECT sum(generations) FROM rollup_daily")).isEqualTo(rows.size());
    }

    @Test
    void rowsSpooledWhileTheDatabaseIsUnreachableAtShutdownArriveAtTheNextStart() throws Exception {
        // a pool that points at nothing: every write fails, everything is spooled
        HikariDataSource dead = TestDatabases.pool("jdbc:postgresql://127.0.0.1:1/none", 1);
        LedgerWriter writer = LedgerWriter.start(dead, Pricer.NONE, LedgerSettings.defaults(dataDir));
        Instant base = Instant.parse("2026-11-13T00:00:00Z");
        for (int i = 0; i < 300; i++) {
            writer.offer(Rows.chat(base.plusMillis(i)));
        }
        writer.close();
        dead.close();
        assertThat(writer.stats().spooled()).isEqualTo(300);

        LedgerWriter next = LedgerWriter.start(ds, Pricer.NONE, LedgerSettings.defaults(dataDir));
        assertThat(next.drain(Duration.ofSeconds(60))).isTrue();
        next.close();
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(300);
    }
}
