package dev.genledger.api;

import dev.genledger.ledger.ArticleStore;
import dev.genledger.ledger.LedgerStats;
import dev.genledger.ledger.budget.BudgetTracker;
import dev.genledger.pricing.PriceList;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard API (DESIGN.md, "Dashboard API contract (v1)"; issue 6): the JSON endpoints under
 * {@code /api/v1}, Prometheus text at {@code /metrics}, the OpenAPI description, and the static web
 * dashboard at {@code /} with ECharts at {@code /vendor/echarts/echarts.min.js}.
 *
 * <p>Usage: {@code new DashboardServer(settings, dataSource, priceList, writer::stats,
 * registry::scrape, budgetTracker, Clock.systemUTC()).start()}; {@link #stop()} at shutdown.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
    private static final String ERROR_WRITTEN = "genledger.error-written";

    private final DashboardSettings settings;
    private final Supplier<String> metrics;
    private final BearerAuth auth;
    private final ApiHandlers handlers;
    private final byte[] openApi;
    private Javalin app;

    /**
     * @param priceList   the effective catalog, for /api/v1/pricing
     * @param ledgerStats the writer's stats for /api/v1/health; null in a process without a writer
     * @param metrics     the Prometheus scrape text for /metrics; null answers 404 there
     * @param budget      the budget for {@code budget} in /api/v1/spend; null: {@code budget: null}
     * @param clock       "now" of the rolling windows
     */
    public DashboardServer(DashboardSettings settings, DataSource dataSource, PriceList priceList,
                           Supplier<LedgerStats> ledgerStats, Supplier<String> metrics, BudgetTracker budget,
                           Clock clock) {
        this(settings, dataSource, priceList, ledgerStats, metrics, budget, clock, PerformanceQuery.EXACT_MAX_ROWS);
    }

    DashboardServer(DashboardSettings settings, DataSource dataSource, PriceList priceList,
                    Supplier<LedgerStats> ledgerStats, Supplier<String> metrics, BudgetTracker budget, Clock clock,
                    long exactPercentileMaxRows) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(priceList, "priceList");
        Objects.requireNonNull(clock, "clock");
        this.metrics = metrics;
        this.auth = new BearerAuth(settings.token());
        Db db = new Db(dataSource);
        RequestParser parser = new RequestParser(clock, () -> db.query(DashboardSql.bounds(), rs -> {
            rs.next();
            Timestamp first = rs.getTimestamp(1);
            return first == null ? null : new RequestParser.Bounds(first.toInstant(), rs.getTimestamp(2).toInstant());
        }));
        UnitEngine engine = new UnitEngine(new UnitCache(UnitCache.DEFAULT_MAX_BYTES), clock);
        this.handlers = new ApiHandlers(db, engine, parser, priceList, ledgerStats, budget, new ArticleStore(dataSource),
                exactPercentileMaxRows);
        this.openApi = resource("/dev/genledger/api/openapi.json");
    }

    /** Binds and starts serving; fails if the port is taken. */
    public synchronized DashboardServer start() {
        if (app != null) {
            throw new IllegalStateException("the dashboard server was already started on port " + port());
        }
        app = Javalin.create(this::configure).start(settings.bindHost(), settings.port());
        log.info("dashboard: API and web page on http://{}:{}/ ({})", settings.bindHost(), port(),
                settings.token() == null ? "no token: open to anyone who can reach the address"
                        : "bearer token required on /api and /metrics");
        return this;
    }

    /** The port bound; with port 0 in the settings, the one picked. */
    public int port() {
        if (app == null) {
            throw new IllegalStateException("the dashboard server is not started");
        }
        return app.port();
    }

    public synchronized void stop() {
        if (app != null) {
            app.stop();
            app = null;
            log.info("dashboard: stopped");
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        // Jetty caches request header fields per connection and, by default, matches a cached value
        // ignoring case: after "Bearer Token" on a keep-alive connection, "Bearer TOKEN" would be
        // handed to us as "Bearer Token" and pass the check. Tokens are case-sensitive.
        config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
        config.staticFiles.add(sf -> {
            sf.hostedPath = "/";
            sf.directory = "/public";
            sf.location = Location.CLASSPATH;
        });
        var routes = config.routes;
        VendorScripts echarts = VendorScripts.echarts();
        if (echarts != null) {
            routes.get("/vendor/echarts/{file}", echarts::serve);
        } else {
            log.warn("dashboard: the ECharts webjar is not on the class path; /vendor/echarts/ will answer 404");
        }
        routes.before("/api/*", auth::check);
        routes.before("/metrics", auth::check);
        routes.get("/api/v1/spend", handlers::spend);
        routes.get("/api/v1/performance", handlers::performance);
        routes.get("/api/v1/content", handlers::content);
        routes.get("/api/v1/articles/{id}", handlers::article);
        routes.put("/api/v1/articles/{id}", handlers::putArticle);
        routes.get("/api/v1/generations", handlers::generations);
        routes.get("/api/v1/generations/{id}", handlers::generation);
        routes.get("/api/v1/pricing", handlers::pricing);
        routes.get("/api/v1/health", handlers::health);
        routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        routes.get("/metrics", this::metrics);

        routes.exception(Exception.class, this::failed);
        routes.error(404, ctx -> {
            if (ctx.path().startsWith("/api/") && ctx.attribute(ERROR_WRITTEN) == null) {
                error(ctx, 404, "not_found", "no endpoint " + ctx.method() + " " + ctx.path()
                        + "; the endpoints are listed in /api/v1/openapi.json", null);
            }
        });
    }

    private void metrics(Context ctx) {
        if (metrics == null) {
            throw ApiException.notFound("metrics are not collected in this process");
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get());
    }

    private void failed(Exception e, Context ctx) {
        if (ctx.res().isCommitted()) {
            // A stream (the CSV export) broke off after its first bytes: the client went away, or the
            // database did. The status is sent, so abort the exchange: the client then sees a chunked
            // body without its last chunk, an error, instead of a CSV that merely looks complete.
            log.warn("dashboard: {} {} broke off after the response started: {}", ctx.method(), ctx.path(),
                    e.toString());
            ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
            if (request != null) {
                request.getServletChannel().abort(e);
            }
            return;
        }
        if (e instanceof ApiException a) {
            error(ctx, a.status(), a.code(), a.getMessage(), a.parameter());
            return;
        }
        if (e instanceof io.javalin.http.HttpResponseException h) { // Javalin's own (a malformed request)
            error(ctx, h.getStatus(), h.getStatus() < 500 ? "bad_request" : "internal_error", h.getMessage(), null);
            return;
        }
        if (e instanceof UncheckedIOException) {
            log.info("dashboard: {} {} could not be answered: {}", ctx.method(), ctx.path(), e.toString());
        } else {
            log.error("dashboard: {} {} failed", ctx.method(), ctx.path(), e);
        }
        error(ctx, 500, "internal_error", "the server failed to answer (" + e.getClass().getSimpleName()
                + "); the gateway log has the details", null);
    }

    /** {@code {"error":{"code":…,"message":…[,"parameter":…]}}} with the status. */
    private static void error(Context ctx, int status, String code, String message, String parameter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
        ctx.status(status).contentType("application/json").result(Json.bytes(Map.of("error", body)));
    }

    private static byte[] resource(String path) {
        try (InputStream in = DashboardServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the dashboard-api jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
