package dev.genledger.api;

import java.util.List;

/** Decodes PostgreSQL's {@code GROUPING(a, b, …)}: a bit per argument, set when not grouped by it. */
final class Grouping {
    private Grouping() {}

    /** The value {@code GROUPING(columns…)} has on rows of the grouping set {@code grouped}. */
    static int mask(List<String> columns, String... grouped) {
        List<String> g = List.of(grouped);
        int mask = 0;
        for (int i = 0; i < columns.size(); i++) {
            if (!g.contains(columns.get(i))) {
                mask |= 1 << (columns.size() - 1 - i);
            }
        }
        return mask;
    }
}
