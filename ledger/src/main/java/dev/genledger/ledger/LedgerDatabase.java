package dev.genledger.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's database: an external PostgreSQL or the embedded default, a HikariCP pool over it,
 * and the schema migrated to the current version by Flyway.
 */
public final class LedgerDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LedgerDatabase.class);

    private final HikariDataSource dataSource;
    private final EmbeddedDatabase embedded;
    private final String description;

    private LedgerDatabase(HikariDataSource dataSource, EmbeddedDatabase embedded, String description) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.description = description;
    }

    /**
     * Opens the database and migrates the schema.
     *
     * @param url          JDBC URL, or null for the embedded default in {@code embeddedDir}
     * @param embeddedDir  data directory of the embedded PostgreSQL
     */
    public static LedgerDatabase open(String url, String user, String password, int poolSize, Path embeddedDir) {
        EmbeddedDatabase embedded = null;
        String jdbcUrl = url;
        String description;
        if (url == null) {
            embedded = EmbeddedDatabase.start(embeddedDir, 0);
            jdbcUrl = embedded.jdbcUrl();
            user = "postgres";
            description = "embedded PostgreSQL, data in " + embeddedDir.toAbsolutePath().normalize()
                    + " (" + jdbcUrl + ")";
        } else {
            description = redact(url) + (user == null ? "" : " as " + user);
        }
        try {
            HikariDataSource ds = pool(jdbcUrl, user, password, poolSize);
            migrate(ds, description);
            return new LedgerDatabase(ds, embedded, description);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** Wraps an existing data source (tests). */
    public static LedgerDatabase wrap(HikariDataSource dataSource) {
        migrate(dataSource, dataSource.getJdbcUrl());
        return new LedgerDatabase(dataSource, null, dataSource.getJdbcUrl());
    }

    static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("genledger");
        c.setJdbcUrl(jdbcUrl);
        if (user != null) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(poolSize);
        c.setMinimumIdle(Math.min(2, poolSize));
        // A database that went away must not stall callers for long: the ledger writer spools
        // instead, and the API answers 503.
        c.setConnectionTimeout(3_000);
        c.setValidationTimeout(2_000);
        c.addDataSourceProperty("ApplicationName", "genledger");
        c.addDataSourceProperty("tcpKeepAlive", "true");
        c.setConnectionInitSql("SET TIME ZONE 'UTC'");
        try {
            return new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to the database at " + redact(jdbcUrl)
                    + ": " + rootMessage(e) + "; check GENLEDGER_DATABASE_URL, _USER and _PASSWORD, "
                    + "or unset GENLEDGER_DATABASE_URL to use the embedded database", e);
        }
    }

    static void migrate(DataSource ds, String description) {
        var result = Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .loggers("slf4j")
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            log.info("ledger: schema of {} migrated to version {}", description, result.targetSchemaVersion);
        }
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** Where the ledger lives, without credentials, for the start-up banner. */
    public String description() {
        return description;
    }

    public boolean embedded() {
        return embedded != null;
    }

    /** Whether the database answers now. */
    public boolean isUp() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    /** A JDBC URL with any password parameter removed. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1****");
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null) {
            r = r.getCause();
        }
        return r.getMessage();
    }
}
