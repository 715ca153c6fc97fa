package dev.genledger.api;

import dev.genledger.ledger.LedgerRows;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every SQL statement of the dashboard API, as plain SQL with bind parameters. Statements over a
 * window are composed from a {@link Plan}: one {@code SELECT} per piece (rollup_daily,
 * rollup_hourly, raw generation rows), glued with {@code UNION ALL} into a {@code src} relation
 * that the aggregate reads.
 *
 * <p>The raw-row expressions below mirror the writer's rollup measures in {@code LedgerSql}
 * (generations, errors, unpriced, pending, costs with null as 0, gen_ms = latency − ttfb): a raw
 * piece and a rollup piece of the same rows must sum to the same numbers, which
 * {@code PlanEquivalenceTest} checks on random ledgers.
 */
final class DashboardSql {
    private DashboardSql() {}

    /** A column of a composed source: its name, its rollup expression, its raw-row expression. */
    record Col(String name, String rollup, String raw, boolean needsArticle) {
        Col(String name, String rollup, String raw) {
            this(name, rollup, raw, false);
        }
    }

    static final String ARTICLE_JOIN = " LEFT JOIN article a ON a.article_id = g.article_id";
    static final String GENERATIONS_ONLY = " AND g.modality <> 'none'";
    static final String UNPRICED_RAW = "(g.state = 'complete' AND NOT g.priced)::int";

    static final Col PROVIDER = new Col("provider", "r.provider", "g.provider");
    static final Col MODEL = new Col("model", "r.model", "g.model");
    static final Col MODALITY = new Col("modality", "r.modality", "g.modality");
    static final Col TASK = new Col("task", "r.task", "g.task");
    static final Col KEY_ID = new Col("key_id", "r.key_id", "g.key_id");
    static final Col CATEGORY = new Col("category", "r.category", "COALESCE(g.category, a.category)", true);
    static final Col CONTENT_PRODUCT = new Col("content_product", "r.content_product",
            "COALESCE(g.content_product, a.content_product)", true);

    static final Col GENERATIONS = new Col("generations", "r.generations", "1");
    static final Col ERRORS = new Col("errors", "r.errors", "(g.status >= 400 OR g.error IS NOT NULL)::int");
    static final Col UNPRICED = new Col("unpriced", "r.unpriced", UNPRICED_RAW);
    static final Col PENDING = new Col("pending", "r.pending", "(g.state = 'pending')::int");
    static final Col COST = new Col("cost_usd", "r.cost_usd", "coalesce(g.cost_usd, 0)");
    static final Col INPUT_COST = new Col("input_cost_usd", "r.input_cost_usd", "coalesce(g.input_cost_usd, 0)");
    static final Col OUTPUT_COST = new Col("output_cost_usd", "r.output_cost_usd", "coalesce(g.output_cost_usd, 0)");
    static final Col INPUT_TOKENS = new Col("input_tokens", "r.input_tokens", "g.input_tokens");
    static final Col OUTPUT_TOKENS = new Col("output_tokens", "r.output_tokens", "g.output_tokens");
    static final Col LATENCY_SUM = new Col("latency_ms_sum", "r.latency_ms_sum", "g.latency_ms");
    static final Col TTFB_SUM = new Col("ttfb_ms_sum", "r.ttfb_ms_sum", "coalesce(g.ttfb_ms, 0)");
    static final Col GEN_SUM = new Col("gen_ms_sum", "r.gen_ms_sum",
            "greatest(g.latency_ms - coalesce(g.ttfb_ms, g.latency_ms), 0)");

    // ------------------------------------------------------------------ composed sources

