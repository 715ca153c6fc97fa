package dev.genledger.ledger;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every SQL statement of the ledger module, as plain SQL with bind parameters.
 *
 * <p>The rollup statements are written once, over a relation {@code src} of signed rows
 * ({@code sign} = +1 adds a row's contribution, -1 removes it), and reused by the four paths that
 * change what the rollups must count: new rows, finalised async jobs, an article whose category or
 * content product changed, and re-priced rows.
 */
final class LedgerSql {
    private LedgerSql() {}

    /** Columns of {@code generation}, in COPY order. */
    static final List<String> COLUMNS = List.of(
            "id", "started_at", "provider", "operation", "endpoint", "model", "modality", "task", "article_id",
            "category", "content_product", "pipeline_step", "parent_id", "tags", "key_id", "status", "error",
            "streamed", "state", "estimated", "incomplete", "input_tokens", "cached_input_tokens", "output_tokens",
            "reasoning_tokens", "characters", "images", "media_seconds", "usage_detail", "cost_usd",
            "input_cost_usd", "output_cost_usd", "other_cost_usd", "priced", "price_ref", "latency_ms", "ttfb_ms",
            "request_bytes", "response_bytes", "upstream_request_id", "completed_at");

    static final String COLUMN_LIST = String.join(", ", COLUMNS);

    static final String SESSION_SETUP = "SET TIME ZONE 'UTC'";

    static final String CREATE_STAGE = "CREATE TEMP TABLE IF NOT EXISTS generation_stage "
            + "(LIKE generation INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";

    /** Per-connection staging tables of the fast path's pre-aggregated rollup rows. */
    /** How a latency_hist row meets the one already stored: bucket counts added element by element. */
    private static final String MERGE_LATENCY_HIST = "ON CONFLICT ON CONSTRAINT latency_hist_key DO UPDATE "
            + "SET counts = genledger_hist_add(r.counts, excluded.counts)";

    static final List<String> CREATE_ROLLUP_STAGES = List.of(
            "CREATE TEMP TABLE IF NOT EXISTS rollup_daily_stage (LIKE rollup_daily) ON COMMIT DELETE ROWS",
            "CREATE TEMP TABLE IF NOT EXISTS rollup_hourly_stage (LIKE rollup_hourly) ON COMMIT DELETE ROWS",
            "CREATE TEMP TABLE IF NOT EXISTS latency_hist_stage (LIKE latency_hist) ON COMMIT DELETE ROWS",
            "CREATE TEMP TABLE IF NOT EXISTS article_daily_stage (LIKE article_daily) ON COMMIT DELETE ROWS",
            "CREATE TEMP TABLE IF NOT EXISTS tag_daily_stage (LIKE tag_daily) ON COMMIT DELETE ROWS");

    static final String COPY_STAGE = "COPY generation_stage (" + COLUMN_LIST + ") FROM STDIN (FORMAT binary)";

    static final String COPY_DIRECT = "COPY generation (" + COLUMN_LIST + ") FROM STDIN (FORMAT binary)";

    static final String ENSURE_PARTITION = "SELECT genledger_ensure_partition(?)";

    /** Articles are created on first sight of an X-Article-Id, with that request's headers. */
    static final String INSERT_ARTICLES = """
            INSERT INTO article (article_id, category, content_product, first_seen_at)
            SELECT DISTINCT ON (article_id) article_id, category, content_product, started_at
              FROM generation_stage
             WHERE article_id IS NOT NULL
             ORDER BY article_id, started_at
            ON CONFLICT (article_id) DO NOTHING
            """;

    /** Signed source rows from a relation shaped like {@code generation} (aliased g). */
    static String src(String sign, String relation, String where) {
        return """
                SELECT %s AS sign, g.started_at, g.provider, g.model, g.modality, g.task,
                       COALESCE(g.category, a.category) AS category,
                       COALESCE(g.content_product, a.content_product) AS content_product,
                       g.key_id, g.status, g.error, g.state, g.priced, g.estimated,
                       g.cost_usd, g.input_cost_usd, g.output_cost_usd, g.other_cost_usd,
                       g.input_tokens, g.cached_input_tokens, g.output_tokens, g.reasoning_tokens,
                       g.characters, g.images, g.media_seconds, g.latency_ms, g.ttfb_ms, g.article_id, g.tags
                  FROM %s g LEFT JOIN article a ON a.article_id = g.article_id
                """.formatted(sign, relation) + (where == null ? "" : " WHERE " + where);
    }

    private record Measure(String column, String expression) {}

    private static final List<Measure> MEASURES = List.of(
            new Measure("generations", "sum(s.sign)"),
            new Measure("errors", "sum(s.sign * (s.status >= 400 OR s.error IS NOT NULL)::int)"),
            new Measure("unpriced", "sum(s.sign * (s.state = 'complete' AND NOT s.priced)::int)"),
            new Measure("pending", "sum(s.sign * (s.state = 'pending')::int)"),
            new Measure("estimated", "sum(s.sign * s.estimated::int)"),
            new Measure("cost_usd", "sum(s.sign * coalesce(s.cost_usd, 0))"),
            new Measure("input_cost_usd", "sum(s.sign * coalesce(s.input_cost_usd, 0))"),
            new Measure("output_cost_usd", "sum(s.sign * coalesce(s.output_cost_usd, 0))"),
            new Measure("other_cost_usd", "sum(s.sign * coalesce(s.other_cost_usd, 0))"),
            new Measure("input_tokens", "sum(s.sign * s.input_tokens)"),
            new Measure("cached_input_tokens", "sum(s.sign * s.cached_input_tokens)"),
            new Measure("output_tokens", "sum(s.sign * s.output_tokens)"),
            new Measure("reasoning_tokens", "sum(s.sign * s.reasoning_tokens)"),
            new Measure("characters", "sum(s.sign * s.characters)"),
            new Measure("images", "sum(s.sign * s.images)"),
            new Measure("media_seconds", "sum(s.sign * s.media_seconds)"),
            new Measure("latency_ms_sum", "sum(s.sign * s.latency_ms)"),
            new Measure("ttfb_ms_sum", "sum(s.sign * coalesce(s.ttfb_ms, 0))"),
            new Measure("gen_ms_sum", "sum(s.sign * greatest(s.latency_ms - coalesce(s.ttfb_ms, s.latency_ms), 0))"));

    private static final String CUBE_DIMENSIONS = "provider, model, modality, task, category, content_product, key_id";

    /** Columns of a cube stage row, in {@link RollupBatch}'s order. */
    static final String CUBE_STAGE_COLUMNS = "day, " + CUBE_DIMENSIONS + ", "
            + MEASURES.stream().map(Measure::column).collect(Collectors.joining(", "));

    private static String upsertStage(String table, String constraint, String columns, List<String> measures) {
        return "INSERT INTO %s AS r (%s) SELECT %s FROM %s_stage ON CONFLICT ON CONSTRAINT %s DO UPDATE SET %s"
                .formatted(table, columns, columns, table, constraint, measures.stream()
                        .map(m -> m + " = r." + m + " + excluded." + m).collect(Collectors.joining(", ")));
    }

    /** Adds the fast path's pre-aggregated rows to the rollups (one round trip, five statements). */
    static final String UPSERT_ROLLUP_STAGES = String.join(";\n",
            upsertStage("rollup_daily", "rollup_daily_key", CUBE_STAGE_COLUMNS,
                    MEASURES.stream().map(Measure::column).toList()),
            upsertStage("rollup_hourly", "rollup_hourly_key", CUBE_STAGE_COLUMNS.replaceFirst("day", "hour"),
                    MEASURES.stream().map(Measure::column).toList()),
            "INSERT INTO latency_hist AS r (day, provider, model, task, counts) SELECT day, provider, model, task, "
                    + "counts FROM latency_hist_stage " + MERGE_LATENCY_HIST,
            upsertStage("article_daily", "article_daily_key", "day, article_id, category, content_product, "
                    + "generations, unpriced, cost_usd, input_tokens, output_tokens",
                    List.of("generations", "unpriced", "cost_usd", "input_tokens", "output_tokens")),
            upsertStage("tag_daily", "tag_daily_key", "day, tag_key, tag_value, generations, unpriced, cost_usd",
                    List.of("generations", "unpriced", "cost_usd")));

    /** Fast path: the hours a batch touched, bumped once each (see roll_version above). */
    static final String BUMP_ROLLUP_VERSIONS = """
            INSERT INTO rollup_version AS r (hour, version)
            SELECT h::timestamptz, 1 FROM unnest(?::text[]) AS t(h)
            ON CONFLICT (hour) DO UPDATE SET version = r.version + 1
            """;

    /**
     * Fast path, one round trip: creates the batch's first-seen articles (id, category, content
     * product, first seen, as arrays) and returns every article of the batch with its category and
     * content product — the new ones from the insert, the others from the table (a statement's
     * reads do not see its own inserts).
     */
    static final String UPSERT_AND_READ_ARTICLES = """
            WITH input AS (
                SELECT a, c, p, f::timestamptz AS f FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS t(a, c, p, f)
            ), ins AS (
                INSERT INTO article (article_id, category, content_product, first_seen_at)
                SELECT a, c, p, f FROM input
                ON CONFLICT (article_id) DO NOTHING
                RETURNING article_id, category, content_product
            )
            SELECT article_id, category, content_product FROM ins
            UNION ALL
            SELECT x.article_id, x.category, x.content_product
              FROM article x JOIN input ON input.a = x.article_id
             WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.article_id = x.article_id)
            """;

    /** Fast path: parked finalisations for the batch's pending rows (provider and job id arrays). */
    static final String SELECT_PARKED_FOR = """
            SELECT p.record::text FROM pending_finalization p
              JOIN unnest(?::text[], ?::text[]) AS j(provider, upstream_request_id)
                ON j.provider = p.provider AND j.upstream_request_id = p.upstream_request_id
            """;

    private static String cube(String table, String constraint, String bucketColumn, String bucketExpression) {
        String measures = MEASURES.stream().map(Measure::column).collect(Collectors.joining(", "));
        String expressions = MEASURES.stream().map(Measure::expression).collect(Collectors.joining(", "));
        String updates = MEASURES.stream().map(m -> m.column() + " = r." + m.column() + " + excluded." + m.column())
                .collect(Collectors.joining(", "));
        return """
                INSERT INTO %s AS r (%s, %s, %s)
                SELECT %s, s.provider, s.model, s.modality, s.task, s.category, s.content_product, s.key_id, %s
                  FROM src s WHERE s.modality <> 'none'
                 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
                ON CONFLICT ON CONSTRAINT %s DO UPDATE SET %s
                """.formatted(table, bucketColumn, CUBE_DIMENSIONS, measures, bucketExpression, expressions,
                constraint, updates);
    }

    private static final String UTC_DAY = "(s.started_at AT TIME ZONE 'UTC')::date";

    /** The data-modifying CTEs that add {@code src} to every rollup; append after a {@code src} CTE. */
    static final String ROLLUP_CTES = String.join(",\n",
            "roll_daily AS (" + cube("rollup_daily", "rollup_daily_key", "day", UTC_DAY) + ")",
            "roll_hourly AS (" + cube("rollup_hourly", "rollup_hourly_key", "hour",
                    "date_trunc('hour', s.started_at, 'UTC')") + ")",
            """
            roll_latency AS (
                INSERT INTO latency_hist AS r (day, provider, model, task, counts)
                SELECT day, provider, model, task, genledger_hist_of(array_agg(bucket), array_agg(n))
                  FROM (SELECT %s AS day, s.provider, s.model, s.task,
                               genledger_latency_bucket(s.latency_ms)::int AS bucket, sum(s.sign) AS n
                          FROM src s WHERE s.modality <> 'none'
                         GROUP BY 1, 2, 3, 4, 5) b
                 GROUP BY day, provider, model, task
                %s)""".formatted(UTC_DAY, MERGE_LATENCY_HIST),
            """
            roll_article AS (
                INSERT INTO article_daily AS r (day, article_id, category, content_product, generations, unpriced,
                                                cost_usd, input_tokens, output_tokens)
                SELECT %s, s.article_id, s.category, s.content_product, sum(s.sign),
                       sum(s.sign * (s.state = 'complete' AND NOT s.priced)::int),
                       sum(s.sign * coalesce(s.cost_usd, 0)), sum(s.sign * s.input_tokens), sum(s.sign * s.output_tokens)
                  FROM src s WHERE s.modality <> 'none' AND s.article_id IS NOT NULL
                 GROUP BY 1, 2, 3, 4
                ON CONFLICT ON CONSTRAINT article_daily_key DO UPDATE SET
                    generations = r.generations + excluded.generations, unpriced = r.unpriced + excluded.unpriced,
                    cost_usd = r.cost_usd + excluded.cost_usd, input_tokens = r.input_tokens + excluded.input_tokens,
                    output_tokens = r.output_tokens + excluded.output_tokens)""".formatted(UTC_DAY),
            """
            roll_tag AS (
                INSERT INTO tag_daily AS r (day, tag_key, tag_value, generations, unpriced, cost_usd)
                SELECT %s, t.key, t.value, sum(s.sign), sum(s.sign * (s.state = 'complete' AND NOT s.priced)::int),
                       sum(s.sign * coalesce(s.cost_usd, 0))
                  FROM src s CROSS JOIN LATERAL jsonb_each_text(s.tags) t
                 WHERE s.modality <> 'none'
                 GROUP BY 1, 2, 3
                ON CONFLICT ON CONSTRAINT tag_daily_key DO UPDATE SET
                    generations = r.generations + excluded.generations, unpriced = r.unpriced + excluded.unpriced,
                    cost_usd = r.cost_usd + excluded.cost_usd)""".formatted(UTC_DAY),
            // one counter per touched hour, so readers can tell which cached hours and days changed
            """
            roll_version AS (
                INSERT INTO rollup_version AS r (hour, version)
                SELECT DISTINCT date_trunc('hour', s.started_at, 'UTC'), 1
                  FROM src s WHERE s.modality <> 'none'
                ON CONFLICT (hour) DO UPDATE SET version = r.version + 1)""");

    /**
     * Moves the staged rows into the ledger, ignoring rows already there (a replay), and adds
     * exactly the rows inserted to the rollups. Returns the number of rows inserted.
     */
    static final String INSERT_FROM_STAGE = """
            WITH ins AS (
                INSERT INTO generation (%s)
                SELECT %s FROM generation_stage
                ON CONFLICT DO NOTHING
                RETURNING *
            ),
            src AS (%s),
            %s
            SELECT count(*) FROM ins
            """.formatted(COLUMN_LIST, COLUMN_LIST, src("1", "ins", null), ROLLUP_CTES);

    /**
     * Adds the rows started in {@code [?, ?)} to every rollup, with exactly the statements the
     * writer uses ({@link #ROLLUP_CTES} over {@link #src}). Only for bulk loads that bypassed the
     * writer (benchmarks); ranges must not overlap or rows are counted twice.
     */
    static final String ROLLUP_RANGE = "WITH src AS (" + src("1", "generation", "g.started_at >= ? AND g.started_at < ?")
            + "),\n" + ROLLUP_CTES + "\nSELECT 1";

    /** Articles first seen in the ledger's rows, as {@link #INSERT_ARTICLES} makes them from a batch. */
    static final String INSERT_ARTICLES_FROM_LEDGER = """
            INSERT INTO article (article_id, category, content_product, first_seen_at)
            SELECT DISTINCT ON (article_id) article_id, category, content_product, started_at
              FROM generation
             WHERE article_id IS NOT NULL
             ORDER BY article_id, started_at
            ON CONFLICT (article_id) DO NOTHING
            """;

    /** The pending rows an async job's id points at, locked for the finalisation. */
    static final String SELECT_PENDING = "SELECT " + COLUMN_LIST + " FROM generation "
            + "WHERE provider = ? AND upstream_request_id = ? AND state = 'pending' FOR UPDATE";

    /** Finalises one pending row and moves its rollup contribution from the old to the new values. */
    static final String FINALIZE = """
            WITH old AS (%s),
            upd AS (
                UPDATE generation g SET state = 'complete', status = ?, error = ?, estimated = ?,
                       input_tokens = ?, cached_input_tokens = ?, output_tokens = ?, reasoning_tokens = ?,
                       characters = ?, images = ?, media_seconds = ?, usage_detail = ?::jsonb,
                       cost_usd = ?, input_cost_usd = ?, output_cost_usd = ?, other_cost_usd = ?, priced = ?,
                       price_ref = ?, completed_at = ?
                 WHERE g.id = ? AND g.started_at = ? AND g.state = 'pending'
                RETURNING g.*
            ),
            src AS (SELECT * FROM old UNION ALL %s),
            %s
            SELECT count(*) FROM upd
            """.formatted(
            src("-1", "generation", "g.id = ? AND g.started_at = ? AND g.state = 'pending'"),
            src("1", "upd", null), ROLLUP_CTES);

    /**
     * The next batch of rows a re-pricing examines: complete generations (not polls) started on or
     * after a day, after a (started_at, id) cursor, optionally of one provider and model, locked.
     */
    static final String SELECT_FOR_REPRICE = "SELECT " + COLUMN_LIST + " FROM generation "
            + "WHERE state = 'complete' AND modality <> 'none' AND started_at >= ? AND (started_at, id) > (?, ?) "
            + "AND (?::text IS NULL OR provider = ?) AND (?::text IS NULL OR model = ?) "
            + "ORDER BY started_at, id LIMIT ? FOR UPDATE";

    /**
     * Writes new costs to a batch of rows (parallel arrays: id, started_at, cost, input, output,
     * other, priced, price_ref) and moves their rollup contribution from the old to the new costs.
     * The started_at bounds of the batch let PostgreSQL skip the other month partitions.
     */
    static final String REPRICE = """
            WITH n AS (
                SELECT * FROM unnest(?::uuid[], ?::timestamptz[], ?::numeric[], ?::numeric[], ?::numeric[],
                                     ?::numeric[], ?::boolean[], ?::text[])
                    AS n(id, started_at, cost_usd, input_cost_usd, output_cost_usd, other_cost_usd, priced, price_ref)
            ),
            old AS (%s),
            upd AS (
                UPDATE generation g SET cost_usd = n.cost_usd, input_cost_usd = n.input_cost_usd,
                       output_cost_usd = n.output_cost_usd, other_cost_usd = n.other_cost_usd, priced = n.priced,
                       price_ref = n.price_ref
                  FROM n
                 WHERE g.id = n.id AND g.started_at = n.started_at AND g.state = 'complete'
                   AND g.started_at BETWEEN ? AND ?
                RETURNING g.*
            ),
            src AS (SELECT * FROM old UNION ALL %s),
            %s
            SELECT count(*) FROM upd
            """.formatted(
            src("-1", "generation", "(g.id, g.started_at) IN (SELECT n.id, n.started_at FROM n) "
                    + "AND g.state = 'complete' AND g.started_at BETWEEN ? AND ?"),
            src("1", "upd", null), ROLLUP_CTES);

    static final String PARK_FINALIZATION = """
            INSERT INTO pending_finalization (provider, upstream_request_id, record) VALUES (?, ?, ?::jsonb)
            ON CONFLICT (provider, upstream_request_id) DO NOTHING
            """;

    /**
     * Parked finalisations that never met a pending row: polls of jobs already final (a sync
     * prediction polled again) or created outside the gateway. Kept a week for rows still on
     * their way from another instance's spool, then removed.
     */
    static final String PURGE_PARKED =
            "DELETE FROM pending_finalization WHERE received_at < now() - make_interval(days => ?)";

    static final String DELETE_PARKED = "DELETE FROM pending_finalization WHERE provider = ? AND upstream_request_id = ?";

    /**
     * Re-attributes an article's generations whose category/content product came from the article:
     * removes their contribution under the old values (before the article update), then adds it
     * under the new. The article update runs between the two.
     */
    static String reattribute(String sign) {
        return "WITH src AS (" + src(sign, "generation",
                "g.article_id = ? AND (g.category IS NULL OR g.content_product IS NULL)") + "),\n"
                + ROLLUP_CTES + "\nSELECT 1";
    }

    static final String UPSERT_ARTICLE = """
            INSERT INTO article (article_id, title, category, content_product, url, published_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, category = excluded.category,
                content_product = excluded.content_product, url = excluded.url, published_at = excluded.published_at,
                updated_at = now()
            """;

    static final String SELECT_ARTICLE_FOR_UPDATE =
            "SELECT category, content_product FROM article WHERE article_id = ? FOR UPDATE";

    /** Rollup rows of the article's days left at zero by a re-attribution are removed. */
    static final List<String> PRUNE_EMPTY_ROLLUPS = List.of(
            "DELETE FROM rollup_daily WHERE generations = 0 AND day IN (" + articleDays() + ")",
            "DELETE FROM rollup_hourly WHERE generations = 0 AND hour IN (SELECT DISTINCT date_trunc('hour', "
                    + "started_at, 'UTC') FROM generation WHERE article_id = ?)",
            "DELETE FROM article_daily WHERE generations = 0 AND article_id = ?",
            "DELETE FROM tag_daily WHERE generations = 0 AND day IN (" + articleDays() + ")");

    private static String articleDays() {
        return "SELECT DISTINCT (started_at AT TIME ZONE 'UTC')::date FROM generation WHERE article_id = ?";
    }

    /**
     * Writer batches and article re-attributions exclude each other through one advisory lock
     * (writers share it), so a row cannot be counted under an article's old category after the
     * re-attribution has moved the article's rows to the new one.
     */
    static final String WRITER_LOCK = "SELECT pg_advisory_xact_lock_shared(7135001)";
    static final String ARTICLE_LOCK = "SELECT pg_advisory_xact_lock(7135001)";
}
