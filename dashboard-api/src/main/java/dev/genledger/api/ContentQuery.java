package dev.genledger.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** Sums of a group, with the distinct articles in it. */
    private static final class Group {
        long generations;
        long unpriced;
        long tokens;
        BigDecimal cost = BigDecimal.ZERO;
        final Set<String> articles = new HashSet<>();

        void add(String article, long g, long u, long t, BigDecimal c) {
            generations += g;
            unpriced += u;
            tokens += t;
            cost = cost.add(c);
            articles.add(article);
        }
    }

    ContentReport run(Window w, Filters f, int limit) {
        List<Unit> units = Unit.split(w);
        return db.inSnapshot(c -> {
            ContentPartial cells = engine.run(c, units, new ContentUnitsQuery(f, rawOnly));
            Group total = new Group();
            Map<String, Group> products = new HashMap<>();
            Map<String, Group> categories = new HashMap<>();
            Map<String, long[]> perArticle = new HashMap<>();      // generations, unpriced, tokens
            Map<String, BigDecimal> articleCost = new HashMap<>();
            cells.forEach((article, category, product, g, u, t, cost) -> {
                total.add(article, g, u, t, cost);
                products.computeIfAbsent(product, k -> new Group()).add(article, g, u, t, cost);
                categories.computeIfAbsent(category, k -> new Group()).add(article, g, u, t, cost);
                long[] a = perArticle.computeIfAbsent(article, k -> new long[3]);
                a[0] += g;
                a[1] += u;
                a[2] += t;
                articleCost.merge(article, cost, BigDecimal::add);
            });
            List<String> topIds = articleCost.entrySet().stream()
                    .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(limit).map(Map.Entry::getKey).toList();
            Map<String, String[]> meta = topIds.isEmpty() ? Map.of() : Db.query(c, DashboardSql.articles(topIds), rs -> {
                Map<String, String[]> m = new HashMap<>();
                while (rs.next()) {
                    m.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
                return m;
            });
            List<ContentReport.TopArticle> top = new ArrayList<>();
            for (String id : topIds) {
                long[] a = perArticle.get(id);
                String[] m = meta.getOrDefault(id, new String[3]);
                top.add(new ContentReport.TopArticle(id, m[0], m[1], m[2], Decimals.sum(articleCost.get(id)), a[2], a[0],
                        a[1]));
            }
            List<ContentReport.ByContentProduct> byProduct = new ArrayList<>();
            products.forEach((k, g) -> byProduct.add(new ContentReport.ByContentProduct(k, Decimals.sum(g.cost),
                    g.articles.size(), g.generations, g.unpriced)));
            byProduct.sort(Comparator.comparing(ContentReport.ByContentProduct::totalUsd).reversed()
                    .thenComparing(p -> String.valueOf(p.contentProduct())));
            List<ContentReport.ByCategory> byCategory = new ArrayList<>();
            categories.forEach((k, g) -> byCategory.add(new ContentReport.ByCategory(k, Decimals.sum(g.cost),
                    g.articles.size(), g.generations, g.unpriced)));
            byCategory.sort(Comparator.comparing(ContentReport.ByCategory::totalUsd).reversed()
                    .thenComparing(p -> String.valueOf(p.category())));
            long articles = total.articles.size();
            return new ContentReport(WindowView.of(w), Decimals.sum(total.cost), articles, total.generations,
                    total.unpriced, Decimals.ratio(total.cost, articles, 10), Decimals.ratio(total.tokens, articles, 3),
                    top, byProduct, byCategory);
        });
    }
}
