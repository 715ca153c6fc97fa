package dev.genledger.api;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The row filters of a request. Values of one dimension are alternatives ({@code provider=openai
 * &provider=gemini}); dimensions and tags must all match. Category and content product are the
 * effective values: the generation's headers, else its article's.
 *
 * @param tags {@code key:value} pairs, each a JSON object {@code {"key":"value"}} for {@code tags @>}
 */
record Filters(Map<Dim, List<String>> values, List<String> tags) {
    /** A filterable dimension: its query parameter, its rollup column, its expression on raw rows. */
    enum Dim {
        PROVIDER("provider", "provider", "g.provider"),
        MODEL("model", "model", "g.model"),
        TASK("task", "task", "g.task"),
        CATEGORY("category", "category", "COALESCE(g.category, a.category)"),
        CONTENT_PRODUCT("content_product", "content_product", "COALESCE(g.content_product, a.content_product)"),
        ARTICLE_ID("article_id", "article_id", "g.article_id"),
        KEY_ID("key_id", "key_id", "g.key_id");

        final String param;
        final String column;
        final String rawExpression;

        Dim(String param, String column, String rawExpression) {
            this.param = param;
            this.column = column;
            this.rawExpression = rawExpression;
        }
    }

    /** Dimensions of {@code rollup_daily} and {@code rollup_hourly}. */
    static final Set<Dim> CUBE = Set.of(Dim.PROVIDER, Dim.MODEL, Dim.TASK, Dim.CATEGORY, Dim.CONTENT_PRODUCT,
            Dim.KEY_ID);
    /** Dimensions of {@code latency_hist_daily}. */
    static final Set<Dim> HISTOGRAM = Set.of(Dim.PROVIDER, Dim.MODEL, Dim.TASK);
    /** Dimensions of {@code article_daily}. */
    static final Set<Dim> ARTICLES = Set.of(Dim.ARTICLE_ID, Dim.CATEGORY, Dim.CONTENT_PRODUCT);

    static final Filters NONE = new Filters(Map.of(), List.of());

    Filters {
        Map<Dim, List<String>> copy = new EnumMap<>(Dim.class);
        values.forEach((k, v) -> {
            if (!v.isEmpty()) {
                copy.put(k, List.copyOf(v));
            }
        });
        values = copy;
        tags = List.copyOf(tags);
    }

    boolean isEmpty() {
        return values.isEmpty() && tags.isEmpty();
    }

    /** Whether a rollup with these dimensions (and no tags) can answer the filters. */
    boolean answerableBy(Set<Dim> dimensions) {
        return tags.isEmpty() && dimensions.containsAll(values.keySet());
    }

    /** Whether the raw query must join {@code article} for effective category or product. */
    boolean needsArticle() {
        return values.containsKey(Dim.CATEGORY) || values.containsKey(Dim.CONTENT_PRODUCT);
    }

    /** {@code AND r.col = ANY(?)} for each filter, on a rollup aliased {@code r}. */
    Sql rollupConditions() {
        Sql s = new Sql();
        values.forEach((dim, v) -> s.append(" AND r." + dim.column + " = ANY(?)", new Sql.TextArray(v)));
        if (!tags.isEmpty()) {
            throw new IllegalStateException("tags cannot be answered by a rollup");
        }
        return s;
    }

    /** The same conditions on raw rows {@code g} (joined with {@code article a} when needed). */
    Sql rawConditions() {
        Sql s = new Sql();
        values.forEach((dim, v) -> s.append(" AND " + dim.rawExpression + " = ANY(?)", new Sql.TextArray(v)));
        for (String tag : tags) {
            s.append(" AND g.tags @> ?::jsonb", tag);
        }
        return s;
    }

    List<String> describe() {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> out.add(k.param + "=" + String.join("|", v)));
        out.addAll(tags);
        return out;
    }
}