    /**
     * {@code SELECT [d,] dims…, measures… FROM …} over every piece of the plan, {@code UNION ALL}.
     * {@code d} is the row's calendar day in {@code zone} (daily pieces: the UTC day, corrected by
     * the plan's band); omitted when {@code zone} is null.
     */
    static Sql cube(Plan plan, List<Col> dims, List<Col> measures, Filters filters, ZoneId zone) {
        Sql s = new Sql();
        String sep = "";
        for (Plan.Part part : plan.parts()) {
            s.append(sep);
            sep = "\nUNION ALL\n";
            switch (part) {
                case Plan.Daily d -> s.append("SELECT " + (zone == null ? "" : "r.day AS d, ")
                                + select(dims, measures, true, "") + " FROM rollup_daily r WHERE r.day >= ? AND r.day < ?",
                                d.from(), d.to())
                        .append(filters.rollupConditions());
                case Plan.Hourly h -> {
                    s.append("SELECT ");
                    if (zone != null) {
                        s.append("(r.hour AT TIME ZONE ?)::date AS d, ", zone.getId());
                    }
                    s.append(select(dims, measures, true, "") + " FROM rollup_hourly r WHERE r.hour >= ? AND r.hour < ?",
                                    h.from(), h.to())
                            .append(filters.rollupConditions());
                }
                case Plan.Raw r -> {
                    s.append("SELECT ");
                    if (zone != null) {
                        s.append("(g.started_at AT TIME ZONE ?)::date AS d, ", zone.getId());
                    }
                    boolean join = filters.needsArticle()
                            || dims.stream().anyMatch(Col::needsArticle) || measures.stream().anyMatch(Col::needsArticle);
                    s.append(select(dims, measures, false, "") + " FROM generation g" + (join ? ARTICLE_JOIN : "")
                                    + " WHERE g.started_at >= ? AND g.started_at < ?" + GENERATIONS_ONLY, r.from(), r.to())
                            .append(filters.rawConditions());
                }
                case Plan.Band b -> s.append("SELECT b.d, " + select(dims, measures, true, " * b.sign")
                                + " FROM rollup_hourly r CROSS JOIN LATERAL (VALUES ((r.hour AT TIME ZONE ?)::date, 1),"
                                + " ((r.hour AT TIME ZONE 'UTC')::date, -1)) AS b(d, sign)"
                                + " WHERE r.hour = ANY(CAST(? AS timestamptz[]))",
                                zone.getId(), new Sql.TextArray(b.hours().stream().map(Object::toString).toList()))
                        .append(filters.rollupConditions());
            }
        }
        return s;
    }

    private static String select(List<Col> dims, List<Col> measures, boolean rollup, String sign) {
        String d = dims.stream().map(c -> (rollup ? c.rollup() : c.raw()) + " AS " + c.name())
                .collect(Collectors.joining(", "));
        String m = measures.stream().map(c -> (rollup ? c.rollup() + sign : c.raw()) + " AS " + c.name())
                .collect(Collectors.joining(", "));
        return d.isEmpty() ? m : d + ", " + m;
    }

    // ------------------------------------------------------------------ spend

    static final List<Col> SPEND_DIMS = List.of(PROVIDER, MODEL, MODALITY, TASK, KEY_ID, CATEGORY, CONTENT_PRODUCT);
    static final List<Col> SPEND_MEASURES = List.of(GENERATIONS, UNPRICED, PENDING, COST, INPUT_COST, OUTPUT_COST,
            INPUT_TOKENS, OUTPUT_TOKENS);
    /** Column order of {@code GROUPING(…)} in {@link #spend}; a set bit means "not grouped by". */
    static final List<String> SPEND_GROUPING = List.of("d", "provider", "model", "task", "key_id", "category",
            "content_product");

    static Sql spend(Plan plan, Filters filters, ZoneId zone) {
        return new Sql().append("WITH src AS (\n")
                .append(cube(plan, SPEND_DIMS, SPEND_MEASURES, filters, zone))
                .append("""
                        \n)
                        SELECT GROUPING(d, provider, model, task, key_id, category, content_product) AS gs,
                               d, provider, model, task, key_id, category, content_product,
                               sum(generations) AS generations, sum(unpriced) AS unpriced, sum(pending) AS pending,
                               sum(cost_usd) AS cost_usd,
                               coalesce(sum(cost_usd) FILTER (WHERE modality IN ('text', 'embedding')), 0) AS llm_usd,
                               coalesce(sum(cost_usd) FILTER (WHERE modality IN ('image', 'audio', 'video')), 0) AS media_usd,
                               sum(input_cost_usd) AS input_cost_usd, sum(output_cost_usd) AS output_cost_usd,
                               sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
                          FROM src
                         GROUP BY GROUPING SETS ((), (d), (provider, model), (provider), (task), (key_id), (category),
                                                (content_product))
                        """);
    }

