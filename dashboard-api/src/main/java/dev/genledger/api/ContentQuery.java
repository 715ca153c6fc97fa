package dev.genledger.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Content: the window's (article, category, content product) sums from {@link ContentUnitsQuery},
 * then totals, distinct articles per product and per category, and the top articles by cost with
 * their metadata.
 */
final class ContentQuery {
    private final Db db;
    private final UnitEngine engine;
    private final boolean rawOnly;

    ContentQuery(Db db, UnitEngine engine, boolean rawOnly) {
        this.db = db;
        this.engine = engine;
        this.rawOnly = rawOnly;
    }

    ContentReport run(Window w, Filters f, int limit) {
        List<Unit> units = Unit.split(w);
        return db.inSnapshot(c -> {
            ContentPartial p = engine.run(c, units, new ContentUnitsQuery(f, rawOnly));
            long generations = 0;
            long unpriced = 0;
            long tokens = 0;
            BigDecimal cost = BigDecimal.ZERO;
            // the top articles: most expensive first, ties by id; a heap of `limit` keeps it O(n log limit)
            Comparator<Integer> best = Comparator.comparing((Integer i) -> p.cost[i]).reversed()
                    .thenComparing(i -> p.articles[i]);
            PriorityQueue<Integer> heap = new PriorityQueue<>(best.reversed());
            for (int i = 0; i < p.articles.length; i++) {
                generations += p.generations[i];
                unpriced += p.unpriced[i];
                tokens += p.tokens[i];
                cost = cost.add(p.cost[i]);
                heap.add(i);
                if (heap.size() > limit) {
                    heap.poll();
                }
            }
            List<Integer> topPositions = new ArrayList<>(heap);
            topPositions.sort(best);
            List<String> topIds = topPositions.stream().map(i -> p.articles[i]).toList();
            Map<String, String[]> meta = topIds.isEmpty() ? Map.of() : Db.query(c, DashboardSql.articles(topIds), rs -> {
                Map<String, String[]> m = new HashMap<>();
                while (rs.next()) {
                    m.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
                return m;
            });
            List<ContentReport.TopArticle> top = new ArrayList<>();
            for (int i : topPositions) {
                String[] m = meta.getOrDefault(p.articles[i], new String[3]);
                top.add(new ContentReport.TopArticle(p.articles[i], m[0], m[1], m[2], Decimals.sum(p.cost[i]),
                        p.tokens[i], p.generations[i], p.unpriced[i]));
            }
            List<ContentReport.ByContentProduct> byProduct = new ArrayList<>();
            p.products.forEach((k, g) -> byProduct.add(new ContentReport.ByContentProduct(k, Decimals.sum(g.cost()),
                    g.positions().length, g.generations(), g.unpriced())));
            byProduct.sort(Comparator.comparing(ContentReport.ByContentProduct::totalUsd).reversed()
                    .thenComparing(x -> String.valueOf(x.contentProduct())));
            List<ContentReport.ByCategory> byCategory = new ArrayList<>();
            p.categories.forEach((k, g) -> byCategory.add(new ContentReport.ByCategory(k, Decimals.sum(g.cost()),
                    g.positions().length, g.generations(), g.unpriced())));
            byCategory.sort(Comparator.comparing(ContentReport.ByCategory::totalUsd).reversed()
                    .thenComparing(x -> String.valueOf(x.category())));
            long articles = p.articles.length;
            return new ContentReport(WindowView.of(w), Decimals.sum(cost), articles, generations, unpriced,
                    Decimals.ratio(cost, articles, 10), Decimals.ratio(tokens, articles, 3), top, byProduct, byCategory);
        });
    }
}
