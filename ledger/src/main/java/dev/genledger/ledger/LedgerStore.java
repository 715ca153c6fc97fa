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
    private final CopyEncoder helperEncoder = new CopyEncoder();
    /** One helper thread for the Java half of a batch; a daemon, so it never holds the JVM up. */
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
        List<Generation> rows = new ArrayList<>(batch.size());
        List<Finalization> finals = new ArrayList<>();
        for (LedgerRecord r : batch) {
            switch (r) {
                case Generation g -> rows.add(g);
                case Finalization f -> finals.add(f);
            }
        }
        ensurePartitions(c, rows.stream().map(Generation::startedAt).toList());
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute(LedgerSql.WRITER_LOCK);
            }
            int inserted = 0;
            int finalized = 0;
            int parked = 0;
            if (!rows.isEmpty()) {
                if (mayRepeat) {
                    inserted = writeStaged(c, rows);
                } else {
                    Savepoint sp = c.setSavepoint();
                    try {
                        inserted = writeDirect(c, rows);
                        c.releaseSavepoint(sp);
                    } catch (SQLException e) {
                        if (!"23505".equals(e.getSQLState())) {
                            throw e;
                        }
                        c.rollback(sp); // a row is already in the ledger: take the deduplicating path
                        inserted = writeStaged(c, rows);
                    }
                }
                finalized += applyParked(c, rows);
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
            return new Result(inserted, rows.size() - inserted, finalized, parked);
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
    private int writeStaged(Connection c, List<Generation> rows) throws SQLException {
        copy(c, LedgerSql.COPY_STAGE, rows);
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
     * Java work overlaps the database's: a helper thread encodes the rows while the article
     * statement runs, and sums the rollups while the COPY runs.
     */
    private int writeDirect(Connection c, List<Generation> rows) throws SQLException {
        // the helper encoder's buffer is free again: the previous batch's COPY ended before this one
        CompletableFuture<CopyEncoder.Stream> encoded =
                CompletableFuture.supplyAsync(() -> encode(helperEncoder, rows), helper);
        Map<String, Generation> firstSeen = new HashMap<>();
        for (Generation g : rows) {
            if (g.articleId() != null) {
                firstSeen.merge(g.articleId(), g, (a, b) -> b.startedAt().isBefore(a.startedAt()) ? b : a);
            }
        }
        Map<String, String[]> articles = new HashMap<>();
        if (!firstSeen.isEmpty()) {
            List<Generation> first = List.copyOf(firstSeen.values());
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.UPSERT_AND_READ_ARTICLES)) {
                ps.setArray(1, c.createArrayOf("text", first.stream().map(Generation::articleId).toArray()));
                ps.setArray(2, c.createArrayOf("text", first.stream().map(Generation::category).toArray()));
                ps.setArray(3, c.createArrayOf("text", first.stream().map(Generation::contentProduct).toArray()));
                ps.setArray(4, c.createArrayOf("text", first.stream().map(g -> g.startedAt().toString()).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        articles.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                    }
                }
            }
        }
        CompletableFuture<RollupBatch> summed = encoded.thenApplyAsync(bytes -> sum(rows, articles), helper);
        copyBytes(c, LedgerSql.COPY_DIRECT, join(encoded));
        join(summed).write(c);
        return rows.size();
    }

    private static RollupBatch sum(List<Generation> rows, Map<String, String[]> articles) {
        RollupBatch rollups = new RollupBatch();
        for (Generation g : rows) {
            String[] article = g.articleId() == null ? null : articles.get(g.articleId());
            String category = g.category() != null ? g.category() : article == null ? null : article[0];
            String product = g.contentProduct() != null ? g.contentProduct() : article == null ? null : article[1];
            rollups.add(g, category, product);
        }
        return rollups;
    }

    /**
     * The rows in binary COPY format, in {@code e}'s buffer (one encoder per thread: it is reused,
     * and the stream is valid until its next use).
     */
    private static CopyEncoder.Stream encode(CopyEncoder e, List<Generation> rows) {
        e.reset();
        for (Generation g : rows) {
            e.add(g);
        }
        return e.stream();
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
        copyBytes(c, sql, encode(encoder, rows));
    }

    private static void copyBytes(Connection c, String sql, CopyEncoder.Stream stream) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            copy.writeToCopy(stream.bytes(), 0, stream.length());
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
