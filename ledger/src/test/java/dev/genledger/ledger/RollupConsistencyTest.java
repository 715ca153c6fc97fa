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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollups must always equal the aggregates of the raw rows they summarise: after random inserts,
 * late rows, replays, finalisations of async jobs and an article changing category.
 */
class RollupConsistencyTest {
    @TempDir
    Path dataDir;

    private HikariDataSource ds;
    private LedgerWriter writer;

    private static final Pricer PRICER = (provider, model, op, usage, at) -> model.startsWith("unknown")
            ? Cost.UNPRICED
            : Cost.of(new BigDecimal(usage.inputTokens()).movePointLeft(6),
                    new BigDecimal(usage.outputTokens()).movePointLeft(5), usage.mediaSeconds(), "t");

    private static final String[] DIMS_SQL = {
        // daily cube
        """
        SELECT day, provider, model, modality, task, category, content_product, key_id, generations, errors, unpriced,
               pending, estimated, cost_usd, input_cost_usd, output_cost_usd, other_cost_usd, input_tokens,
               cached_input_tokens, output_tokens, reasoning_tokens, characters, images, media_seconds,
               round(latency_ms_sum::numeric, 3), round(ttfb_ms_sum::numeric, 3), round(gen_ms_sum::numeric, 3)
          FROM rollup_daily WHERE generations <> 0
        """,
        """
        SELECT (g.started_at AT TIME ZONE 'UTC')::date, g.provider, g.model, g.modality, g.task,
               COALESCE(g.category, a.category), COALESCE(g.content_product, a.content_product), g.key_id,
               count(*), sum((g.status >= 400 OR g.error IS NOT NULL)::int), sum((g.state = 'complete' AND NOT g.priced)::int),
               sum((g.state = 'pending')::int), sum(g.estimated::int), sum(coalesce(g.cost_usd, 0)),
               sum(coalesce(g.input_cost_usd, 0)), sum(coalesce(g.output_cost_usd, 0)), sum(coalesce(g.other_cost_usd, 0)),
               sum(g.input_tokens), sum(g.cached_input_tokens), sum(g.output_tokens), sum(g.reasoning_tokens),
               sum(g.characters), sum(g.images), sum(g.media_seconds), round(sum(g.latency_ms)::numeric, 3),
               round(sum(coalesce(g.ttfb_ms, 0))::numeric, 3),
               round(sum(greatest(g.latency_ms - coalesce(g.ttfb_ms, g.latency_ms), 0))::numeric, 3)
          FROM generation g LEFT JOIN article a ON a.article_id = g.article_id
         WHERE g.modality <> 'none' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        """,
        // hourly cube (counts and money)
        """
        SELECT hour, provider, model, modality, task, category, content_product, key_id, generations, cost_usd, output_tokens
          FROM rollup_hourly WHERE generations <> 0
        """,
        """
        SELECT date_trunc('hour', g.started_at, 'UTC'), g.provider, g.model, g.modality, g.task,
               COALESCE(g.category, a.category), COALESCE(g.content_product, a.content_product), g.key_id,
               count(*), sum(coalesce(g.cost_usd, 0)), sum(g.output_tokens)
          FROM generation g LEFT JOIN article a ON a.article_id = g.article_id
         WHERE g.modality <> 'none' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        """,
        // latency histogram
        "SELECT day, provider, model, task, bucket, count FROM latency_hist_daily WHERE count <> 0",
        """
        SELECT (started_at AT TIME ZONE 'UTC')::date, provider, model, task, genledger_latency_bucket(latency_ms), count(*)
          FROM generation WHERE modality <> 'none' GROUP BY 1, 2, 3, 4, 5
        """,
        // per article
        """
        SELECT day, article_id, category, content_product, generations, unpriced, cost_usd, input_tokens, output_tokens
          FROM article_daily WHERE generations <> 0
        """,
        """
        SELECT (g.started_at AT TIME ZONE 'UTC')::date, g.article_id, COALESCE(g.category, a.category),
               COALESCE(g.content_product, a.content_product), count(*),
               sum((g.state = 'complete' AND NOT g.priced)::int), sum(coalesce(g.cost_usd, 0)), sum(g.input_tokens),
               sum(g.output_tokens)
          FROM generation g LEFT JOIN article a ON a.article_id = g.article_id
         WHERE g.modality <> 'none' AND g.article_id IS NOT NULL GROUP BY 1, 2, 3, 4
        """,
        // per tag
        "SELECT day, tag_key, tag_value, generations, unpriced, cost_usd FROM tag_daily WHERE generations <> 0",
        """
        SELECT (g.started_at AT TIME ZONE 'UTC')::date, t.key, t.value, count(*),
               sum((g.state = 'complete' AND NOT g.priced)::int), sum(coalesce(g.cost_usd, 0))
          FROM generation g CROSS JOIN LATERAL jsonb_each_text(g.tags) t
         WHERE g.modality <> 'none' GROUP BY 1, 2, 3
        """,
    };

    @BeforeEach
    void setUp() {
        ds = TestDatabases.fresh();
        writer = LedgerWriter.start(ds, PRICER, LedgerSettings.defaults(dataDir).withBatchMaxRows(97).withLingerMs(5));
    }

