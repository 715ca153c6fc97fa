package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.ledger.testing.TestDatabases;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.PriceCatalog;
import dev.genledger.pricing.Pricer;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A price typo (gpt-4o input at $25 instead of $2.50 per 1M tokens) and a model missing from the
 * catalog (gemini-2.5-flash) are written to the ledger, then corrected by re-pricing with the
 * bundled catalog.
 */
class RepricerTest {
    @TempDir
    Path dataDir;

    private HikariDataSource ds;
    private LedgerWriter writer;
    private Pricer wrong;
    private final PriceCatalog right = PriceCatalog.bundled();

    @BeforeEach
    void setUp() throws Exception {
        Path typo = dataDir.resolve("typo.yaml");
        Files.writeString(typo, """
                models:
                  - {provider: openai, model: gpt-4o, effective_from: 2024-08-06, source: "typo",
                     input_per_1m_tokens: 25.00, cached_input_per_1m_tokens: 1.25, output_per_1m_tokens: 10.00}
                """);
        PriceCatalog withTypo = PriceCatalog.load(typo, null);
        wrong = (provider, model, op, usage, at) -> model != null && model.startsWith("gemini-2.5-flash")
                ? Cost.UNPRICED : withTypo.price(provider, model, op, usage, at);
        ds = TestDatabases.fresh();
        writer = LedgerWriter.start(ds, wrong, LedgerSettings.defaults(dataDir).withLingerMs(5));
    }

    @AfterEach
    void tearDown() {
        writer.close();
        ds.close();
    }

    private UUID write(String at, String provider, String model, int status, Usage usage) {
        return write(at, provider, model, status, usage, Modality.TEXT, Generation.State.COMPLETE);
    }

    private UUID write(String at, String provider, String model, int status, Usage usage, Modality modality,
                       Generation.State state) {
        Instant t = Instant.parse(at);
        Cost cost = status >= 400 && usage.isEmpty() ? Cost.FREE : wrong.price(provider, model, "chat", usage, t);
        Generation g = Rows.chat(t).toBuilder().id(Uuid7.atExactly(t.toEpochMilli())).provider(provider).model(model)
                .status(status).usage(usage).cost(state == Generation.State.PENDING ? Cost.UNPRICED : cost)
                .modality(modality).state(state).upstreamRequestId("req-" + UUID.randomUUID()).build();
        writer.offer(g);
        return g.id();
    }

    private static Usage tokens(long in, long cached, long out) {
        return Usage.builder().inputTokens(in).cachedInputTokens(cached).outputTokens(out).build();
    }

    private BigDecimal cost(UUID id) {
        return Rows.decimal(ds, "SELECT cost_usd FROM generation WHERE id = '" + id + "'");
    }

