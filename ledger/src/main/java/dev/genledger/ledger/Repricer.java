package dev.genledger.ledger;

import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Pricer;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a (corrected) price catalog to stored generations: each complete row started on or
 * after a UTC day (optionally of one provider and one exact model name) is priced again from its
 * stored usage, with the price in effect at its own {@code started_at}, exactly as the gateway
 * priced it when it was written. Rows whose cost or priced flag changes are updated, and their
 * contribution to every rollup moves from the old cost to the new one with signed -1/+1 deltas in
 * the same transaction, so rollups always equal the raw rows.
 *
 * <p>Rows are read in batches of {@value #BATCH_ROWS} in (started_at, id) order, one transaction
 * per batch, holding the ledger writers' shared lock (as the writer does) so that an article
 * re-attribution cannot interleave. A batch committed stays committed: if the run fails, running
 * it again finishes the job, since a row whose cost is already right is left alone.
 *
 * <p>Failed calls that counted nothing stay free ({@link Cost#FREE}), as at finalisation. Pending
 * rows (their job is not finished) and calls that generate nothing (modality {@code none}: polls,
 * listings) are not re-priced. A change of {@code price_ref} alone (same amounts) is not written.
 */
public final class Repricer {
    private static final Logger log = LoggerFactory.getLogger(Repricer.class);

    static final int BATCH_ROWS = 1_000;
    private static final UUID MIN_ID = new UUID(0, 0);

    private Repricer() {}

    /**
     * @param from     first UTC day re-priced (rows with started_at on or after its midnight UTC)
     * @param provider only this provider's rows, or null for all
     * @param model    only rows whose stored model is exactly this, or null for all
     * @throws IllegalStateException when the database fails; batches done before stay done
     */
    public static RepriceReport run(DataSource ds, Pricer pricer, LocalDate from, String provider, String model) {
        return run(ds, pricer, from, provider, model, BATCH_ROWS);
    }

    static RepriceReport run(DataSource ds, Pricer pricer, LocalDate from, String provider, String model,
                             int batchRows) {
        Objects.requireNonNull(ds, "ds");
        Objects.requireNonNull(pricer, "pricer");
        Objects.requireNonNull(from, "from");
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows: " + batchRows + " (expected: > 0)");
        }
        Instant fromInstant = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        log.info("reprice: re-pricing complete generations from {} (provider {}, model {})", from,
                provider == null ? "any" : provider, model == null ? "any" : model);
        long started = System.nanoTime();
        Instant cursorAt = fromInstant;
        UUID cursorId = MIN_ID;
        long examined = 0;
        long changed = 0;
        BigDecimal delta = BigDecimal.ZERO;
        while (true) {
            Batch b;
            try {
                b = batch(ds, pricer, fromInstant, cursorAt, cursorId, provider, model, batchRows);
            } catch (SQLException e) {
                throw new IllegalStateException("reprice: the database failed after " + examined + " rows ("
                        + changed + " changed, committed); run the re-pricing again to finish, rows already "
                        + "re-priced are left alone", e);
            }
            examined += b.examined();
            changed += b.changed();
            delta = delta.add(b.deltaUsd());
            if (b.examined() > 0) {
                log.debug("reprice: batch of {} rows up to {}: {} changed", b.examined(), b.lastAt(), b.changed());
            }
            if (b.examined() < batchRows) {
                break;
            }
            cursorAt = b.lastAt();
            cursorId = b.lastId();
        }
        RepriceReport report = new RepriceReport(examined, changed, plain(delta));
        log.info("reprice: {} rows examined, {} changed, cost moved by {} USD in {} ms", examined, changed,
                report.deltaUsd().toPlainString(), (System.nanoTime() - started) / 1_000_000);
        return report;
    }

    private record Batch(int examined, int changed, BigDecimal deltaUsd, Instant lastAt, UUID lastId) {}

    private record Change(Generation row, Cost cost) {}

    private static Batch batch(DataSource ds, Pricer pricer, Instant from, Instant cursorAt, UUID cursorId,
                               String provider, String model, int batchRows) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute(LedgerSql.WRITER_LOCK);
                }
                List<Generation> rows = select(c, from, cursorAt, cursorId, provider, model, batchRows);
                List<Change> changes = new ArrayList<>();
                BigDecimal delta = BigDecimal.ZERO;
                for (Generation g : rows) {
                    Cost now = price(pricer, g);
                    if (differs(g.cost(), now)) {
                        changes.add(new Change(g, now));
                        delta = delta.add(orZero(now.costUsd())).subtract(orZero(g.cost().costUsd()));
                    }
                }
                if (!changes.isEmpty()) {
                    int updated = update(c, changes);
                    if (updated != changes.size()) {
                        throw new IllegalStateException("reprice: " + updated + " of " + changes.size()
                                + " locked rows were updated; the batch is rolled back");
                    }
                }
                c.commit();
                Generation last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
                return new Batch(rows.size(), changes.size(), delta, last == null ? null : last.startedAt(),
                        last == null ? null : last.id());
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /** The row's cost under the pricer; a failed call that counted nothing is free, as at finalisation. */
    static Cost price(Pricer pricer, Generation g) {
        Usage u = g.usage();
        return g.failed() && u.isEmpty() ? Cost.FREE
                : pricer.price(g.provider(), g.model(), g.operation(), u, g.startedAt());
    }

    private static List<Generation> select(Connection c, Instant from, Instant cursorAt, UUID cursorId,
                                           String provider, String model, int batchRows) throws SQLException {
        List<Generation> rows = new ArrayList<>(Math.min(batchRows, 1024));
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.SELECT_FOR_REPRICE)) {
            int i = 1;
            ps.setTimestamp(i++, Timestamp.from(from));
            ps.setTimestamp(i++, Timestamp.from(cursorAt));
            ps.setObject(i++, cursorId);
            ps.setString(i++, provider);
            ps.setString(i++, provider);
            ps.setString(i++, model);
            ps.setString(i++, model);
            ps.setInt(i, batchRows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(LedgerRows.read(rs));
                }
            }
        }
        return rows;
    }

    private static int update(Connection c, List<Change> changes) throws SQLException {
        int n = changes.size();
        String[][] columns = new String[8][n];
        Instant lo = changes.get(0).row().startedAt();
        Instant hi = lo;
        for (int k = 0; k < n; k++) {
            Generation g = changes.get(k).row();
            Cost cost = changes.get(k).cost();
            columns[0][k] = g.id().toString();
            columns[1][k] = g.startedAt().toString();
            columns[2][k] = text(cost.costUsd());
            columns[3][k] = text(cost.inputCostUsd());
            columns[4][k] = text(cost.outputCostUsd());
            columns[5][k] = text(cost.otherCostUsd());
            columns[6][k] = Boolean.toString(cost.priced());
            columns[7][k] = cost.priceRef();
            lo = g.startedAt().isBefore(lo) ? g.startedAt() : lo;
            hi = g.startedAt().isAfter(hi) ? g.startedAt() : hi;
        }
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.REPRICE)) {
            int i = 1;
            List<Array> arrays = new ArrayList<>(columns.length);
            for (String[] column : columns) {
                Array a = c.createArrayOf("text", column);
                arrays.add(a);
                ps.setArray(i++, a);
            }
            for (int twice = 0; twice < 2; twice++) { // the bounds of the old-rows scan, then of the update
                ps.setTimestamp(i++, Timestamp.from(lo));
                ps.setTimestamp(i++, Timestamp.from(hi));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            } finally {
                for (Array a : arrays) {
                    a.free();
                }
            }
        }
    }

    /** Whether the row must be written: priced flag or any amount differs (by value, not scale). */
    static boolean differs(Cost stored, Cost now) {
        return stored.priced() != now.priced()
                || !same(stored.costUsd(), now.costUsd())
                || !same(stored.inputCostUsd(), now.inputCostUsd())
                || !same(stored.outputCostUsd(), now.outputCostUsd())
                || !same(stored.otherCostUsd(), now.otherCostUsd());
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private static BigDecimal orZero(BigDecimal d) {
        return d == null ? BigDecimal.ZERO : d;
    }

    private static String text(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }

    private static BigDecimal plain(BigDecimal d) {
        if (d.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
