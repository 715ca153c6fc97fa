package dev.genledger.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Content: {@code article_daily} for whole UTC days and raw rows for the partial days at the
 * window's edges; raw rows throughout when a filter is not an article_daily dimension (provider,
 * model, task, key, tag). One statement returns totals, by product, by category and the top
 * articles.
 */
final class ContentQuery {
    private final Db db;

    ContentQuery(Db db) {
        this.db = db;
    }

    ContentReport run(Window w, Filters f, int limit) {
        Plan plan = f.answerableBy(Filters.ARTICLES) ? Plan.of(w, Plan.Granularity.DAILY_ONLY) : Plan.raw(w);
        List<ContentReport.TopArticle> top = new ArrayList<>();
        List<ContentReport.ByContentProduct> products = new ArrayList<>();
        List<ContentReport.ByCategory> categories = new ArrayList<>();
        long[] totals = new long[4]; // articles, generations, unpriced, tokens
        BigDecimal[] cost = {BigDecimal.ZERO};
        db.query(DashboardSql.content(plan, f, limit), rs -> {
            while (rs.next()) {
                String key = rs.getString("key");
                long articles = rs.getLong("articles");
                long generations = rs.getLong("generations");
                long unpriced = rs.getLong("unpriced");
                BigDecimal usd = Decimals.sum(rs.getBigDecimal("cost_usd"));
                long tokens = rs.getLong("tokens");
                switch (rs.getString("part")) {
                    case "total" -> {
                        totals[0] = articles;
                        totals[1] = generations;
                        totals[2] = unpriced;
                        totals[3] = tokens;
                        cost[0] = usd;
                    }
                    case "content_product" -> products.add(
                            new ContentReport.ByContentProduct(key, usd, articles, generations, unpriced));
                    case "category" -> categories.add(
                            new ContentReport.ByCategory(key, usd, articles, generations, unpriced));
                    case "article" -> top.add(new ContentReport.TopArticle(key, rs.getString("title"),
                            rs.getString("category"), rs.getString("content_product"), usd, tokens, generations,
                            unpriced));
                    default -> throw new IllegalStateException("unknown part " + rs.getString("part"));
                }
            }
            return null;
        });
        top.sort(Comparator.comparing(ContentReport.TopArticle::totalUsd).reversed()
                .thenComparing(ContentReport.TopArticle::articleId));
        products.sort(Comparator.comparing(ContentReport.ByContentProduct::totalUsd).reversed()
                .thenComparing(p -> String.valueOf(p.contentProduct())));
        categories.sort(Comparator.comparing(ContentReport.ByCategory::totalUsd).reversed()
                .thenComparing(c -> String.valueOf(c.category())));
        return new ContentReport(WindowView.of(w), cost[0], totals[0], totals[1], totals[2],
                Decimals.ratio(cost[0], totals[0], 10), Decimals.ratio(totals[3], totals[0], 3), top, products,
                categories);
    }
}
