package dev.genledger.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
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

    /** {@link #HOP_BY_HOP}, as names the headers find without a conversion. */
    private static final List<AsciiString> HOP_BY_HOP_NAMES = HOP_BY_HOP.stream().map(AsciiString::cached).toList();

    /**
     * Leaves only end-to-end headers, in place: removes the hop-by-hop ones, those the
     * {@code Connection} header names, and the given names (lower case). Forwarding a message's own
     * headers this way copies nothing: a request and its response used to build two copies.
     */
    static void keepEndToEnd(HttpHeaders h, List<AsciiString> remove) {
        if (h.contains(HttpHeaderNames.CONNECTION)) {
            for (String option : connectionOptions(h)) {
                h.remove(option);
            }
        }
        for (AsciiString name : HOP_BY_HOP_NAMES) {
            h.remove(name);
        }
        for (AsciiString name : remove) {
            h.remove(name);
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

    /** Whether a segment of the path is "." or "..", percent-encoded or not. */
    static boolean hasDotSegment(String path) {
        int n = path.length();
        int start = 0;
        while (start <= n) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            int dots = 0;
            int i = start;
            while (i < end && dots <= 2) {
                if (path.charAt(i) == '.') {
                    i++;
                } else if (path.startsWith("%2e", i) || path.startsWith("%2E", i)) {
                    i += 3;
                } else {
                    break;
                }
                dots++;
            }
            if (i == end && dots >= 1 && dots <= 2) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
