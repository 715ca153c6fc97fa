package dev.genledger.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy's meters (Prometheus names after Micrometer's conversion): requests by provider,
 * operation and status ({@code genledger_proxy_requests_total}), latency and time to first byte
 * histograms ({@code genledger_proxy_latency_seconds}, {@code genledger_proxy_ttfb_seconds}),
 * upstream errors by kind ({@code genledger_proxy_upstream_errors_total}), requests the gateway
 * refused by reason ({@code genledger_proxy_rejected_total}) and open client connections
 * ({@code genledger_proxy_connections_open}). Meters are cached so that recording allocates nothing.
 */
final class ProxyMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

    /** A meter's name and tag values: found per request without building a string. */
    private record Key(char meter, String a, String b, int status) {}

    ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("genledger.proxy.connections.open", open);
    }

    void connectionOpened() {
        open.incrementAndGet();
    }

    void connectionClosed() {
        open.decrementAndGet();
    }

    int openConnections() {
        return open.get();
    }

    void request(String provider, String operation, int status, long latencyNanos, long ttfbNanos) {
        counters.computeIfAbsent(new Key('r', provider, operation, status), k -> Counter
                .builder("genledger.proxy.requests").description("Requests through the proxy")
                .tags("provider", provider, "operation", operation, "status", Integer.toString(status))
                .register(registry)).increment();
        timers.computeIfAbsent(new Key('l', provider, operation, 0), k -> Timer.builder("genledger.proxy.latency")
                .description("Request received to last byte sent to the client")
                .tags("provider", provider, "operation", operation)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry))
                .record(latencyNanos, TimeUnit.NANOSECONDS);
        if (ttfbNanos >= 0) {
            timers.computeIfAbsent(new Key('t', provider, null, 0), k -> Timer.builder("genledger.proxy.ttfb")
                    .description("Request received to first upstream response byte").tags("provider", provider)
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(10)).register(registry))
                    .record(ttfbNanos, TimeUnit.NANOSECONDS);
        }
    }

    void upstreamError(String provider, String kind) {
        counters.computeIfAbsent(new Key('u', provider, kind, 0), k -> Counter.builder("genledger.proxy.upstream.errors")
                .description("Upstream connect failures, timeouts and resets")
                .tags("provider", provider, "kind", kind).register(registry)).increment();
    }

    void rejected(String reason) {
        counters.computeIfAbsent(new Key('x', reason, null, 0), k -> Counter.builder("genledger.proxy.rejected")
                .description("Requests the gateway answered itself").tags("reason", reason).register(registry))
                .increment();
    }
}
