package dev.genledger.ledger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real PostgreSQL (binaries from Maven Central) whose data directory lives
 * under the gateway's data dir and is kept across restarts. It runs with PostgreSQL's durable
 * defaults (fsync, synchronous commit, full page writes), not the test-friendly ones, because it
 * holds the ledger. Its log goes to {@code <dir>/../postgres.log}.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on the given data directory (created on first start).
     *
     * @param port 0 for any free port
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            stopOrphan(dataDirectory);
            Path logFile = dataDirectory.toAbsolutePath().getParent().resolve("postgres.log");
            ProcessBuilder.Redirect redirect = ProcessBuilder.Redirect.appendTo(logFile.toFile());
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(120))
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setOutputRedirector(redirect)
                    .setErrorRedirector(redirect)
                    .setRegisterShutdownHook(true)
                    .start();
            return new EmbeddedDatabase(pg, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDirectory
                    + " (see postgres.log beside it)", e);
        }
    }

    /**
     * A gateway killed hard (SIGKILL) leaves its PostgreSQL child running on the data directory,
     * which would keep the next start from opening it. Stop that orphan first.
     */
    private static void stopOrphan(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        // A live owner holds the lock file; then the PostgreSQL is not an orphan and must not be touched.
        try (FileChannel ch = FileChannel.open(dataDirectory.resolve("epg-lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = ch.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("the embedded database in " + dataDirectory + " is in use by another "
                        + "GenLedger process; stop that one first, or give this one its own GENLEDGER_DATA_DIR");
            }
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("the embedded database in " + dataDirectory + " is already open in this "
                    + "process", e);
        } catch (IOException e) {
            log.warn("ledger: could not check the lock of {}: {}", dataDirectory, e.toString());
            return;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return;
            }
            long pid = Long.parseLong(lines.get(0).strip());
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()
                    || !p.get().info().command().map(c -> c.contains("postgres")).orElse(false)) {
                return;
            }
            log.warn("ledger: a PostgreSQL (pid {}) left by an earlier gateway still runs on {}; stopping it",
                    pid, dataDirectory);
            p.get().destroy(); // SIGTERM: smart shutdown
            p.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("ledger: could not check or stop an earlier PostgreSQL on {}: {}", dataDirectory, e.toString());
        }
    }

    public DataSource postgresDatabase() {
        return postgres.getPostgresDatabase();
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.error("ledger: embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
