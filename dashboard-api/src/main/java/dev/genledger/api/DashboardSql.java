package dev.genledger.api;

import dev.genledger.ledger.LedgerRows;
import dev.genledger.ledger.Uuid7;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every SQL statement of the dashboard API, as plain SQL with bind parameters.
 *
 * <p>Aggregates are computed per {@link Unit}: one {@code SELECT} per relation (a daily rollup,
 * {@code rollup_hourly}, raw {@code generation} rows), each grouped by the unit it belongs to and
 * glued with {@code UNION ALL}; every row starts with its unit's start instant. Raw rows of several
 * units are read through {@code unnest} of their bounds and a {@code LATERAL} aggregate per unit:
 * one index range scan per unit (a plain join lets the planner scan every partition whole).
 *
 * <p>The raw-row expressions mirror the writer's rollup measures in {@code LedgerSql}
 * (generations, errors, unpriced, pending, costs with null as 0, gen_ms = latency − ttfb): a unit
 * read from raw rows and one read from a rollup must give the same sums, which
 * {@code UnitEquivalenceTest} checks on random ledgers.
 */
final class DashboardSql {
    private DashboardSql() {}

    /** A measure: its name, its expression on a rollup row {@code r}, its expression on a raw row {@code g}. */
    record Col(String name, String rollup, String raw) {}

    static final String ARTICLE_JOIN = " LEFT JOIN article a ON a.article_id = g.article_id";
    static final String GENERATIONS_ONLY = " AND g.modality <> 'none'";
    static final String UNPRICED_RAW = "(g.state = 'complete' AND NOT g.priced)::int";
    /** The raw rows of the unit {@code u} in a {@link #rawUnits} lateral subquery. */
    static final String UNIT_ROWS = " WHERE g.started_at >= u.lo AND g.started_at < u.hi";
    static final String DAY_START = "(r.day::timestamp AT TIME ZONE 'UTC')";

    static final List<Col> CUBE_MEASURES = List.of(
            new Col("generations", "r.generations", "1"),
            new Col("errors", "r.errors", "(g.status >= 400 OR g.error IS NOT NULL)::int"),
            new Col("unpriced", "r.unpriced", UNPRICED_RAW),
            new Col("pending", "r.pending", "(g.state = 'pending')::int"),
            new Col("cost_usd", "r.cost_usd", "coalesce(g.cost_usd, 0)"),
            new Col("input_cost_usd", "r.input_cost_usd", "coalesce(g.input_cost_usd, 0)"),
            new Col("output_cost_usd", "r.output_cost_usd", "coalesce(g.output_cost_usd, 0)"),
            new Col("input_tokens", "r.input_tokens", "g.input_tokens"),
            new Col("output_tokens", "r.output_tokens", "g.output_tokens"),
            new Col("latency_ms_sum", "r.latency_ms_sum", "g.latency_ms"),
            new Col("ttfb_ms_sum", "r.ttfb_ms_sum", "coalesce(g.ttfb_ms, 0)"),
            new Col("gen_ms_sum", "r.gen_ms_sum", "greatest(g.latency_ms - coalesce(g.ttfb_ms, g.latency_ms), 0)"));
    static final String CUBE_DIMS_ROLLUP = "r.provider, r.model, r.modality, r.task, r.key_id, r.category, r.content_product";
    static final String CUBE_DIMS_RAW = "g.provider, g.model, g.modality, g.task, g.key_id, "
            + "COALESCE(g.category, a.category) AS category, COALESCE(g.content_product, a.content_product) AS content_product";

    // ------------------------------------------------------------------ bind helpers

    private static Sql.TextArray days(List<Unit> units) {
        return new Sql.TextArray(units.stream().map(u -> LocalDate.ofInstant(u.from(), ZoneOffset.UTC).toString()).toList());
    }

    private static Sql.TextArray instants(List<Instant> instants) {
        return new Sql.TextArray(instants.stream().map(Instant::toString).toList());
    }

