package dev.genledger.ledger;

import dev.genledger.pricing.Pricer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A raw COPY of rows straight into {@code generation}: no staging, no deduplication, no rollups,
 * no articles. The gateway never uses it; it is the reference the ledger benchmark measures the
 * writer against ("how close to the database's own bulk path do we get"), and the fast way for the
 * dashboard benchmark to fill a ledger with millions of rows, after which {@link #addArticles} and
 * {@link #addToRollups} derive articles and rollups with the writer's own SQL.
 */
public final class RawCopy {
    private final LedgerStore store = new LedgerStore(Pricer.NONE);

    /** Copies the rows in one COPY statement, creating their month partitions first. */
    public void copy(Connection c, List<Generation> rows) throws SQLException {
        store.ensurePartitions(c, rows.stream().map(Generation::startedAt).toList());
        store.copy(c, LedgerSql.COPY_DIRECT, rows);
    }

    /** Creates the articles first seen in the ledger's rows, as the writer does on first sight. */
    public void addArticles(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(LedgerSql.INSERT_ARTICLES_FROM_LEDGER);
        }
    }

    /**
     * Adds the rows started in {@code [from, to)} to every rollup with the writer's own statements.
     * Call once per disjoint range after the rows and their articles are in.
     */
    public void addToRollups(Connection c, Instant from, Instant to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.ROLLUP_RANGE)) {
            ps.setObject(1, from.atOffset(ZoneOffset.UTC));
            ps.setObject(2, to.atOffset(ZoneOffset.UTC));
            ps.execute();
        }
    }
}
