package dev.genledger.proxy.provider;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Read-only, case-insensitive access to HTTP headers, for adapters. */
@FunctionalInterface
public interface HeaderView {
    /** The first value of the header, or null. */
    String get(String name);

    HeaderView EMPTY = name -> null;

    /** A view over a map (tests). */
    static HeaderView of(Map<String, String> headers) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(headers);
        return m::get;
    }

    /** The media type of Content-Type, lower case and without parameters, or "". */
    default String mediaType() {
        String ct = get("content-type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }
}
