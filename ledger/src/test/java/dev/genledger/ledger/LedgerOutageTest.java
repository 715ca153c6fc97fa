package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.ledger.testing.TestDatabases;
import dev.genledger.pricing.Pricer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away while rows keep coming, then comes back: every row is in the ledger
 * exactly once. A real PostgreSQL is stopped and started on the same data directory and port.
 */
class LedgerOutageTest {
    @TempDir
    Path dir;

    @Test
    void rowsOfferedWhilePostgresIsDownArePresentExactlyOnceAfterItReturns() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path pgData = dir.resolve("pg");
        EmbeddedDatabase pg = EmbeddedDatabase.start(pgData, port);
        HikariDataSource ds = TestDatabases.pool(pg.jdbcUrl(), 4);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        LedgerWriter writer = LedgerWriter.start(ds, Pricer.NONE,
                LedgerSettings.defaults(dir.resolve("data")).withLingerMs(20).withBatchMaxRows(500));
        AtomicInteger offered = new AtomicInteger();
        Instant base = Instant.parse("2026-11-10T00:00:00Z");
        Runnable offerSome = () -> {
            for (int i = 0; i < 200; i++) {
                writer.offer(Rows.chat(base.plusMillis(offered.getAndIncrement())));
            }
        };
        try {
            // before: the database is up
            for (int i = 0; i < 10; i++) {
                offerSome.run();
            }
            assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();

            pg.close(); // the database goes away mid-stream
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                offerSome.run();
                Thread.sleep(20); // a steady trickle, as from live traffic
            }
            assertThat(writer.stats().databaseUp()).isFalse();
            assertThat(writer.stats().spooled()).isPositive();

            pg = EmbeddedDatabase.start(pgData, port); // back, same data and port
            for (int i = 0; i < 10; i++) {
                offerSome.run();
            }
            assertThat(writer.drain(Duration.ofMinutes(1))).isTrue();

            assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(offered.get());
            assertThat(Rows.count(ds, "SELECT count(DISTINCT id) FROM generation")).isEqualTo(offered.get());
            assertThat(Rows.count(ds, "SELECT sum(generations) FROM rollup_daily")).isEqualTo(offered.get());
            assertThat(writer.stats().spooled()).isZero();
            assertThat(writer.stats().databaseUp()).isTrue();
        } finally {
            writer.close();
            ds.close();
            pg.close();
        }
    }
}
