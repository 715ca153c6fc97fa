package dev.genledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genledger.ledger.ArticleStore;
import dev.genledger.ledger.LedgerStats;
import dev.genledger.ledger.budget.BudgetTracker;
import dev.genledger.pricing.PriceList;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/** The handlers of /api/v1: read the parameters, run the query, write the answer. */
final class ApiHandlers {
    static final int CONTENT_DEFAULT_LIMIT = 20;
    static final int CONTENT_MAX_LIMIT = 1_000;
    static final int PAGE_DEFAULT_LIMIT = 100;
    static final int PAGE_MAX_LIMIT = 1_000;
    static final int CSV_MAX_LIMIT = 100_000_000;
    static final int ARTICLE_ID_MAX_LENGTH = 512;
    private static final Set<String> ARTICLE_FIELDS = Set.of("title", "category", "content_product", "url",
            "published_at");

    private final Db db;
    private final RequestParser parser;
    private final PriceList priceList;
    private final Supplier<LedgerStats> ledgerStats;
    private final BudgetTracker budget;
    private final ArticleStore articles;
    private final SpendQuery spend;
    private final PerformanceQuery performance;
    private final ContentQuery content;
    private final GenerationQuery generations;

    ApiHandlers(Db db, UnitEngine engine, RequestParser parser, PriceList priceList, Supplier<LedgerStats> ledgerStats,
                BudgetTracker budget, ArticleStore articles, long exactPercentileMaxRows) {
        this.db = db;
        this.parser = parser;
        this.priceList = priceList;
        this.ledgerStats = ledgerStats;
        this.budget = budget;
        this.articles = articles;
        this.spend = new SpendQuery(db, engine, false);
        this.performance = new PerformanceQuery(db, engine, exactPercentileMaxRows, false);
        this.content = new ContentQuery(db, engine, false);
        this.generations = new GenerationQuery(db);
    }

    static void json(Context ctx, Object value) {
        ctx.contentType("application/json").result(Json.bytes(value));
    }

    void spend(Context ctx) {
        Params p = new Params(ctx.queryParamMap(), RequestParser.common("tag_key"));
        Window w = parser.window(p);
        Filters f = parser.filters(p);
        String tagKey = p.single("tag_key");
        json(ctx, spend.run(w, f, tagKey, budget == null ? null : budget.snapshot()));
    }

    void performance(Context ctx) {
        Params p = new Params(ctx.queryParamMap(), RequestParser.COMMON);
        json(ctx, performance.run(parser.window(p), parser.filters(p)));
    }

    void content(Context ctx) {
        Params p = new Params(ctx.queryParamMap(), RequestParser.common("limit"));
        Window w = parser.window(p);
        Filters f = parser.filters(p);
        json(ctx, content.run(w, f, p.limit(CONTENT_DEFAULT_LIMIT, CONTENT_MAX_LIMIT)));
    }

    void generations(Context ctx) throws IOException {
        Params p = new Params(ctx.queryParamMap(), RequestParser.common("limit", "cursor", "format"));
        Window w = parser.window(p);
        Filters f = parser.filters(p);
        String cursorText = p.single("cursor");
        Cursor cursor = cursorText == null ? null : Cursor.decode(cursorText);
        String format = p.single("format");
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw ApiException.badParameter("format", format, "json or csv");
        }
        String accept = ctx.header("Accept");
        boolean csv = "csv".equals(format) || (format == null && accept != null && accept.contains("text/csv"));
        if (!csv) {
            json(ctx, generations.page(w, f, cursor, p.limit(PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT)));
            return;
        }
        Integer limit = p.single("limit") == null ? null : p.limit(PAGE_DEFAULT_LIMIT, CSV_MAX_LIMIT);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"generations.csv\"");
        generations.csv(w, f, cursor, limit, ctx.res().getOutputStream());
    }

    void generation(Context ctx) {
        new Params(ctx.queryParamMap(), Set.of());
        String id = ctx.pathParam("id");
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("id", id, "a generation id (a UUID, as in the X-Generation-Id header)");
        }
        json(ctx, generations.one(uuid));
    }

    void article(Context ctx) {
        new Params(ctx.queryParamMap(), Set.of());
        json(ctx, generations.article(articleId(ctx)));
    }

    /** PUT replaces the article's metadata: a field left out becomes null. */
    void putArticle(Context ctx) {
        new Params(ctx.queryParamMap(), Set.of());
        String id = articleId(ctx);
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw ApiException.badRequest("body", "the body is not JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "); send an object such as {\"title\":\"…\",\"category\":\"politics\"}");
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "the body must be a JSON object with any of the fields "
                    + new TreeSet<>(ARTICLE_FIELDS));
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!ARTICLE_FIELDS.contains(e.getKey())) {
                unknown.add(e.getKey());
            } else if (!e.getValue().isNull() && !e.getValue().isTextual()) {
                throw ApiException.badRequest(e.getKey(), e.getKey() + ": " + e.getValue()
                        + " (expected: a string or null)");
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest(unknown.get(0), "unknown field(s) " + unknown + " (expected: any of "
                    + new TreeSet<>(ARTICLE_FIELDS) + ")");
        }
        Instant published = null;
        String publishedText = text(body, "published_at");
        if (publishedText != null) {
            try {
                published = Instant.parse(publishedText);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("published_at", "published_at: '" + publishedText
                        + "' (expected: an ISO instant such as 2026-11-20T08:00:00Z, or null)");
            }
        }
        try {
            articles.upsert(new ArticleStore.Article(id, text(body, "title"), text(body, "category"),
                    text(body, "content_product"), text(body, "url"), published));
        } catch (SQLException e) {
            throw Db.unavailableOrInternal(e);
        }
        json(ctx, generations.article(id));
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String articleId(Context ctx) {
        String id = ctx.pathParam("id");
        if (id.isBlank() || id.length() > ARTICLE_ID_MAX_LENGTH) {
            throw ApiException.badParameter("id", id.length() > 40 ? id.substring(0, 40) + "…" : id,
                    "an article id of 1 to " + ARTICLE_ID_MAX_LENGTH + " characters, as sent in X-Article-Id");
        }
        return id;
    }

    void pricing(Context ctx) {
        new Params(ctx.queryParamMap(), Set.of());
        List<PricingView.UnpricedModel> unpriced = db.query(DashboardSql.unpricedModels(), rs -> {
            List<PricingView.UnpricedModel> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new PricingView.UnpricedModel(rs.getString("provider"), rs.getString("model"),
                        rs.getLong("unpriced"), rs.getObject("last_day", java.time.LocalDate.class).toString()));
            }
            return out;
        });
        json(ctx, new PricingView(priceList.entries().stream().map(PricingView.Entry::of).toList(), unpriced,
                priceList.unpricedModelsSeen().stream().sorted().toList()));
    }

    void health(Context ctx) {
        new Params(ctx.queryParamMap(), Set.of());
        boolean up;
        try {
            up = db.query(DashboardSql.ping(), rs -> rs.next());
        } catch (RuntimeException e) {
            up = false; // unreachable, or refusing queries: either way not up
        }
        HealthView h = HealthView.of(up, ledgerStats == null ? null : ledgerStats.get());
        ctx.status(up ? 200 : 503);
        json(ctx, h);
    }
}
