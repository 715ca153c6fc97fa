package dev.genledger.api;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Content sums by (article, effective category, effective content product), kept column-wise: a
 * day at 10 million rows' scale holds a few thousand such cells, and a window's answer needs all
 * of them (distinct articles per category, the top articles).
 */
final class ContentPartial {
    record Key(String articleId, String category, String contentProduct) {}

    /** Sums of one cell; mutable only while being merged. */
    static final class Sums {
        long generations;
        long unpriced;
        long tokens;
        BigDecimal cost = BigDecimal.ZERO;
    }

    private final String[] articles;
    private final String[] categories;
    private final String[] products;
    private final long[] generations;
    private final long[] unpriced;
    private final long[] tokens;
    private final BigDecimal[] costs;

    private ContentPartial(int n) {
        articles = new String[n];
        categories = new String[n];
        products = new String[n];
        generations = new long[n];
        unpriced = new long[n];
        tokens = new long[n];
        costs = new BigDecimal[n];
    }

    long weight() {
        return 64 + articles.length * 96L;
    }

    /** One cell, as handed to {@link #forEach}. */
    interface Cell {
        void accept(String articleId, String category, String contentProduct, long generations, long unpriced,
                    long tokens, BigDecimal cost);
    }

    void forEach(Cell cell) {
        for (int i = 0; i < articles.length; i++) {
            cell.accept(articles[i], categories[i], products[i], generations[i], unpriced[i], tokens[i], costs[i]);
        }
    }

    static final class Builder implements PartialQuery.Builder<ContentPartial> {
        final Map<Key, Sums> cells = new HashMap<>();
        /** Strings are shared between units: a year of days names the same articles many times. */
        private static final Map<String, String> INTERNED = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void add(ResultSet rs) throws SQLException {
            Sums s = cells.computeIfAbsent(new Key(intern(rs.getString("article_id")), intern(rs.getString("category")),
                    intern(rs.getString("content_product"))), k -> new Sums());
            s.generations += rs.getLong("generations");
            s.unpriced += rs.getLong("unpriced");
            s.tokens += rs.getLong("tokens");
            BigDecimal c = rs.getBigDecimal("cost_usd");
            s.cost = c == null ? s.cost : s.cost.add(c);
        }

        private static String intern(String s) {
            if (s == null) {
                return null;
            }
            if (INTERNED.size() > 2_000_000) {
                INTERNED.clear(); // a bound, not a correctness matter
            }
            String prior = INTERNED.putIfAbsent(s, s);
            return prior == null ? s : prior;
        }

        @Override
        public void merge(ContentPartial p) {
            for (int i = 0; i < p.articles.length; i++) {
                Sums s = cells.computeIfAbsent(new Key(p.articles[i], p.categories[i], p.products[i]), k -> new Sums());
                s.generations += p.generations[i];
                s.unpriced += p.unpriced[i];
                s.tokens += p.tokens[i];
                s.cost = s.cost.add(p.costs[i]);
            }
        }

        @Override
        public ContentPartial build() {
            List<Map.Entry<Key, Sums>> entries = new ArrayList<>(cells.entrySet());
            entries.removeIf(e -> e.getValue().generations == 0);
            ContentPartial p = new ContentPartial(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                Key k = entries.get(i).getKey();
                Sums s = entries.get(i).getValue();
                p.articles[i] = k.articleId();
                p.categories[i] = k.category();
                p.products[i] = k.contentProduct();
                p.generations[i] = s.generations;
                p.unpriced[i] = s.unpriced;
                p.tokens[i] = s.tokens;
                p.costs[i] = s.cost;
            }
            return p;
        }
    }
}
