package dev.genledger.api;

import dev.genledger.ledger.budget.BudgetSnapshot;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Spend: one {@code GROUPING SETS} query over the window's plan gives the totals, the daily series
 * and the breakdowns by model, provider, task, key, category and content product; a second one, only with {@code tag_key},
 * gives the breakdown by that tag.
 *
 * <p>Daily buckets: in UTC the daily pieces are already days; in a zone with whole-hour offsets
 * the plan's band moves the boundary hours of each daily row to their local day; in a zone with a
 * fractional offset (Asia/Kolkata) hourly rows do not split at local midnight, so the whole window
 * is read from raw rows (exact, slower).
 */
final class SpendQuery {
    private final Db db;

    SpendQuery(Db db) {
        this.db = db;
    }

    static Plan plan(Window w, Filters f) {
        if (!f.answerableBy(Filters.CUBE)) {
            return Plan.raw(w);
        }
        if (w.utc()) {
            return Plan.of(w, Plan.Granularity.HOURLY);
        }
        if (w.wholeHourOffsets()) {
            return Plan.of(w, Plan.Granularity.HOURLY).withBand(w.zone());
        }
        return Plan.raw(w);
    }

    /** Sums of one group of the GROUPING SETS result. */
    private record Sums(long generations, long unpriced, long pending, BigDecimal cost, BigDecimal llm,
                        BigDecimal media, BigDecimal inputCost, BigDecimal outputCost, long inputTokens,
                        long outputTokens) {
        static final Sums ZERO = new Sums(0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO, 0, 0);

        static Sums read(ResultSet rs) throws SQLException {
            return new Sums(rs.getLong("generations"), rs.getLong("unpriced"), rs.getLong("pending"),
                    Decimals.sum(rs.getBigDecimal("cost_usd")), Decimals.sum(rs.getBigDecimal("llm_usd")),
                    Decimals.sum(rs.getBigDecimal("media_usd")), Decimals.sum(rs.getBigDecimal("input_cost_usd")),
                    Decimals.sum(rs.getBigDecimal("output_cost_usd")), rs.getLong("input_tokens"),
                    rs.getLong("output_tokens"));
        }

        BigDecimal costPerGeneration() {
            return Decimals.ratio(cost, generations - unpriced - pending, 10);
        }
    }

    private record Group(String a, String b) {}

    SpendReport run(Window w, Filters f, String tagKey, BudgetSnapshot budget) {
        List<String> cols = DashboardSql.SPEND_GROUPING;
        int total = Grouping.mask(cols);
        int byDay = Grouping.mask(cols, "d");
        int byModel = Grouping.mask(cols, "provider", "model");
        int byProvider = Grouping.mask(cols, "provider");
        int byTask = Grouping.mask(cols, "task");
        int byKey = Grouping.mask(cols, "key_id");
        int byCategory = Grouping.mask(cols, "category");
        int byContentProduct = Grouping.mask(cols, "content_product");

        Map<Integer, Map<Group, Sums>> groups = new HashMap<>();
        Map<LocalDate, Sums> days = new HashMap<>();
        db.query(DashboardSql.spend(plan(w, f), f, w.zone()), rs -> {
            while (rs.next()) {
                int gs = rs.getInt("gs");
                Sums s = Sums.read(rs);
                if (gs == byDay) {
                    days.put(rs.getObject("d", LocalDate.class), s);
                } else {
                    String a = gs == byModel || gs == byProvider ? rs.getString("provider")
                            : gs == byTask ? rs.getString("task") : gs == byKey ? rs.getString("key_id")
                            : gs == byCategory ? rs.getString("category")
                            : gs == byContentProduct ? rs.getString("content_product") : null;
                    String b = gs == byModel ? rs.getString("model") : null;
                    groups.computeIfAbsent(gs, k -> new HashMap<>()).put(new Group(a, b), s);
                }
            }
            return null;
        });
        Sums t = groups.getOrDefault(total, Map.of()).getOrDefault(new Group(null, null), Sums.ZERO);

        List<SpendReport.Day> daily = new ArrayList<>();
        for (LocalDate d : w.days()) {
            Sums s = days.getOrDefault(d, Sums.ZERO);
            daily.add(new SpendReport.Day(d.toString(), s.cost, s.llm, s.media, s.generations, s.unpriced,
                    s.costPerGeneration()));
        }
        List<SpendReport.ByTag> byTag = tagKey == null ? List.of() : byTag(w, f, tagKey, t);
        return new SpendReport(WindowView.of(w), t.cost, t.llm, t.media, t.generations, t.unpriced, t.pending,
                t.costPerGeneration(), t.inputTokens, t.outputTokens, t.inputCost, t.outputCost, daily,
                list(groups, byModel, (g, s) -> new SpendReport.ByModel(g.a, g.b, s.cost, s.generations, s.unpriced,
                        s.inputTokens, s.outputTokens)),
                list(groups, byProvider, (g, s) -> new SpendReport.ByProvider(g.a, s.cost, s.generations, s.unpriced)),
                list(groups, byTask, (g, s) -> new SpendReport.ByTask(g.a, s.cost, s.generations, s.unpriced)),
                list(groups, byKey, (g, s) -> new SpendReport.ByKey(g.a, s.cost, s.generations, s.unpriced)),
                list(groups, byCategory, (g, s) -> new SpendReport.ByCategory(g.a, s.cost, s.generations, s.unpriced)),
                list(groups, byContentProduct,
                        (g, s) -> new SpendReport.ByContentProduct(g.a, s.cost, s.generations, s.unpriced)),
                tagKey, byTag, SpendReport.Budget.of(budget));
    }