    /**
     * Spend by one tag's values over whole UTC days of {@code tag_daily} plus raw rows for the
     * partial days; only without filters (tag_daily has no other dimension). Untagged generations
     * are the total minus these.
     */
    static Sql tagsFromRollup(Plan plan, String tagKey) {
        Sql s = new Sql().append("WITH src AS (\n");
        String sep = "";
        for (Plan.Part part : plan.parts()) {
            s.append(sep);
            sep = "\nUNION ALL\n";
            switch (part) {
                case Plan.Daily d -> s.append("SELECT r.tag_value AS value, r.generations, r.unpriced, r.cost_usd"
                        + " FROM tag_daily r WHERE r.tag_key = ? AND r.day >= ? AND r.day < ?", tagKey, d.from(), d.to());
                case Plan.Raw r -> s.append("SELECT g.tags ->> ? AS value, 1 AS generations, " + UNPRICED_RAW
                        + " AS unpriced, coalesce(g.cost_usd, 0) AS cost_usd"
                        + " FROM generation g WHERE g.started_at >= ? AND g.started_at < ?" + GENERATIONS_ONLY
                        + " AND (g.tags ->> ?) IS NOT NULL", tagKey, r.from(), r.to(), tagKey);
                case Plan.Hourly h -> throw new IllegalArgumentException("tag_daily has no hours: " + h);
                case Plan.Band b -> throw new IllegalArgumentException("tag_daily has no hours: " + b);
            }
        }
        return s.append("""
                \n)
                SELECT value, sum(generations) AS generations, sum(unpriced) AS unpriced, sum(cost_usd) AS cost_usd
                  FROM src GROUP BY value HAVING sum(generations) <> 0
                """);
    }

    /** Spend by one tag's values from raw rows, with any filters; untagged rows group under null. */
    static Sql tagsFromRows(Window w, Filters filters, String tagKey) {
        return new Sql().append("SELECT g.tags ->> ? AS value, count(*) AS generations, sum(" + UNPRICED_RAW
                        + ") AS unpriced, sum(coalesce(g.cost_usd, 0)) AS cost_usd FROM generation g"
                        + (filters.needsArticle() ? ARTICLE_JOIN : "")
                        + " WHERE g.started_at >= ? AND g.started_at < ?" + GENERATIONS_ONLY, tagKey, w.from(), w.to())
                .append(filters.rawConditions())
                .append(" GROUP BY 1");
    }

    // ------------------------------------------------------------------ performance

    static final List<Col> PERFORMANCE_DIMS = List.of(PROVIDER, MODEL, MODALITY, TASK);
    static final List<Col> PERFORMANCE_MEASURES = List.of(GENERATIONS, ERRORS, LATENCY_SUM, TTFB_SUM, GEN_SUM,
            OUTPUT_TOKENS, COST, INPUT_COST, OUTPUT_COST);
    static final List<String> PERFORMANCE_GROUPING = List.of("provider", "model", "task");

    static Sql performance(Plan plan, Filters filters) {
        return new Sql().append("WITH src AS (\n")
                .append(cube(plan, PERFORMANCE_DIMS, PERFORMANCE_MEASURES, filters, null))
                .append("""
                        \n)
                        SELECT GROUPING(provider, model, task) AS gs, provider, model, task,
                               sum(generations) AS generations, sum(errors) AS errors,
                               sum(latency_ms_sum) AS latency_ms_sum, sum(ttfb_ms_sum) AS ttfb_ms_sum,
                               sum(gen_ms_sum) FILTER (WHERE modality = 'text') AS text_gen_ms_sum,
                               sum(output_tokens) FILTER (WHERE modality = 'text') AS text_output_tokens,
                               sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd,
                               sum(input_cost_usd) AS input_cost_usd, sum(output_cost_usd) AS output_cost_usd
                          FROM src
                         GROUP BY GROUPING SETS ((), (task), (provider, model))
                        """);
    }

    /** Exact p95 latency by task and by model: for windows with few rows. */
    static Sql p95Exact(Window w, Filters filters) {
        return new Sql().append("SELECT GROUPING(g.provider, g.model, g.task) AS gs, g.provider, g.model, g.task,"
                        + " percentile_cont(0.95) WITHIN GROUP (ORDER BY g.latency_ms) AS p95"
                        + " FROM generation g" + (filters.needsArticle() ? ARTICLE_JOIN : "")
                        + " WHERE g.started_at >= ? AND g.started_at < ?" + GENERATIONS_ONLY, w.from(), w.to())
                .append(filters.rawConditions())
                .append(" GROUP BY GROUPING SETS ((g.task), (g.provider, g.model))");
    }

