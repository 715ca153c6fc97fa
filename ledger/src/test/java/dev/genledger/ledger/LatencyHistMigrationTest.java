package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.ledger.testing.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Schema V3 keeps a ledger's existing latency histogram, bucket for bucket. */
class LatencyHistMigrationTest {
    @Test
    void bucketRowsBecomeArraysAndReadBackTheSameThroughTheView() throws Exception {
        try (HikariDataSource ds = TestDatabases.empty()) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("2").load().migrate();
            Rows.exec(ds, """
                    INSERT INTO latency_hist_daily (day, provider, model, task, bucket, count) VALUES
                      ('2026-11-01', 'openai', 'gpt-4o', 'rewrite', 3, 7),
                      ('2026-11-01', 'openai', 'gpt-4o', 'rewrite', 140, 2),
                      ('2026-11-01', 'openai', null, null, 0, 1),
                      ('2026-11-02', 'gemini', 'gemini-2.5-flash', 'faq', 99, 5)""");
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            assertThat(Rows.count(ds, "SELECT count(*) FROM latency_hist")).isEqualTo(3);
            // element i + 1 counts bucket i: the gpt-4o row spans buckets 0..140
            assertThat(Rows.count(ds, "SELECT array_length(counts, 1) FROM latency_hist WHERE model = 'gpt-4o'"))
                    .isEqualTo(141);
            long differing = Rows.count(ds, """
                    SELECT count(*) FROM (
                      (SELECT * FROM latency_hist_daily EXCEPT ALL SELECT * FROM (VALUES
                        ('2026-11-01'::date, 'openai', 'gpt-4o', 'rewrite', 3::smallint, 7::bigint),
                        ('2026-11-01'::date, 'openai', 'gpt-4o', 'rewrite', 140::smallint, 2::bigint),
                        ('2026-11-01'::date, 'openai', null, null, 0::smallint, 1::bigint),
                        ('2026-11-02'::date, 'gemini', 'gemini-2.5-flash', 'faq', 99::smallint, 5::bigint)) v)
                      UNION ALL
                      (SELECT * FROM (VALUES
                        ('2026-11-01'::date, 'openai', 'gpt-4o', 'rewrite', 3::smallint, 7::bigint),
                        ('2026-11-01'::date, 'openai', 'gpt-4o', 'rewrite', 140::smallint, 2::bigint),
                        ('2026-11-01'::date, 'openai', null, null, 0::smallint, 1::bigint),
                        ('2026-11-02'::date, 'gemini', 'gemini-2.5-flash', 'faq', 99::smallint, 5::bigint)) v
                       EXCEPT ALL SELECT * FROM latency_hist_daily)) d""");
            assertThat(differing).isZero();
            // and sums add element by element, the shorter padded with zeros
            Rows.exec(ds, "CREATE TABLE t AS SELECT genledger_hist_add('{1,2}'::int[], '{0,1,1,4}'::int[]) AS h");
            assertThat(Rows.count(ds, "SELECT h[4] FROM t")).isEqualTo(4);
            assertThat(Rows.count(ds, "SELECT h[2] FROM t")).isEqualTo(3);
        }
    }
}
