package dev.genledger.api;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Performance: sums by task and by model from the rollup cube of the window's units, then p95
 * latency: exact ({@code percentile_cont} over the rows) when the window holds at most
 * {@link #EXACT_MAX_ROWS} generations, else from the latency histograms of the units
 * ({@link LatencyPercentile}: within 2.47 % of the exact value).
 */
final class PerformanceQuery {
    static final long EXACT_MAX_ROWS = 20_000;

    private final Db db;
    private final UnitEngine engine;
    private final long exactMaxRows;
    private final boolean rawOnly;

    PerformanceQuery(Db db, UnitEngine engine, long exactMaxRows, boolean rawOnly) {
        this.db = db;
        this.engine = engine;
        this.exactMaxRows = exactMaxRows;
        this.rawOnly = rawOnly;
    }

    /** A group key: a task, or a provider and model. */
    private record Key(String a, String b) {}

    PerformanceReport run(Window w, Filters f) {
        List<Unit> units = Unit.split(w);
        return db.inSnapshot(c -> {
            // no daily series here: UTC days, so the units are shared with UTC spend in the cache
            CubePartial cube = engine.run(c, units, new CubeQuery(f, ZoneOffset.UTC, rawOnly));
            Map<Key, CubePartial.Sums> tasks = new HashMap<>();
            Map<Key, CubePartial.Sums> models = new HashMap<>();
            Map<Key, CubePartial.Sums> textModels = new HashMap<>();
            long generations = 0;
            for (Map.Entry<CubePartial.Key, CubePartial.Sums> e : cube.cells.entrySet()) {
                CubePartial.Key k = e.getKey();
                CubePartial.Sums s = e.getValue();
                generations += s.generations;
                tasks.computeIfAbsent(new Key(k.task(), null), x -> new CubePartial.Sums()).add(s);
                Key model = new Key(k.provider(), k.model());
                models.computeIfAbsent(model, x -> new CubePartial.Sums()).add(s);
                if ("text".equals(k.modality())) {
                    textModels.computeIfAbsent(model, x -> new CubePartial.Sums()).add(s);
                }
            }
            Map<Key, Double> taskP95 = new HashMap<>();
            Map<Key, Double> modelP95 = new HashMap<>();
            String method = generations <= exactMaxRows ? "exact" : "histogram";
            if (generations > 0) {
                if (method.equals("exact")) {
                    exact(c, w, f, taskP95, modelP95);
                } else {
                    histogram(engine.run(c, units, new HistogramQuery(f, rawOnly)), taskP95, modelP95);
                }
            }
            return report(w, generations, method, tasks, models, textModels, taskP95, modelP95);
        });
    }

    private static PerformanceReport report(Window w, long generations, String method, Map<Key, CubePartial.Sums> tasks,
                                            Map<Key, CubePartial.Sums> models, Map<Key, CubePartial.Sums> textModels,
                                            Map<Key, Double> taskP95, Map<Key, Double> modelP95) {
        List<PerformanceReport.ByTask> taskRows = new ArrayList<>();
        tasks.forEach((k, s) -> {
            if (s.generations != 0) {
                taskRows.add(new PerformanceReport.ByTask(k.a, s.generations, Decimals.mean(s.latencyMs, s.generations),
                        Decimals.round3(taskP95.get(k)), Decimals.mean(s.ttfbMs, s.generations),
                        Decimals.ratio(s.errors, s.generations, 6)));
            }
        });
        taskRows.sort(Comparator.comparingLong((PerformanceReport.ByTask t) -> -t.generations())
                .thenComparing(t -> String.valueOf(t.task())));
        List<PerformanceReport.ByModel> modelRows = new ArrayList<>();
        models.forEach((k, s) -> {
            if (s.generations != 0) {
                CubePartial.Sums text = textModels.get(k);
                Double tokensPerSecond = text == null || text.genMs <= 0 ? null
                        : Decimals.round3(text.outputTokens / (text.genMs / 1000.0));
                modelRows.add(new PerformanceReport.ByModel(k.a, k.b, s.generations,
                        Decimals.mean(s.latencyMs, s.generations), Decimals.round3(modelP95.get(k)), tokensPerSecond,
                        Decimals.sum(s.inputCost), Decimals.sum(s.outputCost),
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

    private static void exact(Connection c, Window w, Filters f, Map<Key, Double> tasks, Map<Key, Double> models)
            throws SQLException {
        int byTask = Grouping.mask(List.of("provider", "model", "task"), "task");
        Db.query(c, DashboardSql.p95Exact(w, f), rs -> {
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

    /** Merges the (provider, model, task) histograms by task and by model, then reads p95 from each. */
    private static void histogram(HistogramPartial h, Map<Key, Double> tasks, Map<Key, Double> models) {
        Map<Key, long[]> byTask = new HashMap<>();
        Map<Key, long[]> byModel = new HashMap<>();
        h.counts.forEach((k, counts) -> {
            add(byTask.computeIfAbsent(new Key(k.task(), null), x -> new long[0]), counts, byTask, new Key(k.task(), null));
            add(byModel.computeIfAbsent(new Key(k.provider(), k.model()), x -> new long[0]), counts, byModel,
                    new Key(k.provider(), k.model()));
        });
        byTask.forEach((k, d) -> tasks.put(k, percentile(d)));
        byModel.forEach((k, d) -> models.put(k, percentile(d)));
    }

    private static void add(long[] dense, HistogramPartial.Counts counts, Map<Key, long[]> into, Key key) {
        int max = counts.buckets().length == 0 ? 0 : counts.buckets()[counts.buckets().length - 1];
        long[] d = dense.length > max ? dense : java.util.Arrays.copyOf(dense, max + 1);
        for (int i = 0; i < counts.buckets().length; i++) {
            d[counts.buckets()[i]] += counts.counts()[i];
        }
        into.put(key, d);
    }

    private static Double percentile(long[] dense) {
        int n = 0;
        for (long x : dense) {
            n += x != 0 ? 1 : 0;
        }
        int[] buckets = new int[n];
        long[] counts = new long[n];
        for (int i = 0, j = 0; i < dense.length; i++) {
            if (dense[i] != 0) {
                buckets[j] = i;
                counts[j++] = dense[i];
            }
        }
        return LatencyPercentile.estimate(buckets, counts, n, 0.95);
    }
}
