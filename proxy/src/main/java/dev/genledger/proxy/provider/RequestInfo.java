package dev.genledger.proxy.provider;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request as its adapter sees it, once routed.
 *
 * @param method        HTTP method, upper case
 * @param path          the upstream path without the provider prefix, percent-decoding left as
 *                      sent: {@code /v1/chat/completions}, {@code /v1beta/models/gemini-2.5-flash:generateContent}
 * @param query         the query parameters, decoded, in order; the credential parameter
 *                      {@code key} is not included
 * @param headers       the request headers as the client sent them
 * @param contentLength the declared body length, or -1 (chunked or none)
 */
public record RequestInfo(String method, String path, Map<String, List<String>> query, HeaderView headers,
                          long contentLength) {
    public RequestInfo {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? HeaderView.EMPTY : headers;
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