    @AfterEach
    void tearDown() {
        writer.close();
        ds.close();
    }

    private void assertRollupsMatchRawRows() {
        assertThat(writer.drain(Duration.ofSeconds(60))).isTrue();
        for (int i = 0; i < DIMS_SQL.length; i += 2) {
            String rollup = DIMS_SQL[i];
            String raw = DIMS_SQL[i + 1];
            long diff = Rows.count(ds, "SELECT count(*) FROM ((" + rollup + ") EXCEPT ALL (" + raw + ")) d")
                    + Rows.count(ds, "SELECT count(*) FROM ((" + raw + ") EXCEPT ALL (" + rollup + ")) d");
            assertThat(diff).as("rows differing between the rollup and the raw rows:%n%s", rollup)
                    .isZero();
        }
    }

    @Test
    void rollupsEqualRawAggregatesAfterRandomInsertsLateRowsFinalisationsAndReattribution() throws Exception {
        Random rnd = new Random(42);
        Instant now = Instant.parse("2026-11-20T12:00:00Z");
        String[] models = {"gpt-4o", "gpt-4o-mini", "gemini-2.5-flash", "unknown-model"};
        String[] tasks = {"article_rewrite", "image_brief", "faq_schema", null};
        String[] cats = {"politics", "sport", null, null};
        String[] products = {"article", "newsletter", null};
        Modality[] modalities = {Modality.TEXT, Modality.TEXT, Modality.IMAGE, Modality.EMBEDDING, Modality.NONE};
        List<String> pendingIds = new ArrayList<>();
        List<Generation> offered = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            // a tenth are late: offered now, started days ago (a spool replayed after an outage)
            Instant at = now.minusSeconds(rnd.nextInt(i % 10 == 0 ? 40 * 86_400 : 10 * 86_400));
            boolean pending = rnd.nextInt(20) == 0;
            String upstreamId = "job-" + i;
            Generation.Builder b = Rows.chat(at).toBuilder()
                    .id(Uuid7.atExactly(at.toEpochMilli()))
                    .provider(i % 3 == 0 ? "gemini" : "openai")
                    .model(models[rnd.nextInt(models.length)])
                    .modality(modalities[rnd.nextInt(modalities.length)])
                    .task(tasks[rnd.nextInt(tasks.length)])
                    .articleId(rnd.nextInt(3) == 0 ? null : "a-" + rnd.nextInt(25))
                    .category(cats[rnd.nextInt(cats.length)])
                    .contentProduct(products[rnd.nextInt(products.length)])
                    .keyId(rnd.nextBoolean() ? "k1" : "k2")
                    .tags(rnd.nextBoolean() ? Map.of("team", rnd.nextBoolean() ? "growth" : "news")
                            : rnd.nextBoolean() ? Map.of("team", "growth", "feature", "chatbot") : Map.of())
                    .status(rnd.nextInt(15) == 0 ? 429 : 200)
                    .latencyMs(rnd.nextInt(30_000) / 7.0)
                    .ttfbMs(rnd.nextInt(5) == 0 ? null : rnd.nextInt(2_000) / 3.0)
                    .upstreamRequestId(upstreamId);
            Usage u = Usage.builder().inputTokens(rnd.nextInt(5_000)).outputTokens(rnd.nextInt(2_000))
                    .mediaSeconds(new BigDecimal(rnd.nextInt(100)).movePointLeft(1)).images(rnd.nextInt(3))
                    .estimated(rnd.nextInt(10) == 0).build();
            b.usage(u).cost(PRICER.price("p", "x", "op", u, at));
            if (pending) {
                b.state(Generation.State.PENDING).cost(Cost.UNPRICED).usage(Usage.NONE).provider("replicate")
                        .model("black-forest-labs/flux-schnell");
                pendingIds.add(upstreamId);
            }
            Generation g = b.build();
            offered.add(g);
            writer.offer(g);
            if (i % 500 == 0) {
                writer.offer(offered.get(rnd.nextInt(offered.size()))); // a replay of an earlier row
            }
        }
        assertRollupsMatchRawRows();

        // async jobs finish: some with usage, some failed, one finalised twice
        for (String id : pendingIds) {
            boolean failed = rnd.nextInt(4) == 0;
            writer.offer(new Finalization("replicate", id, now, failed ? 500 : 200, failed ? "failed" : null,
                    failed ? Usage.NONE : Usage.builder().images(1).mediaSeconds(new BigDecimal("2.5")).build(), null));
        }
        writer.offer(new Finalization("replicate", pendingIds.get(0), now, 200, null,
                Usage.builder().images(4).build(), null));
        assertRollupsMatchRawRows();
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation WHERE state = 'pending'")).isZero();

        // an article gets its metadata: its generations without their own category move with it
        ArticleStore articles = new ArticleStore(ds);
        articles.upsert(new ArticleStore.Article("a-3", "Election night", "elections", "liveblog", null, null));
        articles.upsert(new ArticleStore.Article("a-4", null, null, null, null, null));
        assertRollupsMatchRawRows();
        assertThat(Rows.count(ds, "SELECT count(*) FROM article_daily WHERE article_id = 'a-3' AND category = 'elections'"))
                .isPositive();
    }
}
