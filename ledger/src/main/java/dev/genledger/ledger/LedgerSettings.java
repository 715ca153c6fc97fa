package dev.genledger.ledger;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The writer's tuning, validated here so that a wrong value fails at start-up, not at 3 a.m.
 *
 * @param spoolDir           where spool segments live (normally {@code <data dir>/spool})
 * @param queueCapacity      records held in memory before further records go to the spool
 * @param batchMaxRows       most records per database transaction
 * @param lingerMs           longest wait for a batch to fill once it has a record
 * @param spoolFsyncIntervalMs the spool is fsynced at least this often …
 * @param spoolFsyncRows     … and at least every this many records
 * @param shutdownTimeoutMs  how long {@code close()} may flush to the database before spooling the rest
 */
public record LedgerSettings(Path spoolDir, int queueCapacity, int batchMaxRows, int lingerMs,
                             int spoolFsyncIntervalMs, int spoolFsyncRows, int shutdownTimeoutMs) {
    public LedgerSettings {
        Objects.requireNonNull(spoolDir, "spoolDir");
        positive("queueCapacity", queueCapacity);
        positive("batchMaxRows", batchMaxRows);
        positive("spoolFsyncIntervalMs", spoolFsyncIntervalMs);
        positive("spoolFsyncRows", spoolFsyncRows);
        if (lingerMs < 0) {
            throw new IllegalArgumentException("lingerMs: " + lingerMs + " (expected: >= 0)");
        }
        if (shutdownTimeoutMs < 0) {
            throw new IllegalArgumentException("shutdownTimeoutMs: " + shutdownTimeoutMs + " (expected: >= 0)");
        }
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
        }
    }

    /** Defaults as documented for the gateway, with the spool under the given data dir. */
    public static LedgerSettings defaults(Path dataDir) {
        return new LedgerSettings(dataDir.resolve("spool"), 65_536, 5_000, 100, 100, 1_000, 30_000);
    }

    public LedgerSettings withQueueCapacity(int v) {
        return new LedgerSettings(spoolDir, v, batchMaxRows, lingerMs, spoolFsyncIntervalMs, spoolFsyncRows,
                shutdownTimeoutMs);
    }

    public LedgerSettings withBatchMaxRows(int v) {
        return new LedgerSettings(spoolDir, queueCapacity, v, lingerMs, spoolFsyncIntervalMs, spoolFsyncRows,
                shutdownTimeoutMs);
    }

    public LedgerSettings withLingerMs(int v) {
        return new LedgerSettings(spoolDir, queueCapacity, batchMaxRows, v, spoolFsyncIntervalMs, spoolFsyncRows,
                shutdownTimeoutMs);
    }

    public LedgerSettings withShutdownTimeoutMs(int v) {
        return new LedgerSettings(spoolDir, queueCapacity, batchMaxRows, lingerMs, spoolFsyncIntervalMs,
                spoolFsyncRows, v);
    }
}