    private static Sql.TextArray starts(List<Unit> units) {
        return instants(units.stream().map(Unit::from).toList());
    }

    private static Sql.TextArray ends(List<Unit> units) {
        return instants(units.stream().map(Unit::to).toList());
    }

    private static String sums(List<Col> cols, boolean rollup, String factor) {
        return cols.stream().map(c -> "sum(" + (rollup ? c.rollup() + factor : c.raw()) + ") AS " + c.name())
                .collect(Collectors.joining(", "));
    }

    /** Per raw unit, the lateral aggregate {@code inner} over its rows ({@link #UNIT_ROWS}). */
    private static Sql rawUnits(List<Unit> raw, Sql inner) {
        return new Sql().append("SELECT u.lo AS unit, x.* FROM unnest(CAST(? AS timestamptz[]), CAST(? AS timestamptz[]))"
                + " AS u(lo, hi) CROSS JOIN LATERAL (", starts(raw), ends(raw)).append(inner).append(") x");
    }

    private static void union(Sql s, Sql part) {
        if (!s.text().isEmpty()) {
            s.append("\nUNION ALL\n");
        }
        s.append(part);
    }

    // ------------------------------------------------------------------ cube (spend, performance)

    /**
     * Rows {@code (unit, d, provider, model, modality, task, key_id, category, content_product, measures…)}
     * (category and content product are the effective ones); {@code d} is the
     * row's day in {@code zone}. Daily rows are UTC days: in another zone (whole-hour offsets) the
     * band hours of each day, those whose local date is not the UTC date, are read from
     * rollup_hourly and moved, +1 on the local day and −1 on the UTC day.
     */
    static Sql cube(Map<Source, List<Unit>> units, Filters f, ZoneId zone) {
        Sql s = new Sql();
        List<Unit> daily = units.getOrDefault(Source.DAILY, List.of());
        if (!daily.isEmpty()) {
            union(s, new Sql().append("SELECT " + DAY_START + " AS unit, r.day AS d, " + CUBE_DIMS_ROLLUP + ", "
                            + sums(CUBE_MEASURES, true, "") + " FROM rollup_daily r WHERE r.day = ANY(CAST(? AS date[]))",
                            days(daily))
                    .append(f.rollupConditions()).append(" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"));
            List<Instant> band = band(daily, zone);
            if (!band.isEmpty()) {
                union(s, new Sql().append("SELECT date_trunc('day', r.hour, 'UTC') AS unit, b.d, " + CUBE_DIMS_ROLLUP
                                + ", " + sums(CUBE_MEASURES, true, " * b.sign") + " FROM rollup_hourly r"
                                + " CROSS JOIN LATERAL (VALUES ((r.hour AT TIME ZONE ?)::date, 1),"
                                + " ((r.hour AT TIME ZONE 'UTC')::date, -1)) AS b(d, sign)"
                                + " WHERE r.hour = ANY(CAST(? AS timestamptz[]))", zone.getId(), instants(band))
                        .append(f.rollupConditions()).append(" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"));
            }
        }
        List<Unit> hourly = units.getOrDefault(Source.HOURLY, List.of());
        if (!hourly.isEmpty()) {
            union(s, new Sql().append("SELECT r.hour AS unit, (r.hour AT TIME ZONE ?)::date AS d, " + CUBE_DIMS_ROLLUP
                            + ", " + sums(CUBE_MEASURES, true, "") + " FROM rollup_hourly r"
                            + " WHERE r.hour = ANY(CAST(? AS timestamptz[]))", zone.getId(), starts(hourly))
                    .append(f.rollupConditions()).append(" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"));
        }
        List<Unit> raw = units.getOrDefault(Source.RAW, List.of());
        if (!raw.isEmpty()) {
            union(s, rawUnits(raw, new Sql().append("SELECT (g.started_at AT TIME ZONE ?)::date AS d, " + CUBE_DIMS_RAW
                            + ", " + sums(CUBE_MEASURES, false, "") + " FROM generation g"
                            + ARTICLE_JOIN + UNIT_ROWS + GENERATIONS_ONLY, zone.getId())
                    .append(f.rawConditions()).append(" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8")));
        }
        return s;
    }

