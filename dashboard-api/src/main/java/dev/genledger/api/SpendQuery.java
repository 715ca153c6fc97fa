package dev.genledger.api;

import dev.genledger.ledger.budget.BudgetSnapshot;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Spend: the rollup cube of the window's units ({@link CubeQuery}) gives the totals, the daily
 * series and the breakdowns by model, provider, task, key, category and content product; with {@code tag_key} the tag's
 * values come from tag_daily (or raw rows when filtered), the untagged being the total minus them.
 */
final class SpendQuery {
    private final Db db;
    private final UnitEngine engine;
    private final boolean rawOnly;

    SpendQuery(Db db, UnitEngine engine, boolean rawOnly) {
        this.db = db;
        this.engine = engine;
        this.rawOnly = rawOnly;
    }

    SpendReport run(Window w, Filters f, String tagKey, BudgetSnapshot budget) {
        List<Unit> units = Unit.split(w);
        return db.inSnapshot(c -> {
            CubePartial cube = engine.run(c, units, new CubeQuery(f, w.zone(), rawOnly));
            TagPartial tags = tagKey == null ? null : engine.run(c, units, new TagQuery(f, tagKey, rawOnly));
            return report(w, cube, tagKey, tags, budget);
        });
    }

    private static SpendReport report(Window w, CubePartial cube, String tagKey, TagPartial tags, BudgetSnapshot budget) {
        CubePartial.Sums total = new CubePartial.Sums();
        Map<List<String>, CubePartial.Sums> byModel = new HashMap<>();
        Map<String, CubePartial.Sums> byProvider = new HashMap<>();
        Map<String, CubePartial.Sums> byTask = new HashMap<>();
        Map<String, CubePartial.Sums> byKey = new HashMap<>();
        cube.cells.forEach((k, s) -> {
            total.add(s);
            byModel.computeIfAbsent(java.util.Arrays.asList(k.provider(), k.model()), x -> new CubePartial.Sums()).add(s);
            byProvider.computeIfAbsent(k.provider(), x -> new CubePartial.Sums()).add(s);
            byTask.computeIfAbsent(k.task(), x -> new CubePartial.Sums()).add(s);
            byKey.computeIfAbsent(k.keyId(), x -> new CubePartial.Sums()).add(s);
        });
        List<SpendReport.Day> daily = new ArrayList<>();
        for (LocalDate d : w.days()) {
            CubePartial.DaySums s = cube.days.getOrDefault(d, new CubePartial.DaySums());
            daily.add(new SpendReport.Day(d.toString(), Decimals.sum(s.cost), Decimals.sum(s.llm), Decimals.sum(s.media),
                    s.generations, s.unpriced, costPerGeneration(s.cost, s.generations, s.unpriced, s.pending)));
        }
        BigDecimal llm = BigDecimal.ZERO;
        BigDecimal media = BigDecimal.ZERO;
        for (CubePartial.DaySums s : cube.days.values()) {
            llm = llm.add(s.llm);
            media = media.add(s.media);
        }
        return new SpendReport(WindowView.of(w), Decimals.sum(total.cost), Decimals.sum(llm), Decimals.sum(media),
                total.generations, total.unpriced, total.pending,
                costPerGeneration(total.cost, total.generations, total.unpriced, total.pending), total.inputTokens,
                total.outputTokens, Decimals.sum(total.inputCost), Decimals.sum(total.outputCost), daily,
                list(byModel, (k, s) -> new SpendReport.ByModel(k.get(0), k.get(1), Decimals.sum(s.cost), s.generations,
                        s.unpriced, s.inputTokens, s.outputTokens), k -> k.get(0) + "/" + k.get(1)),
                list(byProvider, (k, s) -> new SpendReport.ByProvider(k, Decimals.sum(s.cost), s.generations,
                        s.unpriced), k -> k),
                list(byTask, (k, s) -> new SpendReport.ByTask(k, Decimals.sum(s.cost), s.generations, s.unpriced),
                        k -> k),
                list(byKey, (k, s) -> new SpendReport.ByKey(k, Decimals.sum(s.cost), s.generations, s.unpriced), k -> k),
                list(cube.categories, (k, s) -> new SpendReport.ByCategory(k, Decimals.sum(s.cost), s.generations,
                        s.unpriced), k -> k),
                list(cube.contentProducts, (k, s) -> new SpendReport.ByContentProduct(k, Decimals.sum(s.cost),
                        s.generations, s.unpriced), k -> k),
                tagKey, tags == null ? List.of() : byTag(tags, total), SpendReport.Budget.of(budget));
    }

    /** Over priced generations only: an unpriced or pending generation is not a free one. */
    private static BigDecimal costPerGeneration(BigDecimal cost, long generations, long unpriced, long pending) {
        return Decimals.ratio(cost, generations - unpriced - pending, 10);
    }

    /** Groups with generations, most expensive first, then most generations, then by name. */
    private static <K, T> List<T> list(Map<K, CubePartial.Sums> groups, BiFunction<K, CubePartial.Sums, T> view,
                                       Function<K, String> name) {
        return groups.entrySet().stream()
                .filter(e -> e.getValue().generations != 0)
                .sorted(Comparator.comparing((Map.Entry<K, CubePartial.Sums> e) -> e.getValue().cost).reversed()
                        .thenComparing(e -> -e.getValue().generations)
                        .thenComparing(e -> String.valueOf(name.apply(e.getKey()))))
                .map(e -> view.apply(e.getKey(), e.getValue()))
                .toList();
    }

    /** The tag's values, plus the untagged (value null): the total minus every tagged generation. */
    private static List<SpendReport.ByTag> byTag(TagPartial tags, CubePartial.Sums total) {
        List<SpendReport.ByTag> out = new ArrayList<>();
        long generations = total.generations;
        long unpriced = total.unpriced;
        BigDecimal cost = total.cost;
        for (Map.Entry<String, TagPartial.Sums> e : tags.values.entrySet()) {
            TagPartial.Sums s = e.getValue();
            generations -= s.generations;
            unpriced -= s.unpriced;
            cost = cost.subtract(s.cost);
            if (s.generations != 0) {
                out.add(new SpendReport.ByTag(e.getKey(), Decimals.sum(s.cost), s.generations, s.unpriced));
            }
        }
        if (generations != 0) {
            out.add(new SpendReport.ByTag(null, Decimals.sum(cost), generations, unpriced));
        }
        out.sort(Comparator.comparing(SpendReport.ByTag::totalUsd).reversed()
                .thenComparing(t -> -t.generations())
                .thenComparing(t -> t.value() == null ? "" : t.value()));
        return out;
    }
}
