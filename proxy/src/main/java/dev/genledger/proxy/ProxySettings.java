package dev.genledger.proxy;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the proxy listens and reaches its upstreams. Sizes in bytes, durations in milliseconds.
 *
 * @param upstreams     base URL per provider name
 * @param keyIdSecret   the secret of key ids (HMAC-SHA256 key)
 * @param trust         trust for upstream TLS; null means the JDK's default trust store
 */
public record ProxySettings(String bind, int port, Map<String, URI> upstreams, long maxRequestBodyBytes,
                            int maxHeaderBytes, int connectTimeoutMs, int idleTimeoutMs, int clientTimeoutMs,
                            int maxConnectionsPerUpstream, int poolIdleMs, int drainTimeoutMs, byte[] keyIdSecret,
                            TrustManagerFactory trust) {
    public ProxySettings {
        Objects.requireNonNull(bind, "bind");
        upstreams = Map.copyOf(upstreams);
        Objects.requireNonNull(keyIdSecret, "keyIdSecret");
        if (keyIdSecret.length < 16) {
            throw new IllegalArgumentException("keyIdSecret: " + keyIdSecret.length + " bytes (expected: >= 16)");
        }
        if (maxRequestBodyBytes <= 0 || maxHeaderBytes <= 0 || connectTimeoutMs <= 0 || idleTimeoutMs <= 0
                || clientTimeoutMs <= 0 || maxConnectionsPerUpstream <= 0 || poolIdleMs <= 0 || drainTimeoutMs < 0) {
            throw new IllegalArgumentException("proxy limits and timeouts must be positive: " + this);
        }
    }

    /** Defaults for tests and embedding: loopback, any free port, the documented limits. */
    public static ProxySettings defaults(Map<String, URI> upstreams, byte[] keyIdSecret) {
        return new ProxySettings("127.0.0.1", 0, upstreams, 64L * 1024 * 1024, 64 * 1024, 10_000, 300_000, 60_000,
                1024, 60_000, 30_000, keyIdSecret, null);
    }

    public ProxySettings withIdleTimeoutMs(int v) {
        return new ProxySettings(bind, port, upstreams, maxRequestBodyBytes, maxHeaderBytes, connectTimeoutMs, v,
                clientTimeoutMs, maxConnectionsPerUpstream, poolIdleMs, drainTimeoutMs, keyIdSecret, trust);
    }

    public ProxySettings withClientTimeoutMs(int v) {
        return new ProxySettings(bind, port, upstreams, maxRequestBodyBytes, maxHeaderBytes, connectTimeoutMs,
                idleTimeoutMs, v, maxConnectionsPerUpstream, poolIdleMs, drainTimeoutMs, keyIdSecret, trust);
    }

    public ProxySettings withMaxConnectionsPerUpstream(int v) {
        return new ProxySettings(bind, port, upstreams, maxRequestBodyBytes, maxHeaderBytes, connectTimeoutMs,
                idleTimeoutMs, clientTimeoutMs, v, poolIdleMs, drainTimeoutMs, keyIdSecret, trust);
    }

    public ProxySettings withMaxRequestBodyBytes(long v) {
        return new ProxySettings(bind, port, upstreams, v, maxHeaderBytes, connectTimeoutMs, idleTimeoutMs,
                clientTimeoutMs, maxConnectionsPerUpstream, poolIdleMs, drainTimeoutMs, keyIdSecret, trust);
    }

    public ProxySettings withConnectTimeoutMs(int v) {
        return new ProxySettings(bind, port, upstreams, maxRequestBodyBytes, maxHeaderBytes, v, idleTimeoutMs,
                clientTimeoutMs, maxConnectionsPerUpstream, poolIdleMs, drainTimeoutMs, keyIdSecret, trust);
    }

    public ProxySettings withTrust(TrustManagerFactory v) {
        return new ProxySettings(bind, port, upstreams, maxRequestBodyBytes, maxHeaderBytes, connectTimeoutMs,
                idleTimeoutMs, clientTimeoutMs, maxConnectionsPerUpstream, poolIdleMs, drainTimeoutMs, keyIdSecret, v);
    }

    @Override
    public String toString() {
        return "ProxySettings[bind=" + bind + ", port=" + port + ", upstreams=" + upstreams + ", maxRequestBodyBytes="
                + maxRequestBodyBytes + ", idleTimeoutMs=" + idleTimeoutMs + ", keyIdSecret=****]";
    }
}