    /** The hours of the UTC days whose date in {@code zone} is another day. */
    static List<Instant> band(List<Unit> days, ZoneId zone) {
        List<Instant> hours = new ArrayList<>();
        if (zone.equals(ZoneOffset.UTC)) {
            return hours;
        }
        for (Unit d : days) {
            LocalDate day = LocalDate.ofInstant(d.from(), ZoneOffset.UTC);
            for (Instant h = d.from(); h.isBefore(d.to()); h = h.plusSeconds(3600)) {
                if (!LocalDate.ofInstant(h, zone).equals(day)) {
                    hours.add(h);
                }
            }
        }
        return hours;
    }

    // ------------------------------------------------------------------ latency histogram

    /** Rows {@code (unit, provider, model, task, bucket, count)}. */
    static Sql histogram(Map<Source, List<Unit>> units, Filters f) {
        Sql s = new Sql();
        List<Unit> daily = units.getOrDefault(Source.DAILY, List.of());
        if (!daily.isEmpty()) {
            union(s, new Sql().append("SELECT " + DAY_START + " AS unit, r.provider, r.model, r.task, r.bucket,"
                            + " sum(r.count) AS count FROM latency_hist_daily r WHERE r.day = ANY(CAST(? AS date[]))",
                            days(daily))
                    .append(f.rollupConditions()).append(" GROUP BY 1, 2, 3, 4, 5"));
        }
        List<Unit> raw = units.getOrDefault(Source.RAW, List.of());
        if (!raw.isEmpty()) {
            union(s, rawUnits(raw, new Sql().append("SELECT g.provider, g.model, g.task,"
                            + " genledger_latency_bucket(g.latency_ms) AS bucket, count(*) AS count FROM generation g"
                            + (f.needsArticle() ? ARTICLE_JOIN : "") + UNIT_ROWS + GENERATIONS_ONLY)
                    .append(f.rawConditions()).append(" GROUP BY 1, 2, 3, 4")));
        }
        return s;
    }

    /** Exact p95 latency by task and by model over the window's raw rows: for windows with few rows. */
    static Sql p95Exact(Window w, Filters filters) {
        return new Sql().append("SELECT GROUPING(g.provider, g.model, g.task) AS gs, g.provider, g.model, g.task,"
                        + " percentile_cont(0.95) WITHIN GROUP (ORDER BY g.latency_ms) AS p95"
                        + " FROM generation g" + (filters.needsArticle() ? ARTICLE_JOIN : "")
                        + " WHERE g.started_at >= ? AND g.started_at < ?" + GENERATIONS_ONLY, w.from(), w.to())
                .append(filters.rawConditions())
                .append(" GROUP BY GROUPING SETS ((g.task), (g.provider, g.model))");
    }

    // ------------------------------------------------------------------ content

