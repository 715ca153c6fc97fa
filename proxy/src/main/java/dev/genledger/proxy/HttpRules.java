package dev.genledger.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which headers a proxy forwards. Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection
 * and are dropped, together with every header the {@code Connection} header names; end-to-end
 * headers pass untouched.
 */
final class HttpRules {
    private HttpRules() {}

    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    /** Content codings the gateway can decode for its copy of a body. */
    static final Set<String> DECODABLE = Set.of("gzip", "x-gzip", "deflate", "br", "identity");

    /** Copies end-to-end headers, leaving out hop-by-hop ones and any in {@code skip}. */
    static void copyEndToEnd(HttpHeaders from, HttpHeaders to, Set<String> skip) {
        Set<String> named = connectionOptions(from);
        for (var e : from) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name) && !skip.contains(name)) {
                to.add(e.getKey(), e.getValue());
            }
        }
    }

    private static Set<String> connectionOptions(HttpHeaders h) {
        List<String> values = h.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return Set.of();
        }
        java.util.HashSet<String> out = new java.util.HashSet<>();
        for (String v : values) {
            for (String option : v.split(",")) {
                out.add(option.strip().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /**
     * The client's Accept-Encoding limited to codings the gateway can decode, so that it can always
     * read its copy of the response (the client still gets only codings it accepted). Returns null
     * when nothing remains (identity).
     */
    static String acceptEncoding(String clientValue) {
        if (clientValue == null) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String part : clientValue.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            String coding = p.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (DECODABLE.contains(coding)) {
                kept.add(p);
            }
        }
        return kept.isEmpty() ? null : String.join(", ", kept);
    }
}
