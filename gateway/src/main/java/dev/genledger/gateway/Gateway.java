package dev.genledger.gateway;

import dev.genledger.api.DashboardServer;
import dev.genledger.api.DashboardSettings;
import dev.genledger.config.GatewayConfig;
import dev.genledger.ledger.LedgerDatabase;
import dev.genledger.ledger.LedgerSettings;
import dev.genledger.ledger.LedgerWriter;
import dev.genledger.ledger.budget.BudgetSettings;
import dev.genledger.ledger.budget.BudgetTracker;
import dev.genledger.pricing.PriceCatalog;
import dev.genledger.proxy.Providers;
import dev.genledger.proxy.ProxyServer;
import dev.genledger.proxy.ProxySettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway process: the pieces a role needs, started in dependency order and stopped in the
 * reverse order, each stop bounded and logged: stop accepting requests, drain in-flight ones,
 * stop the API, flush the ledger (the rest goes to the spool), stop the budget tracker, close the
 * pool, stop the embedded PostgreSQL.
 */
final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Role role;
    private final LedgerDatabase database;
    private final PrometheusMeterRegistry registry;
    private final BudgetTracker budget;
    private final LedgerWriter writer;
    private final ProxyServer proxy;
    private final DashboardServer api;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    private Gateway(GatewayConfig config, Role role, LedgerDatabase database, PrometheusMeterRegistry registry,
                    BudgetTracker budget, LedgerWriter writer, ProxyServer proxy, DashboardServer api) {
        this.config = config;
        this.role = role;
        this.database = database;
        this.registry = registry;
        this.budget = budget;
        this.writer = writer;
        this.proxy = proxy;
        this.api = api;
    }

    static Gateway start(GatewayConfig config, Role role) throws Exception {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("the data directory " + config.dataDir() + " cannot be created; "
                    + "set GENLEDGER_DATA_DIR to a writable directory", e);
        }
        PriceCatalog catalog = PriceCatalog.load(config.pricing().file(), config.pricing().elevenLabsUsdPerCredit());
        GatewayConfig.Database db = config.database();
        LedgerDatabase database = LedgerDatabase.open(db.url(), db.user(), db.password(), db.poolSize(),
                config.dataDir().resolve("postgres"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        BudgetTracker budget = null;
        LedgerWriter writer = null;
        ProxyServer proxy = null;
        DashboardServer api = null;
        try {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmGcMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            GatewayConfig.Budget b = config.budget();
            if (b.monthlyUsd() != null) {
                budget = BudgetTracker.start(database.dataSource(), new BudgetSettings(b.monthlyUsd(),
                        b.alertThresholdsPercent(), b.webhookUrl(), b.hardCap(), b.refreshMs(), Clock.systemUTC()));
            }
            if (role.runsProxy()) {
                GatewayConfig.Ledger l = config.ledger();
                writer = LedgerWriter.start(database.dataSource(), catalog, new LedgerSettings(
                        config.dataDir().resolve("spool"), l.queueCapacity(), l.batchMaxRows(), l.lingerMs(),
                        l.spoolFsyncIntervalMs(), l.spoolFsyncRows(), l.shutdownTimeoutMs()));
                ledgerGauges(registry, writer);
                BudgetTracker cap = budget != null && b.hardCap() ? budget : null;
                proxy = ProxyServer.start(proxySettings(config), Providers.all(
                                config.upstream("openai").injectStreamUsage()), catalog, writer::offer, registry,
                        cap == null ? null : cap::hardCapReached);
            }
            if (role.runsApi()) {
                LedgerWriter w = writer;
                api = new DashboardServer(new DashboardSettings(config.bind(), config.api().port(), config.api().token()),
                        database.dataSource(), catalog, w == null ? null : w::stats, registry::scrape, budget,
                        Clock.systemUTC()).start();
            }
            return new Gateway(config, role, database, registry, budget, writer, proxy, api);
        } catch (Exception | Error e) {
            closeQuietly(proxy, api, writer, budget, database);
            throw e;
        }
    }

    private static ProxySettings proxySettings(GatewayConfig c) {
        GatewayConfig.Proxy p = c.proxy();
        Map<String, URI> upstreams = new LinkedHashMap<>();
        c.upstreams().forEach((name, u) -> upstreams.put(name, u.url()));
        return new ProxySettings(c.bind(), p.port(), upstreams, p.maxRequestBodyBytes(), p.maxHeaderBytes(),
                p.connectTimeoutMs(), p.idleTimeoutMs(), p.clientTimeoutMs(), p.maxConnectionsPerUpstream(),
                p.poolIdleMs(), p.drainTimeoutMs(), KeyIdSecret.load(c.keyIdSecret(), c.dataDir()), null);
    }

    private static void ledgerGauges(PrometheusMeterRegistry registry, LedgerWriter w) {
        Gauge.builder("genledger.ledger.queued", w, x -> x.stats().queued())
                .description("Ledger records in memory on their way to the database").register(registry);
        Gauge.builder("genledger.ledger.spooled", w, x -> x.stats().spooled())
                .description("Ledger records in the disk spool, waiting for the database").register(registry);
        Gauge.builder("genledger.ledger.written", w, x -> x.stats().written())
                .description("Ledger rows written by this process").register(registry);
        Gauge.builder("genledger.ledger.rejected", w, x -> x.stats().rejected())
                .description("Ledger records the database refused as invalid").register(registry);
        Gauge.builder("genledger.ledger.database.up", w, x -> x.stats().databaseUp() ? 1 : 0)
                .description("1 when the ledger database answers").register(registry);
    }

    /** The lines printed at start-up: where everything listens, which database is in use. */
    String banner(String version) {
        String host = config.bind().equals("0.0.0.0") || config.bind().equals("::") ? "localhost" : config.bind();
        StringBuilder b = new StringBuilder();
        b.append("GenLedger ").append(version).append(" (role ").append(role.wire()).append(")\n");
        if (proxy != null) {
            b.append("  proxy      http://").append(host).append(':').append(proxy.port())
                    .append("   (OpenAI base URL http://").append(host).append(':').append(proxy.port())
                    .append("/openai/v1)\n");
        }
        if (api != null) {
            b.append("  API        http://").append(host).append(':').append(api.port()).append("/api/v1\n");
            b.append("  dashboard  http://").append(host).append(':').append(api.port()).append("/\n");
            b.append("  metrics    http://").append(host).append(':').append(api.port()).append("/metrics\n");
        }
        b.append("  database   ").append(database.description()).append('\n');
        b.append("  data       ").append(config.dataDir().toAbsolutePath().normalize()).append('\n');
        return b.toString();
    }

    int proxyPort() {
        return proxy == null ? -1 : proxy.port();
    }

    int apiPort() {
        return api == null ? -1 : api.port();
    }

    LedgerDatabase database() {
        return database;
    }

    LedgerWriter writer() {
        return writer;
    }

    boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        log.info("gateway: shutting down");
        long t0 = System.nanoTime();
        closeQuietly(proxy, api, writer, budget, database);
        registry.close();
        log.info("gateway: stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        stopped.countDown();
    }

    /** Closes in the order given, logging what fails and going on. */
    private static void closeQuietly(AutoCloseable... parts) {
        for (AutoCloseable c : parts) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                log.error("gateway: {} did not stop cleanly", c.getClass().getSimpleName(), e);
            }
        }
    }
}
