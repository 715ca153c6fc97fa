package dev.genledger.ledger;

import dev.genledger.pricing.Pricer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A raw COPY of rows straight into {@code generation}: no staging, no deduplication, no rollups,
 * no articles. The gateway never uses it; it is the reference the ledger benchmark measures the
 * writer against ("how close to the database's own bulk path do we get").
 */
public final class RawCopy {
    private final LedgerStore store = new LedgerStore(Pricer.NONE);

    /** Copies the rows in one COPY statement, creating their month partitions first. */
    public void copy(Connection c, List<Generation> rows) throws SQLException {
        store.ensurePartitions(c, rows.stream().map(Generation::startedAt).toList());
        store.copy(c, LedgerSql.COPY_DIRECT, rows);
    }
}
