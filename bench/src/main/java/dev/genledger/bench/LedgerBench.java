package dev.genledger.bench;

import dev.genledger.ledger.Generation;
import dev.genledger.ledger.LedgerDatabase;
import dev.genledger.ledger.LedgerSettings;
import dev.genledger.ledger.LedgerWriter;
import dev.genledger.ledger.RawCopy;
import dev.genledger.pricing.Pricer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Ledger ingest: rows per second through {@link LedgerWriter} (queue, batching, COPY into a staging
 * table, insert with deduplication, rollups in the same transaction) against a raw COPY of the
 * same rows straight into the same table with the same indexes, in one run on one embedded
 * PostgreSQL with production (durable) settings. Rows are realistic (SampleRows): twelve tasks on
 * four providers, articles, tags, errors. Both paths commit every 5,000 rows. The two paths run in
 * three interleaved rounds on an emptied ledger each time, and each path's median counts: single
 * runs on a shared virtual disk vary by a third.
 *
 * <p>Run: {@code bench/run ledger [--rows 300000] [--rounds 3]}.
 */
final class LedgerBench implements Bench {
    private static final int BATCH = 5_000;

    @Override
    public String name() {
        return "ledger";
    }

    @Override
    public String description() {
        return "rows/s through LedgerWriter vs raw COPY of the same rows into the same schema";
    }

    @Override
    public void run(Args args) throws Exception {
        int n = args.getInt("rows", 300_000);
        Path dir = Scratch.dir("genledger-bench-ledger");
        // live traffic arrives in time order: a day of a busy team's generations
        List<Generation> rows = SampleRows.generate(n, Instant.parse("2026-10-01T00:00:00Z"), 1, 7);
        List<Generation> warm = SampleRows.generate(20_000, Instant.parse("2026-09-01T00:00:00Z"), 1, 8);
        try (LedgerDatabase db = LedgerDatabase.open(null, null, null, 4, dir.resolve("postgres"))) {
            // warm up both paths (JIT, caches), then measure each on an empty ledger
            rawCopy(db, warm);
            truncate(db);
            writer(db, warm, dir.resolve("warm"));
            truncate(db);

            // three interleaved rounds; each path's median, so that one slow fsync does not decide
            int rounds = args.getInt("rounds", 3);
            double[] copyRuns = new double[rounds];
            double[] writerRuns = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                copyRuns[r] = rawCopy(db, rows);
                truncate(db);
                writerRuns[r] = writer(db, rows, dir.resolve("data-" + r));
                truncate(db);
                System.out.printf("round %d: raw COPY %.0f rows/s, writer %.0f rows/s%n", r + 1, n / copyRuns[r],
                        n / writerRuns[r]);
            }
            double copySeconds = Stats.median(copyRuns);
            double writerSeconds = Stats.median(writerRuns);

            double copyRate = n / copySeconds;
            double writerRate = n / writerSeconds;
            double ratio = writerRate / copyRate;
            new Table("path", "rows", "seconds", "rows/s")
                    .row("raw COPY into generation (reference)", n, Table.fmt(copySeconds), Table.fmt(copyRate))
                    .row("LedgerWriter (staging, dedup, rollups)", n, Table.fmt(writerSeconds), Table.fmt(writerRate))
                    .print();
            System.out.printf("ratio writer/copy: %.2f (goal >= 0.5, stretch 0.8)%n", ratio);
            System.out.printf("ledger: rows=%d writer_rows_per_s=%.0f copy_rows_per_s=%.0f ratio=%.2f%n",
                    n, writerRate, copyRate, ratio);
        }
    }

    private static double rawCopy(LedgerDatabase db, List<Generation> rows) throws Exception {
        RawCopy copy = new RawCopy();
        long t0 = System.nanoTime();
        try (Connection c = db.dataSource().getConnection()) {
            for (int i = 0; i < rows.size(); i += BATCH) {
                copy.copy(c, rows.subList(i, Math.min(rows.size(), i + BATCH)));
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double writer(LedgerDatabase db, List<Generation> rows, Path dataDir) {
        LedgerWriter w = LedgerWriter.start(db.dataSource(), Pricer.NONE,
                LedgerSettings.defaults(dataDir).withQueueCapacity(65_536).withBatchMaxRows(BATCH));
        long t0 = System.nanoTime();
        for (Generation g : rows) {
            // Sustained throughput: offer as fast as the queue takes rows. (A burst beyond the
            // queue would be spooled to disk and replayed, which is correct but measures the spool.)
            while (w.stats().queued() >= 60_000) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            w.offer(g);
        }
        if (!w.drain(Duration.ofMinutes(30))) {
            throw new IllegalStateException("writer did not drain: " + w.stats());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (w.stats().written() != rows.size()) {
            throw new IllegalStateException("writer wrote " + w.stats().written() + " of " + rows.size());
        }
        w.close();
        return s;
    }

    private static void truncate(LedgerDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE generation, article, rollup_daily, rollup_hourly, latency_hist, article_daily, "
                    + "tag_daily, pending_finalization");
            s.execute("VACUUM ANALYZE");
        }
    }
}