    /**
     * Latency histogram counts by task and by model: {@code latency_hist_daily} for whole UTC days,
     * raw rows bucketed with the same {@code genledger_latency_bucket} for the rest (or for all of
     * the window when the filters need raw rows).
     */
    static Sql latencyHistogram(Plan plan, Filters filters) {
        Sql s = new Sql().append("WITH h AS (\n");
        String sep = "";
        for (Plan.Part part : plan.parts()) {
            s.append(sep);
            sep = "\nUNION ALL\n";
            switch (part) {
                case Plan.Daily d -> s.append("SELECT r.provider, r.model, r.task, r.bucket, r.count"
                                + " FROM latency_hist_daily r WHERE r.day >= ? AND r.day < ?", d.from(), d.to())
                        .append(filters.rollupConditions());
                case Plan.Raw r -> s.append("SELECT g.provider, g.model, g.task, genledger_latency_bucket(g.latency_ms)"
                                + " AS bucket, count(*) AS count FROM generation g"
                                + (filters.needsArticle() ? ARTICLE_JOIN : "")
                                + " WHERE g.started_at >= ? AND g.started_at < ?" + GENERATIONS_ONLY, r.from(), r.to())
                        .append(filters.rawConditions())
                        .append(" GROUP BY 1, 2, 3, 4");
                case Plan.Hourly h -> throw new IllegalArgumentException("latency_hist_daily has no hours: " + h);
                case Plan.Band b -> throw new IllegalArgumentException("latency_hist_daily has no hours: " + b);
            }
        }
        return s.append("""
                \n)
                SELECT GROUPING(provider, model, task) AS gs, provider, model, task, bucket, sum(count) AS count
                  FROM h
                 GROUP BY GROUPING SETS ((task, bucket), (provider, model, bucket))
                HAVING sum(count) <> 0
                 ORDER BY gs, provider, model, task, bucket
                """);
    }

    // ------------------------------------------------------------------ content

    /**
     * Content by article: {@code article_daily} for whole UTC days and raw rows with an article for
     * the rest (or all raw when filters need it); then totals, by product, by category (distinct
     * articles each) and the top articles by cost, as one result tagged by {@code part}.
     */
    static Sql content(Plan plan, Filters filters, int limit) {
        Sql s = new Sql().append("WITH src AS (\n");
        String sep = "";
        for (Plan.Part part : plan.parts()) {
            s.append(sep);
            sep = "\nUNION ALL\n";
            switch (part) {
                case Plan.Daily d -> s.append("SELECT r.article_id, r.category, r.content_product, r.generations,"
                                + " r.unpriced, r.cost_usd, r.input_tokens + r.output_tokens AS tokens"
                                + " FROM article_daily r WHERE r.day >= ? AND r.day < ?", d.from(), d.to())
                        .append(filters.rollupConditions());
                case Plan.Raw r -> s.append("SELECT g.article_id, COALESCE(g.category, a.category) AS category,"
                                + " COALESCE(g.content_product, a.content_product) AS content_product,"
                                + " 1 AS generations, " + UNPRICED_RAW + " AS unpriced,"
                                + " coalesce(g.cost_usd, 0) AS cost_usd, g.input_tokens + g.output_tokens AS tokens"
                                + " FROM generation g" + ARTICLE_JOIN
                                + " WHERE g.started_at >= ? AND g.started_at < ?" + GENERATIONS_ONLY
                                + " AND g.article_id IS NOT NULL", r.from(), r.to())
                        .append(filters.rawConditions());
                case Plan.Hourly h -> throw new IllegalArgumentException("article_daily has no hours: " + h);
                case Plan.Band b -> throw new IllegalArgumentException("article_daily has no hours: " + b);
            }
        }
        return s.append("""
                \n),
                pa AS MATERIALIZED (
                    SELECT article_id, category, content_product, sum(generations) AS generations,
                           sum(unpriced) AS unpriced, sum(cost_usd) AS cost_usd, sum(tokens) AS tokens
                      FROM src GROUP BY 1, 2, 3 HAVING sum(generations) <> 0
                )
                SELECT 'total' AS part, NULL AS key, count(DISTINCT article_id) AS articles, sum(generations) AS generations,
                       sum(unpriced) AS unpriced, sum(cost_usd) AS cost_usd, sum(tokens) AS tokens,
                       NULL AS title, NULL AS category, NULL AS content_product
                  FROM pa
                UNION ALL
                SELECT 'content_product', content_product, count(DISTINCT article_id), sum(generations), sum(unpriced),
                       sum(cost_usd), sum(tokens), NULL, NULL, NULL
                  FROM pa GROUP BY content_product
                UNION ALL
                SELECT 'category', category, count(DISTINCT article_id), sum(generations), sum(unpriced),
                       sum(cost_usd), sum(tokens), NULL, NULL, NULL
                  FROM pa GROUP BY category
                UNION ALL
                SELECT 'article', t.article_id, 1, t.generations, t.unpriced, t.cost_usd, t.tokens,
                       a.title, a.category, a.content_product
                  FROM (SELECT article_id, sum(generations) AS generations, sum(unpriced) AS unpriced,
                               sum(cost_usd) AS cost_usd, sum(tokens) AS tokens
                          FROM pa GROUP BY article_id ORDER BY sum(cost_usd) DESC, article_id LIMIT ?) t
                  LEFT JOIN article a ON a.article_id = t.article_id
                """, limit);
    }

