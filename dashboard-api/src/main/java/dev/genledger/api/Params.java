package dev.genledger.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of one request, checked against the names the endpoint knows: a typo such
 * as {@code windw=7d} is a 400 naming it, not a silently ignored filter. Empty values count as
 * absent, so a form that sends {@code provider=} means "any provider".
 */
final class Params {
    private final Map<String, List<String>> values;

    Params(Map<String, List<String>> values, Set<String> allowed) {
        this.values = values;
        for (String name : values.keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.badParameter(name, String.join(",", values.get(name)),
                        "one of the parameters " + String.join(", ", new TreeSet<>(allowed))
                                + "; remove or correct it");
            }
        }
    }

    /** The parameter's value, or null when absent or empty; given twice is a 400. */
    String single(String name) {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw ApiException.badParameter(name, String.join(",", v), "the parameter once");
        }
        return v.isEmpty() ? null : v.get(0);
    }

    /** Every non-empty value of a repeatable parameter, in the order given. */
    List<String> all(String name) {
        List<String> v = values.getOrDefault(name, List.of());
        return v.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }

    int limit(int fallback, int max) {
        String v = single("limit");
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badParameter("limit", v, "an integer from 1 to " + max);
    }
}
