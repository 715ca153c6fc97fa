package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.ledger.testing.TestDatabases;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Pricer;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every change to an hour's rollups bumps that hour's counter in rollup_version, and only that hour's. */
class RollupVersionTest {
    @TempDir
    Path dataDir;

    private HikariDataSource ds;
    private LedgerWriter writer;

    private static final Pricer PRICER = (provider, model, op, usage, at) ->
            Cost.of(BigDecimal.valueOf(usage.mediaSeconds().longValue()), BigDecimal.ZERO, BigDecimal.ZERO, "t");

    @BeforeEach
    void setUp() {
        ds = TestDatabases.fresh();
        writer = LedgerWriter.start(ds, PRICER, LedgerSettings.defaults(dataDir).withLingerMs(1));
    }

    @AfterEach
    void tearDown() {
        writer.close();
        ds.close();
    }

    private long version(String hour) {
        return Rows.count(ds, "SELECT coalesce(max(version), 0) FROM rollup_version WHERE hour = '" + hour + "'");
    }

    private void write(LedgerRecord... records) {
        for (LedgerRecord r : records) {
            writer.offer(r);
        }
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
    }

    private static Generation at(String instant) {
        Instant t = Instant.parse(instant);
        return Rows.chat(t).toBuilder().id(Uuid7.atExactly(t.toEpochMilli())).build();
    }

    @Test
    void newRowsLateRowsFinalisationsAndReattributionBumpTheirHours() throws Exception {
        write(at("2026-11-20T10:15:00Z"), at("2026-11-20T10:45:00Z"), at("2026-11-20T11:05:00Z"));
        long ten = version("2026-11-20T10:00:00Z");
        long eleven = version("2026-11-20T11:00:00Z");
        assertThat(ten).isPositive();
        assertThat(eleven).isPositive();
        assertThat(version("2026-11-20T12:00:00Z")).isZero();

        // a late row (a spool replayed days later) bumps its own, old hour only
        write(at("2026-11-20T10:59:59Z"));
        assertThat(version("2026-11-20T10:00:00Z")).isGreaterThan(ten);
        assertThat(version("2026-11-20T11:00:00Z")).isEqualTo(eleven);

        // a poll (modality none) is not a generation: no rollup changes, no bump
        long elevenBefore = version("2026-11-20T11:00:00Z");
        write(at("2026-11-20T11:30:00Z").toBuilder().modality(Modality.NONE).articleId(null).build());
        assertThat(version("2026-11-20T11:00:00Z")).isEqualTo(elevenBefore);

        // a pending job started at 09:10, finalised hours later: its start hour changes
        Instant started = Instant.parse("2026-11-20T09:10:00Z");
        write(Rows.chat(started).toBuilder().id(Uuid7.atExactly(started.toEpochMilli())).modality(Modality.VIDEO)
                .state(Generation.State.PENDING).cost(Cost.UNPRICED).articleId(null).provider("replicate")
                .upstreamRequestId("pred-9").usage(Usage.builder().mediaSeconds(BigDecimal.valueOf(8)).build()).build());
        long nine = version("2026-11-20T09:00:00Z");
        write(new Finalization("replicate", "pred-9", Instant.parse("2026-11-20T13:00:00Z"), 200, null, null, null));
        assertThat(version("2026-11-20T09:00:00Z")).isGreaterThan(nine);

        // article-1 (all chat rows) gets a category: its rows without their own move, their hours bump
        long tenBefore = version("2026-11-20T10:00:00Z");
        long elevenAgain = version("2026-11-20T11:00:00Z");
        long nineFinal = version("2026-11-20T09:00:00Z");
        new ArticleStore(ds).upsert(new ArticleStore.Article("article-1", "T", "politics", "article", null, null));
        assertThat(version("2026-11-20T10:00:00Z")).isGreaterThan(tenBefore);
        assertThat(version("2026-11-20T11:00:00Z")).isGreaterThan(elevenAgain);
        assertThat(version("2026-11-20T09:00:00Z")).isEqualTo(nineFinal); // no article-1 row at 09:xx
    }
}
