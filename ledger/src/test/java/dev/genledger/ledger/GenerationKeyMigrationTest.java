package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.ledger.testing.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Schema V4 keys generation by (started_at, id) instead of (id, started_at) plus an index on
 * (started_at, id): a ledger's rows stay, each partition gets the new key, and a row with the same
 * id and start is still refused.
 */
class GenerationKeyMigrationTest {
    @Test
    void rowsStayAndTheKeyServesUniquenessAndTimeOrder() throws Exception {
        try (HikariDataSource ds = TestDatabases.empty()) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("3").load().migrate();
            String insert = """
                    INSERT INTO generation (id, started_at, provider, operation, modality, status, streamed, state,
                                            priced, latency_ms, request_bytes, response_bytes)
                    SELECT %s, ts, 'openai', 'chat', 'text', 200, false, 'complete', false, 1, 10, 20
                    FROM (VALUES (timestamptz '2026-10-31 23:59:59+00'), (timestamptz '2026-11-01 00:00:00+00'),
                                 (timestamptz '2026-11-15 12:00:00+00')) v(ts)""";
            Rows.exec(ds, "SELECT genledger_ensure_partition('2026-10-31 00:00:00+00'),"
                    + " genledger_ensure_partition('2026-11-01 00:00:00+00')");
            Rows.exec(ds, insert.formatted("gen_random_uuid()"));
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

            assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(3);
            assertThat(Rows.count(ds, "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'generation%started_idx'"))
                    .isZero();
            // every partition's key is (started_at, id)
            assertThat(Rows.count(ds, """
                    SELECT count(*) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                    WHERE t.relname LIKE 'generation%' AND i.indisprimary
                      AND pg_get_indexdef(i.indexrelid) LIKE '%(started_at, id)'""")).isEqualTo(3); // parent, 2 months
            // the same id and start again is refused (the writer's replays are ignored by ON CONFLICT)
            assertThatThrownBy(() -> Rows.exec(ds, """
                    INSERT INTO generation (id, started_at, provider, operation, modality, status, streamed, state,
                                            priced, latency_ms, request_bytes, response_bytes)
                    SELECT id, started_at, provider, operation, modality, status, streamed, state, priced, latency_ms,
                           request_bytes, response_bytes FROM generation LIMIT 1"""))
                    .rootCause().hasMessageContaining("duplicate key");
        }
    }
}
