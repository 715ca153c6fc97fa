package dev.genledger.ledger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The rollup contributions of a batch of new rows, summed in memory and upserted as a few hundred
 * pre-aggregated rows instead of being grouped by the database from thousands. This is the fast
 * path of {@link LedgerStore} for live batches; it computes exactly what {@link LedgerSql#ROLLUP_CTES}
 * computes with a sign of +1 (the consistency test holds both to the raw rows).
 */
final class RollupBatch {
    private static final double LN_1_05 = StrictMath.log(1.05);

    private record CubeKey(Object bucket, String provider, String model, String modality, String task,
                           String category, String contentProduct, String keyId) {}

    private record HistKey(LocalDate day, String provider, String model, String task) {}

    private record ArticleKey(LocalDate day, String articleId, String category, String contentProduct) {}

    private record TagKey(LocalDate day, String key, String value) {}

    /** The measures of {@code rollup_daily}/{@code rollup_hourly}, in LedgerSql's column order. */
    private static final class CubeSums {
        long generations;
        long errors;
        long unpriced;
        long pending;
        long estimated;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal inputCost = BigDecimal.ZERO;
        BigDecimal outputCost = BigDecimal.ZERO;
        BigDecimal otherCost = BigDecimal.ZERO;
        long inputTokens;
        long cachedInputTokens;
        long outputTokens;
        long reasoningTokens;
        long characters;
        long images;
        BigDecimal mediaSeconds = BigDecimal.ZERO;
        double latencyMs;
        double ttfbMs;
        double genMs;

        void add(Generation g) {
            generations++;
            errors += g.failed() ? 1 : 0;
            unpriced += g.state() == Generation.State.COMPLETE && !g.cost().priced() ? 1 : 0;
            pending += g.state() == Generation.State.PENDING ? 1 : 0;
            estimated += g.usage().estimated() ? 1 : 0;
            if (g.cost().priced()) {
                cost = cost.add(g.cost().costUsd());
                inputCost = inputCost.add(g.cost().inputCostUsd());
                outputCost = outputCost.add(g.cost().outputCostUsd());
                otherCost = otherCost.add(g.cost().otherCostUsd());
            }
            inputTokens += g.usage().inputTokens();
            cachedInputTokens += g.usage().cachedInputTokens();
            outputTokens += g.usage().outputTokens();
            reasoningTokens += g.usage().reasoningTokens();
            characters += g.usage().characters();
            images += g.usage().images();
            mediaSeconds = mediaSeconds.add(g.usage().mediaSeconds());
            latencyMs += g.latencyMs();
            ttfbMs += g.ttfbMs() == null ? 0 : g.ttfbMs();
            genMs += Math.max(g.latencyMs() - (g.ttfbMs() == null ? g.latencyMs() : g.ttfbMs()), 0);
        }
    }

    private static final class ArticleSums {
        long generations;
        long unpriced;
        BigDecimal cost = BigDecimal.ZERO;
        long inputTokens;
        long outputTokens;
    }

    private static final class TagSums {
        long generations;
        long unpriced;
        BigDecimal cost = BigDecimal.ZERO;
    }

    private final Map<CubeKey, CubeSums> daily = new HashMap<>();
    private final Map<CubeKey, CubeSums> hourly = new HashMap<>();
    /** Bucket counts per histogram row: element i counts bucket i (grown as buckets appear). */
    private final Map<HistKey, int[]> latency = new HashMap<>();
    private final Map<ArticleKey, ArticleSums> articles = new HashMap<>();
    private final Map<TagKey, TagSums> tags = new HashMap<>();

    /** Same as {@code genledger_latency_bucket(ms)} in the schema. */
    static int latencyBucket(double ms) {
        return (int) Math.min(Math.floor(StrictMath.log(Math.max(ms, 0) + 1) / LN_1_05), 32767);
    }

    /** Adds a new row, with its effective category and content product. */
    void add(Generation g, String category, String contentProduct) {
        if (g.modality() == Modality.NONE) {
            return;
        }
        Instant t = g.startedAt();
        LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
        Instant hour = t.truncatedTo(ChronoUnit.HOURS);
        String modality = g.modality().wire();
        daily.computeIfAbsent(new CubeKey(day, g.provider(), g.model(), modality, g.task(), category, contentProduct,
                g.keyId()), k -> new CubeSums()).add(g);
        hourly.computeIfAbsent(new CubeKey(hour, g.provider(), g.model(), modality, g.task(), category,
                contentProduct, g.keyId()), k -> new CubeSums()).add(g);
        int bucket = latencyBucket(g.latencyMs());
        HistKey hk = new HistKey(day, g.provider(), g.model(), g.task());
        int[] counts = latency.get(hk);
        if (counts == null || counts.length <= bucket) {
            counts = counts == null ? new int[bucket + 1] : java.util.Arrays.copyOf(counts, bucket + 1);
            latency.put(hk, counts);
        }
        counts[bucket]++;
        boolean unpriced = g.state() == Generation.State.COMPLETE && !g.cost().priced();
        BigDecimal cost = g.cost().priced() ? g.cost().costUsd() : BigDecimal.ZERO;
        if (g.articleId() != null) {
            ArticleSums a = articles.computeIfAbsent(new ArticleKey(day, g.articleId(), category, contentProduct),
                    k -> new ArticleSums());
            a.generations++;
            a.unpriced += unpriced ? 1 : 0;
            a.cost = a.cost.add(cost);
            a.inputTokens += g.usage().inputTokens();
            a.outputTokens += g.usage().outputTokens();
        }
        for (Map.Entry<String, String> tag : g.tags().entrySet()) {
            TagSums s = tags.computeIfAbsent(new TagKey(day, tag.getKey(), tag.getValue()), k -> new TagSums());
            s.generations++;
            s.unpriced += unpriced ? 1 : 0;
            s.cost = s.cost.add(cost);
        }
    }

    /** Upserts the sums into the rollup tables, on the batch's transaction. */
    void write(Connection c) throws SQLException {
        if (daily.isEmpty()) {
            return;
        }
        copy(c, "rollup_daily_stage", LedgerSql.CUBE_STAGE_COLUMNS, cubeRows(daily));
        copy(c, "rollup_hourly_stage", LedgerSql.CUBE_STAGE_COLUMNS.replaceFirst("day", "hour"), cubeRows(hourly));
        StringBuilder hist = new StringBuilder();
        for (Map.Entry<HistKey, int[]> e : latency.entrySet()) {
            HistKey k = e.getKey();
            row(hist, k.day(), k.provider(), k.model(), k.task(), pgArray(e.getValue()));
        }
        copy(c, "latency_hist_stage", "day, provider, model, task, counts", hist);
        StringBuilder art = new StringBuilder();
        for (Map.Entry<ArticleKey, ArticleSums> e : articles.entrySet()) {
            ArticleKey k = e.getKey();
            ArticleSums s = e.getValue();
            row(art, k.day(), k.articleId(), k.category(), k.contentProduct(), s.generations, s.unpriced,
                    s.cost.toPlainString(), s.inputTokens, s.outputTokens);
        }
        copy(c, "article_daily_stage", "day, article_id, category, content_product, generations, unpriced, "
                + "cost_usd, input_tokens, output_tokens", art);
        StringBuilder tag = new StringBuilder();
        for (Map.Entry<TagKey, TagSums> e : tags.entrySet()) {
            TagKey k = e.getKey();
            TagSums s = e.getValue();
            row(tag, k.day(), k.key(), k.value(), s.generations, s.unpriced, s.cost.toPlainString());
        }
        copy(c, "tag_daily_stage", "day, tag_key, tag_value, generations, unpriced, cost_usd", tag);
        try (Statement s = c.createStatement()) {
            s.execute(LedgerSql.UPSERT_ROLLUP_STAGES);
        }
        // tell the dashboard's cache which hours changed, as the SQL path's roll_version does
        try (java.sql.PreparedStatement ps = c.prepareStatement(LedgerSql.BUMP_ROLLUP_VERSIONS)) {
            ps.setArray(1, c.createArrayOf("text", hourly.keySet().stream().map(k -> k.bucket().toString())
                    .distinct().toArray()));
            ps.execute();
        }
    }

    private static StringBuilder cubeRows(Map<CubeKey, CubeSums> cube) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<CubeKey, CubeSums> e : cube.entrySet()) {
            CubeKey k = e.getKey();
            CubeSums s = e.getValue();
            row(b, k.bucket(), k.provider(), k.model(), k.modality(), k.task(), k.category(), k.contentProduct(),
                    k.keyId(), s.generations, s.errors, s.unpriced, s.pending, s.estimated,
                    s.cost.toPlainString(), s.inputCost.toPlainString(), s.outputCost.toPlainString(),
                    s.otherCost.toPlainString(), s.inputTokens, s.cachedInputTokens, s.outputTokens,
                    s.reasoningTokens, s.characters, s.images, s.mediaSeconds.toPlainString(), s.latencyMs, s.ttfbMs,
                    s.genMs);
        }
        return b;
    }

    /** An int[] in PostgreSQL's array literal syntax, as COPY text reads it. */
    private static Object pgArray(int[] counts) {
        StringBuilder b = new StringBuilder(counts.length * 2 + 2).append('{');
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(counts[i]);
        }
        return new StringBuilder(b.append('}'));
    }

    /** One COPY text line; values are nulls, numbers, dates, instants or text. */
    private static void row(StringBuilder b, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append('\t');
            }
            Object v = values[i];
            if (v == null) {
                b.append("\\N");
            } else if (v instanceof String s) {
                CopyEncoder.escape(b, s);
            } else {
                b.append(v);
            }
        }
        b.append('\n');
    }

    private static void copy(Connection c, String table, String columns, StringBuilder rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }
}
