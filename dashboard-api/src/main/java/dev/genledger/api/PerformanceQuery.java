package dev.genledger.api;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Performance: sums by task and by model from the rollups (one GROUPING SETS query over the plan),
 * then p95 latency: exact ({@code percentile_cont} over the rows) when the window holds at most
 * {@link #EXACT_MAX_ROWS} generations, else from the latency histogram ({@link LatencyPercentile},
 * within 2.47 %): {@code latency_hist_daily} for whole UTC days and raw rows bucketed alike for the
 * partial days, or raw rows bucketed for the whole window when a filter is not a histogram
 * dimension (category, content product, key, article, tag).
 */
final class PerformanceQuery {
    static final long EXACT_MAX_ROWS = 20_000;

    private final Db db;
    private final long exactMaxRows;

    PerformanceQuery(Db db, long exactMaxRows) {
        this.db = db;
        this.exactMaxRows = exactMaxRows;
    }

    private record Sums(long generations, long errors, double latencySum, double ttfbSum, Double textGenMs,
                        long textOutputTokens, long outputTokens, BigDecimal cost, BigDecimal inputCost,
                        BigDecimal outputCost) {
        static Sums read(ResultSet rs) throws SQLException {
            double gen = rs.getDouble("text_gen_ms_sum");
            Double textGenMs = rs.wasNull() ? null : gen;
            return new Sums(rs.getLong("generations"), rs.getLong("errors"), rs.getDouble("latency_ms_sum"),
                    rs.getDouble("ttfb_ms_sum"), textGenMs, rs.getLong("text_output_tokens"),
                    rs.getLong("output_tokens"), Decimals.sum(rs.getBigDecimal("cost_usd")),
                    Decimals.sum(rs.getBigDecimal("input_cost_usd")), Decimals.sum(rs.getBigDecimal("output_cost_usd")));
        }

        Double outputTokensPerSecond() {
            return textGenMs == null || textGenMs <= 0 ? null : Decimals.round3(textOutputTokens / (textGenMs / 1000.0));
        }
    }

    /** A group key: a task, or a provider and model. */
    private record Key(String a, String b) {}

    PerformanceReport run(Window w, Filters f) {
        List<String> cols = DashboardSql.PERFORMANCE_GROUPING;
        int total = Grouping.mask(cols);
        int byTask = Grouping.mask(cols, "task");
        int byModel = Grouping.mask(cols, "provider", "model");
        Plan plan = f.answerableBy(Filters.CUBE) ? Plan.of(w, Plan.Granularity.HOURLY) : Plan.raw(w);

        Map<Key, Sums> tasks = new HashMap<>();
        Map<Key, Sums> models = new HashMap<>();
        long generations = db.query(DashboardSql.performance(plan, f), rs -> {
            long n = 0;
            while (rs.next()) {
                int gs = rs.getInt("gs");
                Sums s = Sums.read(rs);
                if (gs == total) {
                    n = s.generations;
                } else if (gs == byTask) {
                    tasks.put(new Key(rs.getString("task"), null), s);
                } else if (gs == byModel) {
                    models.put(new Key(rs.getString("provider"), rs.getString("model")), s);
                }
            }
            return n;
        });

        Map<Key, Double> taskP95 = new HashMap<>();
        Map<Key, Double> modelP95 = new HashMap<>();
        String method = generations <= exactMaxRows ? "exact" : "histogram";
        if (generations > 0) {
            if (method.equals("exact")) {
                exact(w, f, byTask, taskP95, modelP95);
            } else {
                histogram(w, f, byTask, taskP95, modelP95);
            }
        }

        List<PerformanceReport.ByTask> taskRows = new ArrayList<>();
        tasks.forEach((k, s) -> {
            if (s.generations != 0) {
                taskRows.add(new PerformanceReport.ByTask(k.a, s.generations, Decimals.mean(s.latencySum, s.generations),
                        Decimals.round3(taskP95.get(k)), Decimals.mean(s.ttfbSum, s.generations),
                        Decimals.ratio(s.errors, s.generations, 6)));
            }
        });
        taskRows.sort(Comparator.comparingLong((PerformanceReport.ByTask t) -> -t.generations())
                .thenComparing(t -> String.valueOf(t.task())));
        List<PerformanceReport.ByModel> modelRows = new ArrayList<>();
        models.forEach((k, s) -> {
            if (s.generations != 0) {
                modelRows.add(new PerformanceReport.ByModel(k.a, k.b, s.generations,
                        Decimals.mean(s.latencySum, s.generations), Decimals.round3(modelP95.get(k)),
                        s.outputTokensPerSecond(), s.inputCost, s.outputCost,
                        Decimals.ratio(s.inputCost, s.outputCost, 6),
                        Decimals.ratio(BigDecimal.valueOf(s.outputTokens), s.cost, 3),
                        Decimals.ratio(s.errors, s.generations, 6)));
            }
        });
        modelRows.sort(Comparator.comparingLong((PerformanceReport.ByModel m) -> -m.generations())
                .thenComparing(m -> m.provider() + "/" + m.model()));
        return new PerformanceReport(WindowView.of(w), generations, generations == 0 ? null : method, taskRows,
                modelRows);
    }

    private void exact(Window w, Filters f, int byTask, Map<Key, Double> tasks, Map<Key, Double> models) {
        db.query(DashboardSql.p95Exact(w, f), rs -> {
            while (rs.next()) {
                double p = rs.getDouble("p95");
                if (rs.getInt("gs") == byTask) {
                    tasks.put(new Key(rs.getString("task"), null), p);
                } else {
                    models.put(new Key(rs.getString("provider"), rs.getString("model")), p);
                }
            }
            return null;
        });
    }

    private void histogram(Window w, Filters f, int byTask, Map<Key, Double> tasks, Map<Key, Double> models) {
        Plan plan = f.answerableBy(Filters.HISTOGRAM) ? Plan.of(w, Plan.Granularity.DAILY_ONLY) : Plan.raw(w);
        db.query(DashboardSql.latencyHistogram(plan, f), rs -> {
            // rows come ordered by group, then bucket ascending
            Key current = null;
            boolean currentIsTask = false;
            int[] buckets = new int[64];
            long[] counts = new long[64];
            int size = 0;
            while (rs.next()) {
                boolean isTask = rs.getInt("gs") == byTask;
                Key k = isTask ? new Key(rs.getString("task"), null)
                        : new Key(rs.getString("provider"), rs.getString("model"));
                if (current != null && (isTask != currentIsTask || !k.equals(current))) {
                    (currentIsTask ? tasks : models).put(current, LatencyPercentile.estimate(buckets, counts, size, 0.95));
                    size = 0;
                }
                current = k;
                currentIsTask = isTask;
                if (size == buckets.length) {
                    buckets = java.util.Arrays.copyOf(buckets, size * 2);
                    counts = java.util.Arrays.copyOf(counts, size * 2);
                }
                buckets[size] = rs.getInt("bucket");
                counts[size] = rs.getLong("count");
                size++;
            }
            if (current != null) {
                (currentIsTask ? tasks : models).put(current, LatencyPercentile.estimate(buckets, counts, size, 0.95));
            }
            return null;
        });
    }
}