    /** Rows {@code (unit, article_id, category, content_product, generations, unpriced, cost_usd, tokens)}. */
    static Sql content(Map<Source, List<Unit>> units, Filters f) {
        Sql s = new Sql();
        List<Unit> daily = units.getOrDefault(Source.DAILY, List.of());
        if (!daily.isEmpty()) {
            union(s, new Sql().append("SELECT " + DAY_START + " AS unit, r.article_id, r.category, r.content_product,"
                            + " sum(r.generations) AS generations, sum(r.unpriced) AS unpriced, sum(r.cost_usd) AS cost_usd,"
                            + " sum(r.input_tokens + r.output_tokens) AS tokens"
                            + " FROM article_daily r WHERE r.day = ANY(CAST(? AS date[]))", days(daily))
                    .append(f.rollupConditions()).append(" GROUP BY 1, 2, 3, 4"));
        }
        List<Unit> raw = units.getOrDefault(Source.RAW, List.of());
        if (!raw.isEmpty()) {
            union(s, rawUnits(raw, new Sql().append("SELECT g.article_id, COALESCE(g.category, a.category) AS category,"
                            + " COALESCE(g.content_product, a.content_product) AS content_product,"
                            + " count(*) AS generations, sum(" + UNPRICED_RAW + ") AS unpriced,"
                            + " sum(coalesce(g.cost_usd, 0)) AS cost_usd, sum(g.input_tokens + g.output_tokens) AS tokens"
                            + " FROM generation g" + ARTICLE_JOIN + UNIT_ROWS + " AND g.article_id IS NOT NULL"
                            + GENERATIONS_ONLY)
                    .append(f.rawConditions()).append(" GROUP BY 1, 2, 3")));
        }
        return s;
    }

    /** Title and metadata of the top articles. */
    static Sql articles(List<String> ids) {
        return new Sql().append("SELECT article_id, title, category, content_product FROM article"
                + " WHERE article_id = ANY(?)", new Sql.TextArray(ids));
    }

    // ------------------------------------------------------------------ tags

    /** Rows {@code (unit, value, generations, unpriced, cost_usd)} of generations carrying the tag. */
    static Sql tags(Map<Source, List<Unit>> units, Filters f, String tagKey) {
        Sql s = new Sql();
        List<Unit> daily = units.getOrDefault(Source.DAILY, List.of());
        if (!daily.isEmpty()) {
            union(s, new Sql().append("SELECT " + DAY_START + " AS unit, r.tag_value AS value,"
                    + " sum(r.generations) AS generations, sum(r.unpriced) AS unpriced, sum(r.cost_usd) AS cost_usd"
                    + " FROM tag_daily r WHERE r.tag_key = ? AND r.day = ANY(CAST(? AS date[])) GROUP BY 1, 2",
                    tagKey, days(daily)));
        }
        List<Unit> raw = units.getOrDefault(Source.RAW, List.of());
        if (!raw.isEmpty()) {
            union(s, rawUnits(raw, new Sql().append("SELECT g.tags ->> ? AS value, count(*) AS generations, sum("
                            + UNPRICED_RAW + ") AS unpriced, sum(coalesce(g.cost_usd, 0)) AS cost_usd FROM generation g"
                            + (f.needsArticle() ? ARTICLE_JOIN : "") + UNIT_ROWS + " AND (g.tags ->> ?) IS NOT NULL"
                            + GENERATIONS_ONLY, tagKey, tagKey)
                    .append(f.rawConditions()).append(" GROUP BY 1")));
        }
        return s;
    }

    // ------------------------------------------------------------------ versions

    /** The change counters of the hours in {@code [from, to)} (rows only for hours that ever changed). */
    static Sql versions(Instant from, Instant to) {
        return new Sql().append("SELECT hour, version FROM rollup_version WHERE hour >= ? AND hour < ?", from, to);
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
     * the primary key {@code (started_at, id)} serves backwards. {@code limit} null: all of them.
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

    /**
     * One generation by its id, a version 7 UUID. The ledger's key is {@code (started_at, id)}, so
     * the lookup bounds started_at by the time in the id: the gateway makes a row's UUIDv7 at its start, in the same
     * millisecond or, when ids are handed out faster than 4,096 a millisecond or the clock steps
     * back, slightly later; never earlier. A day of slack covers any such step.
     */
    static Sql generation(UUID id) {
        Instant upper = Instant.ofEpochMilli(Uuid7.millis(id) + 1);
        return new Sql().append("SELECT " + EFFECTIVE_COLUMNS + " FROM generation g" + ARTICLE_JOIN
                + " WHERE g.started_at >= ? AND g.started_at < ? AND g.id = ?",
                upper.minus(Duration.ofDays(1)), upper, id);
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
