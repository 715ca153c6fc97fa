package dev.genledger.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/** Runs the dashboard's read-only queries with their binds, and turns an absent database into a 503. */
final class Db {
    /** Longest a dashboard query may run; a runaway filter must not hold a connection for minutes. */
    static final int QUERY_TIMEOUT_SECONDS = 30;

    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException, java.io.IOException;
    }

    private final DataSource dataSource;

    Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T query(Sql sql, Reader<T> reader) {
        return withConnection(c -> query(c, sql, reader));
    }

    static <T> T query(Connection c, Sql sql, Reader<T> reader) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql)) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        }
    }

    static PreparedStatement prepare(Connection c, Sql sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql.text());
        try {
            bind(c, ps, sql.binds());
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
        return ps;
    }

    <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailableOrInternal(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Runs the work in one read-only REPEATABLE READ transaction: every statement sees the same
     * snapshot, so cache versions read first agree with the rows read after them.
     */
    <T> T inSnapshot(Work<T> work) {
        return withConnection(c -> {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        });
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> binds) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            Object v = binds.get(i);
            int at = i + 1;
            switch (v) {
                case Instant t -> ps.setObject(at, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
                case LocalDate d -> ps.setObject(at, d);
                case Sql.TextArray a -> ps.setArray(at, c.createArrayOf("text", a.values().toArray()));
                case String s -> ps.setString(at, s);
                case Integer n -> ps.setInt(at, n);
                case Long n -> ps.setLong(at, n);
                case java.util.UUID u -> ps.setObject(at, u);
                default -> throw new IllegalArgumentException("bind " + at + ": unsupported type " + v.getClass());
            }
        }
    }

    /** A database that cannot be reached is a 503 the client may retry; anything else is our bug. */
    static RuntimeException unavailableOrInternal(SQLException e) {
        String state = e.getSQLState();
        if (e instanceof SQLTransientConnectionException || (state != null && state.startsWith("08"))) {
            return new ApiException(503, "database_unavailable",
                    "the ledger database cannot be reached right now; retry shortly (" + e.getMessage() + ")", null);
        }
        if ("57014".equals(state)) {
            return new ApiException(503, "query_timeout", "the query ran longer than " + QUERY_TIMEOUT_SECONDS
                    + " s; narrow the window or the filters", null);
        }
        return new IllegalStateException("query failed: " + e.getMessage(), e);
    }
}
