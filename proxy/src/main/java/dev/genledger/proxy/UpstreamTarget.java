package dev.genledger.proxy;

import java.net.URI;
import java.util.Locale;

/**
 * A provider's upstream base URL, parsed once: where to connect, what {@code Host} to send, and
 * the path prefix (if the base URL has one) to put before the client's path.
 */
record UpstreamTarget(String provider, boolean tls, String host, int port, String hostHeader, String basePath) {

    static UpstreamTarget of(String provider, URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("https");
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        boolean defaultPort = url.getPort() < 0 || (tls && port == 443) || (!tls && port == 80);
        String host = url.getHost();
        String bracketed = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String base = url.getRawPath() == null ? "" : url.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String connectHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new UpstreamTarget(provider, tls, connectHost, port, defaultPort ? bracketed : bracketed + ":" + port, base);
    }

    /** The request target to send upstream for the client's path and raw query. */
    String requestTarget(String path, String rawQuery) {
        return basePath + path + (rawQuery == null ? "" : "?" + rawQuery);
    }
}
