package dev.genledger.config;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's configuration, immutable once loaded. Nullable fields are settings that are unset
 * by default; they are documented as such. Build one with {@link ConfigLoader}.
 */
public record GatewayConfig(
        String bind,
        Proxy proxy,
        Map<String, Upstream> upstreams,
        Api api,
        Database database,
        Path dataDir,
        Ledger ledger,
        Pricing pricing,
        Budget budget,
        /* nullable: generated into the data dir when unset */ String keyIdSecret) {

    public GatewayConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(proxy, "proxy");
        upstreams = Map.copyOf(upstreams);
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(budget, "budget");
    }

    /** Proxy listener and upstream client settings; durations in milliseconds, sizes in bytes. */
    public record Proxy(int port, long maxRequestBodyBytes, int maxHeaderBytes, int connectTimeoutMs,
                        int idleTimeoutMs, int clientTimeoutMs, int maxConnectionsPerUpstream, int poolIdleMs,
                        int drainTimeoutMs) {}

    /** One provider's upstream. */
    public record Upstream(URI url, boolean injectStreamUsage) {
        public Upstream {
            Objects.requireNonNull(url, "url");
        }
    }

    /** @param token nullable: no authentication */
    public record Api(int port, String token) {
        @Override
        public String toString() {
            return "Api[port=" + port + ", token=" + (token == null ? "unset" : "****") + "]";
        }
    }

    /** @param url nullable: embedded PostgreSQL under the data dir */
    public record Database(String url, String user, String password, int poolSize) {
        public boolean embedded() {
            return url == null;
        }

        @Override
        public String toString() {
            return "Database[url=" + (url == null ? "embedded" : url) + ", user=" + user + ", password="
                    + (password == null ? "unset" : "****") + ", poolSize=" + poolSize + "]";
        }
    }

    public record Ledger(int queueCapacity, int batchMaxRows, int lingerMs, int spoolFsyncIntervalMs,
                         int spoolFsyncRows, int shutdownTimeoutMs) {}

    /** @param file nullable: the bundled catalog only */
    public record Pricing(Path file, BigDecimal elevenLabsUsdPerCredit) {}

    /**
     * @param monthlyUsd nullable: no budget
     * @param webhookUrl nullable: alerts are only logged
     */
    public record Budget(BigDecimal monthlyUsd, List<BigDecimal> alertThresholdsPercent, URI webhookUrl,
                         boolean hardCap, int refreshMs) {
        public Budget {
            alertThresholdsPercent = List.copyOf(alertThresholdsPercent);
        }
    }

    /** The upstream for a provider name as routed ({@code openai}, …). */
    public Upstream upstream(String provider) {
        Upstream u = upstreams.get(provider);
        if (u == null) {
            throw new IllegalArgumentException("provider: " + provider + " (expected one of " + ConfigKeys.PROVIDERS + ")");
        }
        return u;
    }

    /** Whether {@link #bind} is a loopback address (127.0.0.0/8, ::1, localhost). */
    public boolean bindIsLoopback() {
        return isLoopback(bind);
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:\\[\\]]+")) {
            return false; // a host name other than localhost: treat as reachable from outside
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
