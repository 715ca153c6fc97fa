package dev.genledger.api;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Content of a unit (or of a whole window, once merged): per article its totals, and per effective
 * category and per content product their sums with the positions of the articles they hold, so
 * distinct articles per group merge as bit sets instead of hash sets of ids. Articles are produced
 * in bursts, so a day holds a few hundred to a few thousand of them, each once.
 */
final class ContentPartial {
    /** A category's or product's sums, and which of {@link #articles} it holds. */
    record Group(long generations, long unpriced, long tokens, BigDecimal cost, int[] positions) {}

    final String[] articles;
    final long[] generations;
    final long[] unpriced;
    final long[] tokens;
    final BigDecimal[] cost;
    final Map<String, Group> categories;
    final Map<String, Group> products;

    private ContentPartial(String[] articles, long[] generations, long[] unpriced, long[] tokens, BigDecimal[] cost,
                           Map<String, Group> categories, Map<String, Group> products) {
        this.articles = articles;
        this.generations = generations;
        this.unpriced = unpriced;
        this.tokens = tokens;
        this.cost = cost;
        this.categories = categories;
        this.products = products;
    }

    long weight() {
        long w = 128 + articles.length * 120L;
        for (Group g : categories.values()) {
            w += 96 + g.positions().length * 4L;
        }
        for (Group g : products.values()) {
            w += 96 + g.positions().length * 4L;
        }
        return w;
    }

    /** Reads rows (article, category, product, sums) or merges partials; both into the same accumulators. */
    static final class Builder implements PartialQuery.Builder<ContentPartial> {
        private final Map<String, Integer> index = new HashMap<>();
        private String[] names = new String[64];
        private long[] generations = new long[64];
        private long[] unpriced = new long[64];
        private long[] tokens = new long[64];
        private BigDecimal[] cost = new BigDecimal[64];
        private final Map<String, GroupSums> categories = new HashMap<>();
        private final Map<String, GroupSums> products = new HashMap<>();

        private static final class GroupSums {
            long generations;
            long unpriced;
            long tokens;
            BigDecimal cost = BigDecimal.ZERO;
            final BitSet articles = new BitSet();

            void add(long g, long u, long t, BigDecimal c) {
                generations += g;
                unpriced += u;
                tokens += t;
                cost = cost.add(c);
            }

            Group group() {
                return new Group(generations, unpriced, tokens, cost, articles.stream().toArray());
            }
        }

        private int position(String article) {
            Integer p = index.get(article);
            if (p != null) {
                return p;
            }
            int n = index.size();
            if (n == names.length) {
                int size = n * 2;
                names = Arrays.copyOf(names, size);
                generations = Arrays.copyOf(generations, size);
                unpriced = Arrays.copyOf(unpriced, size);
                tokens = Arrays.copyOf(tokens, size);
                cost = Arrays.copyOf(cost, size);
            }
            names[n] = article;
            cost[n] = BigDecimal.ZERO;
            index.put(article, n);
            return n;
        }

        private void addArticle(int p, long g, long u, long t, BigDecimal c) {
            generations[p] += g;
            unpriced[p] += u;
            tokens[p] += t;
            cost[p] = cost[p].add(c);
        }

        @Override
        public void add(ResultSet rs) throws SQLException {
            long g = rs.getLong("generations");
            if (g == 0) {
                return; // a cell emptied by an article's re-attribution
            }
            long u = rs.getLong("unpriced");
            long t = rs.getLong("tokens");
            BigDecimal c = rs.getBigDecimal("cost_usd");
            c = c == null ? BigDecimal.ZERO : c;
            int p = position(rs.getString("article_id"));
            addArticle(p, g, u, t, c);
            GroupSums cat = categories.computeIfAbsent(rs.getString("category"), k -> new GroupSums());
            cat.add(g, u, t, c);
            cat.articles.set(p);
            GroupSums prod = products.computeIfAbsent(rs.getString("content_product"), k -> new GroupSums());
            prod.add(g, u, t, c);
            prod.articles.set(p);
        }

        @Override
        public void merge(ContentPartial part) {
            int[] map = new int[part.articles.length];
            for (int i = 0; i < map.length; i++) {
                map[i] = position(part.articles[i]);
                addArticle(map[i], part.generations[i], part.unpriced[i], part.tokens[i], part.cost[i]);
            }
            merge(categories, part.categories, map);
            merge(products, part.products, map);
        }

        private static void merge(Map<String, GroupSums> into, Map<String, Group> from, int[] map) {
            from.forEach((k, g) -> {
                GroupSums s = into.computeIfAbsent(k, x -> new GroupSums());
                s.add(g.generations(), g.unpriced(), g.tokens(), g.cost());
                for (int p : g.positions()) {
                    s.articles.set(map[p]);
                }
            });
        }

        @Override
        public ContentPartial build() {
            int n = index.size();
            Map<String, Group> cats = new HashMap<>();
            categories.forEach((k, s) -> cats.put(k, s.group()));
            Map<String, Group> prods = new HashMap<>();
            products.forEach((k, s) -> prods.put(k, s.group()));
            return new ContentPartial(Arrays.copyOf(names, n), Arrays.copyOf(generations, n),
                    Arrays.copyOf(unpriced, n), Arrays.copyOf(tokens, n), Arrays.copyOf(cost, n), cats, prods);
        }
    }
}