    /** Groups of one set with generations, most expensive first, then most generations, then by name. */
    private static <T> List<T> list(Map<Integer, Map<Group, Sums>> groups, int set,
                                    java.util.function.BiFunction<Group, Sums, T> view) {
        return groups.getOrDefault(set, Map.of()).entrySet().stream()
                .filter(e -> e.getValue().generations != 0)
                .sorted(Comparator.comparing((Map.Entry<Group, Sums> e) -> e.getValue().cost).reversed()
                        .thenComparing(e -> -e.getValue().generations)
                        .thenComparing(e -> String.valueOf(e.getKey().a) + "/" + e.getKey().b))
                .map(e -> view.apply(e.getKey(), e.getValue()))
                .toList();
    }

    private List<SpendReport.ByTag> byTag(Window w, Filters f, String tagKey, Sums total) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, BigDecimal> costs = new HashMap<>();
        boolean fromRollup = f.isEmpty();
        Sql sql = fromRollup
                ? DashboardSql.tagsFromRollup(Plan.of(w, Plan.Granularity.DAILY_ONLY), tagKey)
                : DashboardSql.tagsFromRows(w, f, tagKey);
        db.query(sql, rs -> {
            while (rs.next()) {
                String v = rs.getString("value");
                counts.put(v, new long[] {rs.getLong("generations"), rs.getLong("unpriced")});
                costs.put(v, Decimals.sum(rs.getBigDecimal("cost_usd")));
            }
            return null;
        });
        if (fromRollup) {
            // tag_daily holds tagged generations only: the untagged are what the total leaves over
            long g = total.generations;
            long u = total.unpriced;
            BigDecimal c = total.cost;
            for (Map.Entry<String, long[]> e : counts.entrySet()) {
                g -= e.getValue()[0];
                u -= e.getValue()[1];
                c = c.subtract(costs.get(e.getKey()));
            }
            if (g != 0) {
                counts.put(null, new long[] {g, u});
                costs.put(null, Decimals.sum(c));
            }
        }
        Function<String, String> name = v -> v == null ? "" : v;
        return counts.entrySet().stream()
                .filter(e -> e.getValue()[0] != 0)
                .sorted(Comparator.comparing((Map.Entry<String, long[]> e) -> costs.get(e.getKey())).reversed()
                        .thenComparing(e -> -e.getValue()[0])
                        .thenComparing(e -> name.apply(e.getKey())))
                .map(e -> new SpendReport.ByTag(e.getKey(), costs.get(e.getKey()), e.getValue()[0], e.getValue()[1]))
                .toList();
    }
}
