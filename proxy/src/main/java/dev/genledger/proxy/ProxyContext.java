package dev.genledger.proxy;

import dev.genledger.ledger.LedgerRecord;
import dev.genledger.pricing.Pricer;
import dev.genledger.proxy.provider.ProviderAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** What every connection of one proxy shares. */
final class ProxyContext {
    final ProxySettings settings;
    final Map<String, ProviderAdapter> adapters;
    final Map<String, UpstreamTarget> targets;
    final SslContext ssl;
    final Pricer pricer;
    final Consumer<LedgerRecord> ledger;
    final ProxyMetrics metrics;
    final KeyIds keyIds;
    final BooleanSupplier budgetCapReached;
    final AtomicInteger inFlight = new AtomicInteger();
    final String validPrefixes;
    private final ConcurrentHashMap<EventLoop, Map<String, UpstreamPool>> pools = new ConcurrentHashMap<>();

    ProxyContext(ProxySettings settings, Map<String, ProviderAdapter> adapters, SslContext ssl, Pricer pricer,
                 Consumer<LedgerRecord> ledger, ProxyMetrics metrics, BooleanSupplier budgetCapReached) {
        this.settings = settings;
        this.adapters = Map.copyOf(adapters);
        Map<String, UpstreamTarget> t = new HashMap<>();
        settings.upstreams().forEach((name, url) -> t.put(name, UpstreamTarget.of(name, url)));
        this.targets = Map.copyOf(t);
        this.ssl = ssl;
        this.pricer = pricer;
        this.ledger = ledger;
        this.metrics = metrics;
        this.keyIds = new KeyIds(settings.keyIdSecret());
        this.budgetCapReached = budgetCapReached;
        this.validPrefixes = String.join(", ", adapters.keySet().stream().sorted().map(p -> "/" + p + "/").toList());
    }

    /** The calling event loop's pool for a provider (created on first use, on that loop). */
    UpstreamPool pool(EventLoop loop, String provider) {
        Map<String, UpstreamPool> perLoop = pools.computeIfAbsent(loop, l -> new HashMap<>());
        return perLoop.computeIfAbsent(provider, p -> {
            UpstreamTarget target = targets.get(p);
            int perLoopMax = Math.max(1, settings.maxConnectionsPerUpstream() / Math.max(1, loopCount));
            return new UpstreamPool(loop, target, target.tls() ? ssl : null, perLoopMax, settings.connectTimeoutMs(),
                    settings.poolIdleMs(), settings.maxHeaderBytes());
        });
    }

    volatile int loopCount = 1;

    /** Closes the idle pooled connections of every loop (each on its own loop). */
    void closePools() {
        pools.forEach((loop, perLoop) -> loop.execute(() -> perLoop.values().forEach(UpstreamPool::closeIdle)));
    }

    List<String> providers() {
        return adapters.keySet().stream().sorted().toList();
    }
}