    @Test
    void correctedPricesReachTheRowsTheReportAndTheRollups() {
        UUID r1 = write("2026-11-10T09:00:00Z", "openai", "gpt-4o-2024-08-06", 200, tokens(1000, 200, 300));
        UUID r2 = write("2026-11-11T12:00:00Z", "openai", "gpt-4o", 200, tokens(2000, 0, 100));
        // same instant as r2: the (started_at, id) cursor must not skip or repeat it across batches
        UUID r3 = write("2026-11-11T12:00:00Z", "gemini", "gemini-2.5-flash", 200, tokens(10_000, 0, 1000));
        UUID r4 = write("2026-11-12T08:00:00Z", "openai", "gpt-4o-mini", 200, tokens(1000, 0, 1000));
        UUID r5 = write("2026-11-12T09:00:00Z", "openai", "gpt-4o", 429, Usage.NONE);
        UUID r6 = write("2026-11-12T10:00:00Z", "openai", "gpt-9", 200, tokens(1000, 0, 1000));
        UUID r7 = write("2026-11-01T10:00:00Z", "openai", "gpt-4o", 200, tokens(1000, 0, 0));
        UUID r8 = write("2026-11-13T10:00:00Z", "replicate", "acme/model", 201, Usage.NONE, Modality.IMAGE,
                Generation.State.PENDING);
        UUID r9 = write("2026-11-13T11:00:00Z", "openai", "gpt-4o", 200, tokens(1000, 0, 0), Modality.NONE,
                Generation.State.COMPLETE);
        UUID r10 = write("2026-12-02T10:00:00Z", "openai", "gpt-4o", 200, tokens(1000, 0, 0));
        UUID r11 = write("2026-11-14T10:00:00Z", "openai", "gpt-4o", 499, tokens(1000, 0, 50));
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        // with the typo: r1 = 800 × 25/1M + 200 × 1.25/1M + 300 × 10/1M = 0.02 + 0.00025 + 0.003
        assertThat(cost(r1)).isEqualByComparingTo("0.02325");
        assertThat(cost(r3)).isNull();

        RepriceReport report = Repricer.run(ds, right, LocalDate.parse("2026-11-05"), null, null, 2);

        // r1: 0.00225 + 0.003 = 0.00525                        (was 0.02325, −0.018)
        // r2: 2000 × 2.50/1M + 100 × 10/1M = 0.005 + 0.001 = 0.006 (was 0.05 + 0.001 = 0.051, −0.045)
        // r3: 10000 × 0.30/1M + 1000 × 2.50/1M = 0.0055        (was unpriced, +0.0055)
        // r10: 1000 × 2.50/1M = 0.0025                         (was 0.025, −0.0225)
        // r11 (client hung up, usage known): 0.0025 + 50 × 10/1M = 0.003 (was 0.025 + 0.0005, −0.0225)
        // delta = −0.018 − 0.045 + 0.0055 − 0.0225 − 0.0225 = −0.1025
        // examined: r1 r2 r3 r4 r5 r6 r10 r11; not r7 (before from), r8 (pending), r9 (a poll)
        assertThat(report.rowsExamined()).isEqualTo(8);
        assertThat(report.rowsChanged()).isEqualTo(5);
        assertThat(report.deltaUsd()).isEqualByComparingTo("-0.1025");

        assertThat(cost(r1)).isEqualByComparingTo("0.00525");
        assertThat(cost(r2)).isEqualByComparingTo("0.006");
        assertThat(cost(r3)).isEqualByComparingTo("0.0055");
        assertThat(cost(r10)).isEqualByComparingTo("0.0025");
        assertThat(cost(r11)).isEqualByComparingTo("0.003");
        assertThat(Rows.decimal(ds, "SELECT input_cost_usd FROM generation WHERE id = '" + r3 + "'"))
                .isEqualByComparingTo("0.003");
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation WHERE id = '" + r3 + "' AND priced "
                + "AND price_ref = 'gemini/gemini-2.5-flash@2025-06-17'")).isOne();
        // unchanged: same price (r4), free error (r5), still unknown (r6), out of range or not re-priced
        assertThat(cost(r4)).isEqualByComparingTo("0.00075");
        assertThat(cost(r5)).isEqualByComparingTo("0");
        assertThat(cost(r6)).isNull();
        assertThat(cost(r7)).isEqualByComparingTo("0.025");
        assertThat(cost(r8)).isNull();
        assertThat(cost(r9)).isEqualByComparingTo("0.025");

        assertRollupsEqualRawRows();

        RepriceReport again = Repricer.run(ds, right, LocalDate.parse("2026-11-05"), null, null);
        assertThat(again).isEqualTo(new RepriceReport(8, 0, BigDecimal.ZERO));
        assertRollupsEqualRawRows();
    }

    @Test
    void filtersLimitTheRunToOneProviderAndModel() {
        UUID gpt = write("2026-11-10T09:00:00Z", "openai", "gpt-4o", 200, tokens(1000, 0, 0));
        UUID snapshot = write("2026-11-10T10:00:00Z", "openai", "gpt-4o-2024-08-06", 200, tokens(1000, 0, 0));
        UUID gemini = write("2026-11-10T11:00:00Z", "gemini", "gemini-2.5-flash", 200, tokens(1000, 0, 0));
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();

        RepriceReport report = Repricer.run(ds, right, LocalDate.parse("2026-11-01"), "openai", "gpt-4o");

        // only the row whose stored model is exactly gpt-4o: 1000 × (2.50 − 25)/1M = −0.0225
        assertThat(report).isEqualTo(new RepriceReport(1, 1, new BigDecimal("-0.0225")));
        assertThat(cost(gpt)).isEqualByComparingTo("0.0025");
        assertThat(cost(snapshot)).isEqualByComparingTo("0.025");
        assertThat(cost(gemini)).isNull();
        assertRollupsEqualRawRows();

        RepriceReport gem = Repricer.run(ds, right, LocalDate.parse("2026-11-01"), "gemini", null);
        // 1000 × 0.30/1M = 0.0003, from unpriced
        assertThat(gem).isEqualTo(new RepriceReport(1, 1, new BigDecimal("0.0003")));
        assertRollupsEqualRawRows();
    }

    @Test
    void emptyRangeExaminesNothing() {
        write("2026-11-10T09:00:00Z", "openai", "gpt-4o", 200, tokens(1000, 0, 0));
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(Repricer.run(ds, right, LocalDate.parse("2027-01-01"), null, null))
                .isEqualTo(new RepriceReport(0, 0, BigDecimal.ZERO));
    }

    /** Money and unpriced counts of every rollup equal those of the raw rows they summarise. */
    private void assertRollupsEqualRawRows() {
        String[][] pairs = {
            {"""
             SELECT day, provider, model, modality, task, category, content_product, key_id, generations, unpriced,
                    cost_usd, input_cost_usd, output_cost_usd, other_cost_usd
               FROM rollup_daily WHERE generations <> 0""",
             """
             SELECT (g.started_at AT TIME ZONE 'UTC')::date, g.provider, g.model, g.modality, g.task,
                    COALESCE(g.category, a.category), COALESCE(g.content_product, a.content_product), g.key_id,
                    count(*), sum((g.state = 'complete' AND NOT g.priced)::int), sum(coalesce(g.cost_usd, 0)),
                    sum(coalesce(g.input_cost_usd, 0)), sum(coalesce(g.output_cost_usd, 0)),
                    sum(coalesce(g.other_cost_usd, 0))
               FROM generation g LEFT JOIN article a ON a.article_id = g.article_id
              WHERE g.modality <> 'none' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"""},
            {"""
             SELECT hour, provider, model, generations, unpriced, cost_usd FROM rollup_hourly WHERE generations <> 0""",
             """
             SELECT date_trunc('hour', started_at, 'UTC'), provider, model, count(*),
                    sum((state = 'complete' AND NOT priced)::int), sum(coalesce(cost_usd, 0))
               FROM generation WHERE modality <> 'none' GROUP BY 1, 2, 3"""},
            {"""
             SELECT day, article_id, generations, unpriced, cost_usd FROM article_daily WHERE generations <> 0""",
             """
             SELECT (started_at AT TIME ZONE 'UTC')::date, article_id, count(*),
                    sum((state = 'complete' AND NOT priced)::int), sum(coalesce(cost_usd, 0))
               FROM generation WHERE modality <> 'none' AND article_id IS NOT NULL GROUP BY 1, 2"""},
            {"""
             SELECT day, tag_key, tag_value, generations, unpriced, cost_usd FROM tag_daily WHERE generations <> 0""",
             """
             SELECT (g.started_at AT TIME ZONE 'UTC')::date, t.key, t.value, count(*),
                    sum((g.state = 'complete' AND NOT g.priced)::int), sum(coalesce(g.cost_usd, 0))
               FROM generation g CROSS JOIN LATERAL jsonb_each_text(g.tags) t
              WHERE g.modality <> 'none' GROUP BY 1, 2, 3"""},
        };
        for (String[] p : pairs) {
            long diff = Rows.count(ds, "SELECT count(*) FROM ((" + p[0] + ") EXCEPT ALL (" + p[1] + ")) d")
                    + Rows.count(ds, "SELECT count(*) FROM ((" + p[1] + ") EXCEPT ALL (" + p[0] + ")) d");
            assertThat(diff).as("rows differing between the rollup and the raw rows:%n%s", p[0]).isZero();
        }
        assertThat(Rows.decimal(ds, "SELECT sum(cost_usd) FROM rollup_daily"))
                .isEqualByComparingTo(Rows.decimal(ds,
                        "SELECT coalesce(sum(cost_usd), 0) FROM generation WHERE modality <> 'none'"));
    }
}
