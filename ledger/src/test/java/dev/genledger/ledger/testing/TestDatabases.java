package dev.genledger.ledger.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * Real PostgreSQL for tests: one embedded server per test JVM, started on first use, and a fresh
 * database per caller, cloned from a template that was migrated once. Cloning takes tens of
 * milliseconds, so every test class can have a database of its own.
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabases() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE genledger_template");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            try (HikariDataSource ds = pool(server.getJdbcUrl("postgres", "genledger_template"), 2)) {
                Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            }
        }
        return server;
    }

    /** A new, migrated, empty ledger database. Close the pool when done. */
    public static HikariDataSource fresh() {
        EmbeddedPostgres pg = server();
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE genledger_template");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pool(pg.getJdbcUrl("postgres", name), 8);
    }

    /** A new database with no schema at all (for migration tests). Close the pool when done. */
    public static HikariDataSource empty() {
        EmbeddedPostgres pg = server();
        String name = "e" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pool(pg.getJdbcUrl("postgres", name), 2);
    }

    public static HikariDataSource pool(String jdbcUrl, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbcUrl);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(3_000);
        c.setConnectionInitSql("SET TIME ZONE 'UTC'");
        c.setInitializationFailTimeout(-1); // a test may point a pool at a database that is down
        return new HikariDataSource(c);
    }
}