    // ------------------------------------------------------------------ rows

    /** The generation columns with category and content product replaced by their effective values. */
    static final String EFFECTIVE_COLUMNS = List.of(LedgerRows.columns("g").split(", ")).stream()
            .map(c -> switch (c) {
                case "g.category" -> "COALESCE(g.category, a.category) AS category";
                case "g.content_product" -> "COALESCE(g.content_product, a.content_product) AS content_product";
                default -> c;
            })
            .collect(Collectors.joining(", "));

    /**
     * Generations of the window newest first, keyset-paginated on {@code (started_at, id)}, which
     * the {@code generation_started_idx} index serves backwards. {@code limit} null: all of them.
     */
    static Sql generations(Window w, Filters filters, Cursor after, Integer limit) {
        Sql s = new Sql().append("SELECT " + EFFECTIVE_COLUMNS + " FROM generation g" + ARTICLE_JOIN
                        + " WHERE g.started_at >= ? AND g.started_at < ?" + GENERATIONS_ONLY, w.from(), w.to())
                .append(filters.rawConditions());
        if (after != null) {
            s.append(" AND (g.started_at, g.id) < (?, ?)", after.startedAt(), after.id());
        }
        s.append(" ORDER BY g.started_at DESC, g.id DESC");
        if (limit != null) {
            s.append(" LIMIT ?", limit);
        }
        return s;
    }

    static Sql generation(java.util.UUID id) {
        return new Sql().append("SELECT " + EFFECTIVE_COLUMNS + " FROM generation g" + ARTICLE_JOIN + " WHERE g.id = ?", id);
    }

    /** An article's lineage: every generation made for it, in time order (generation_article_idx). */
    static Sql lineage(String articleId) {
        return new Sql().append("SELECT " + EFFECTIVE_COLUMNS + " FROM generation g" + ARTICLE_JOIN
                + " WHERE g.article_id = ?" + GENERATIONS_ONLY + " ORDER BY g.started_at, g.id", articleId);
    }

    static Sql article(String articleId) {
        return new Sql().append("SELECT article_id, title, category, content_product, url, published_at, first_seen_at"
                + " FROM article WHERE article_id = ?", articleId);
    }

    /** First and last row of the ledger, from the started_at index of each partition. */
    static Sql bounds() {
        return new Sql().append("SELECT min(started_at), max(started_at) FROM generation");
    }

    /** Models with unpriced generations, from the daily rollup (all time). */
    static Sql unpricedModels() {
        return new Sql().append("""
                SELECT provider, model, sum(unpriced) AS unpriced, max(day) AS last_day
                  FROM rollup_daily WHERE unpriced > 0
                 GROUP BY provider, model HAVING sum(unpriced) > 0 ORDER BY provider, model
                """);
    }

    static Sql ping() {
        return new Sql().append("SELECT 1");
    }
}
