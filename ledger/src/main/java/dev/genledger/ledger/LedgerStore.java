package dev.genledger.ledger;

import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Pricer;
import dev.genledger.pricing.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of ledger records to PostgreSQL, one transaction per batch: COPY into a
 * per-connection staging table, create first-seen articles, insert with {@code ON CONFLICT DO
 * NOTHING} (a replayed row is never counted twice) while adding exactly the inserted rows to the
 * rollups, then apply finalisations of async jobs. Used only from the writer thread.
 */
final class LedgerStore {
    private static final Logger log = LoggerFactory.getLogger(LedgerStore.class);

    private final Pricer pricer;
    private final Set<YearMonth> partitions = ConcurrentHashMap.newKeySet();
    private final CopyEncoder encoder = new CopyEncoder();
    /** One helper thread for the rollups of a batch; a daemon, so it never holds the JVM up. */
    private final ExecutorService helper = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "genledger-ledger-encoder");
        t.setDaemon(true);
        return t;
    });

    LedgerStore(Pricer pricer) {
        this.pricer = pricer;
    }

    /** What one batch did. */
    record Result(int inserted, int duplicates, int finalized, int parked) {}

    /** Per connection, once: UTC session and the staging table. */
    static void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(LedgerSql.SESSION_SETUP);
            s.execute(LedgerSql.CREATE_STAGE);
            for (String sql : LedgerSql.CREATE_ROLLUP_STAGES) {
                s.execute(sql);
            }
        }
    }

    /** Creates the month partitions for the given instants that this store has not seen yet. */
    void ensurePartitions(Connection c, Iterable<Instant> times) throws SQLException {
        for (Instant t : times) {
            YearMonth month = YearMonth.from(t.atOffset(ZoneOffset.UTC));
            if (partitions.contains(month)) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.ENSURE_PARTITION)) {
                ps.setTimestamp(1, Timestamp.from(t));
                ps.execute();
            }
            partitions.add(month);
        }
    }

    /**
     * Writes one batch in one transaction; on any exception nothing of it is written.
     *
     * @param mayRepeat whether rows may already be in the ledger (a spool replay). Live batches
     *                  take the fast path: COPY straight into the ledger, rollups summed here; should
     *                  a row turn out to be there already, the batch falls back to the staged path,
     *                  which skips it.
     */
    Result write(Connection c, List<LedgerRecord> batch, boolean mayRepeat) throws SQLException {
        List<Finalization> finals = new ArrayList<>();
        encoder.clear();
        for (LedgerRecord r : batch) {
            switch (r) {
                case Generation g -> encoder.add(g);
                case Finalization f -> finals.add(f);
            }
        }
        return write(c, encoder.buffer(), 0, encoder.length(), finals, mayRepeat);
    }

    /**
     * Writes new rows given as COPY tuples in {@code tuples[from, to)} (see {@link RowQueue}) in one
     * transaction, as {@link #write(Connection, List, boolean)} writes a live batch.
     */
    Result writeEncoded(Connection c, byte[] tuples, int from, int to) throws SQLException {
        return write(c, tuples, from, to, List.of(), false);
    }

    private Result write(Connection c, byte[] tuples, int from, int to, List<Finalization> finals, boolean mayRepeat)
            throws SQLException {
        // what is needed before the rows go in: their months, first-seen articles, pending rows
        Map<YearMonth, Instant> months = new HashMap<>();
        Map<String, CopyDecoder.Head> firstSeen = new HashMap<>();
        List<Generation> pendingRows = new ArrayList<>();
        int count = 0;
        for (int p = from; p < to; p = CopyDecoder.end(tuples, p)) {
            CopyDecoder.Head h = CopyDecoder.head(tuples, p);
            months.putIfAbsent(YearMonth.from(h.startedAt().atOffset(ZoneOffset.UTC)), h.startedAt());
            if (h.articleId() != null) {
                firstSeen.merge(h.articleId(), h, (a, b) -> b.startedAt().isBefore(a.startedAt()) ? b : a);
            }
            if (h.pending()) {
                pendingRows.add(CopyDecoder.decode(tuples, p));
            }
            count++;
        }
        ensurePartitions(c, months.values());
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute(LedgerSql.WRITER_LOCK);
            }
            int inserted = 0;
            int finalized = 0;
            int parked = 0;
            if (count > 0) {
                if (mayRepeat) {
                    inserted = writeStaged(c, tuples, from, to);
                } else {
                    Savepoint sp = c.setSavepoint();
                    try {
                        inserted = writeDirect(c, tuples, from, to, count, firstSeen);
                        c.releaseSavepoint(sp);
                    } catch (SQLException e) {
                        if (!"23505".equals(e.getSQLState())) {
                            throw e;
                        }
                        c.rollback(sp); // a row is already in the ledger: take the deduplicating path
                        inserted = writeStaged(c, tuples, from, to);
                    }
                }
                finalized += applyParked(c, pendingRows);
            }
            for (Finalization f : finals) {
                int n = finalize(c, f);
                if (n == 0) {
                    park(c, f);
                    parked++;
                }
                finalized += n;
            }
            c.commit();
            return new Result(inserted, count - inserted, finalized, parked);
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // the connection is broken; the writer replaces it
            }
        }
    }

    /** Staged path: COPY into the staging table, insert what is new, roll up exactly that in SQL. */
    private int writeStaged(Connection c, byte[] tuples, int from, int to) throws SQLException {
        copyTuples(c, LedgerSql.COPY_STAGE, tuples, from, to);
        try (Statement s = c.createStatement()) {
            s.execute(LedgerSql.INSERT_ARTICLES);
            try (ResultSet rs = s.executeQuery(LedgerSql.INSERT_FROM_STAGE)) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Fast path: first-seen articles, COPY straight into the ledger, rollups summed in memory. The
     * Java work overlaps the database's: a helper thread reads the rows back from their tuples and
     * sums the rollups while the COPY runs.
     */
    private int writeDirect(Connection c, byte[] tuples, int from, int to, int count,
                            Map<String, CopyDecoder.Head> firstSeen) throws SQLException {
        Map<String, String[]> articles = new HashMap<>();
        if (!firstSeen.isEmpty()) {
            List<CopyDecoder.Head> first = List.copyOf(firstSeen.values());
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.UPSERT_AND_READ_ARTICLES)) {
                ps.setArray(1, c.createArrayOf("text", first.stream().map(CopyDecoder.Head::articleId).toArray()));
                ps.setArray(2, c.createArrayOf("text", first.stream().map(CopyDecoder.Head::category).toArray()));
                ps.setArray(3, c.createArrayOf("text", first.stream().map(CopyDecoder.Head::contentProduct).toArray()));
                ps.setArray(4, c.createArrayOf("text", first.stream().map(h -> h.startedAt().toString()).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        articles.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                    }
                }
            }
        }
        CompletableFuture<RollupBatch> summed =
                CompletableFuture.supplyAsync(() -> sum(tuples, from, to, articles), helper);
        try {
            copyTuples(c, LedgerSql.COPY_DIRECT, tuples, from, to);
        } catch (SQLException | RuntimeException e) {
            summed.handle((r, t) -> null).join(); // it reads the tuples: done before they are reused
            throw e;
        }
        join(summed).write(c);
        return count;
    }

    private static RollupBatch sum(byte[] tuples, int from, int to, Map<String, String[]> articles) {
        RollupBatch rollups = new RollupBatch();
        for (int p = from; p < to; p = CopyDecoder.end(tuples, p)) {
            Generation g = CopyDecoder.decode(tuples, p);
            String[] article = g.articleId() == null ? null : articles.get(g.articleId());
            String category = g.category() != null ? g.category() : article == null ? null : article[0];
            String product = g.contentProduct() != null ? g.contentProduct() : article == null ? null : article[1];
            rollups.add(g, category, product);
        }
        return rollups;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** COPY of the rows into the given target; cancelled in finally if it did not complete. */
    void copy(Connection c, String sql, List<Generation> rows) throws SQLException {
        encoder.clear();
        for (Generation g : rows) {
            encoder.add(g);
        }
        copyTuples(c, sql, encoder.buffer(), 0, encoder.length());
    }

    /** One binary COPY stream: the header, the tuples in {@code tuples[from, to)}, the trailer. */
    private static void copyTuples(Connection c, String sql, byte[] tuples, int from, int to) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            copy.writeToCopy(CopyEncoder.HEADER, 0, CopyEncoder.HEADER.length);
            copy.writeToCopy(tuples, from, to - from);
            copy.writeToCopy(CopyEncoder.TRAILER, 0, CopyEncoder.TRAILER.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Stops the helper thread. */
    void close() {
        helper.shutdown();
    }

    /** Removes parked finalisations older than {@code days}; returns how many. */
    int purgeParked(Connection c, int days) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.PURGE_PARKED)) {
            ps.setInt(1, days);
            return ps.executeUpdate();
        }
    }

    /** Applies finalisations that arrived before these pending rows. */
    private int applyParked(Connection c, List<Generation> rows) throws SQLException {
        List<Generation> pendingRows = rows.stream().filter(g -> g.state() == Generation.State.PENDING
                && g.upstreamRequestId() != null).toList();
        if (pendingRows.isEmpty()) {
            return 0;
        }
        List<Finalization> parked = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.SELECT_PARKED_FOR)) {
            ps.setArray(1, c.createArrayOf("text", pendingRows.stream().map(Generation::provider).toArray()));
            ps.setArray(2, c.createArrayOf("text", pendingRows.stream().map(Generation::upstreamRequestId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    parked.add((Finalization) LedgerJson.fromBytes(
                            rs.getString(1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        }
        int n = 0;
        for (Finalization f : parked) {
            n += finalize(c, f);
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.DELETE_PARKED)) {
                ps.setString(1, f.provider());
                ps.setString(2, f.upstreamRequestId());
                ps.executeUpdate();
            }
        }
        return n;
    }

    private void park(Connection c, Finalization f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.PARK_FINALIZATION)) {
            ps.setString(1, f.provider());
            ps.setString(2, f.upstreamRequestId());
            ps.setString(3, new String(LedgerJson.toBytes(f), java.nio.charset.StandardCharsets.UTF_8));
            ps.executeUpdate();
        }
        log.debug("ledger: finalisation for {} {} arrived before its pending row; kept until the row arrives",
                f.provider(), f.upstreamRequestId());
    }

    /** Applies a finalisation to every pending row it names; returns how many rows it completed. */
    private int finalize(Connection c, Finalization f) throws SQLException {
        List<Generation> pending = new ArrayList<>(1);
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.SELECT_PENDING)) {
            ps.setString(1, f.provider());
            ps.setString(2, f.upstreamRequestId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.add(LedgerRows.read(rs));
                }
            }
        }
        int done = 0;
        for (Generation g : pending) {
            Usage usage = f.merge(g.usage());
            boolean failed = f.status() >= 400 || f.error() != null;
            Cost cost = failed && usage.isEmpty()
                    ? Cost.FREE
                    : pricer.price(g.provider(), g.model(), g.operation(), usage, g.startedAt());
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.FINALIZE)) {
                int i = 1;
                ps.setObject(i++, g.id());
                ps.setTimestamp(i++, Timestamp.from(g.startedAt()));
                ps.setInt(i++, f.status());
                ps.setString(i++, f.error());
                ps.setBoolean(i++, usage.estimated());
                ps.setLong(i++, usage.inputTokens());
                ps.setLong(i++, usage.cachedInputTokens());
                ps.setLong(i++, usage.outputTokens());
                ps.setLong(i++, usage.reasoningTokens());
                ps.setLong(i++, usage.characters());
                ps.setLong(i++, usage.images());
                ps.setBigDecimal(i++, usage.mediaSeconds());
                ps.setString(i++, LedgerJson.usageDetail(usage));
                ps.setBigDecimal(i++, cost.costUsd());
                ps.setBigDecimal(i++, cost.inputCostUsd());
                ps.setBigDecimal(i++, cost.outputCostUsd());
                ps.setBigDecimal(i++, cost.otherCostUsd());
                ps.setBoolean(i++, cost.priced());
                if (cost.priceRef() == null) {
                    ps.setNull(i++, Types.VARCHAR);
                } else {
                    ps.setString(i++, cost.priceRef());
                }
                ps.setTimestamp(i++, Timestamp.from(f.completedAt()));
                ps.setObject(i++, g.id());
                ps.setTimestamp(i++, Timestamp.from(g.startedAt()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    done += rs.getInt(1);
                }
            }
        }
        return done;
    }
}
