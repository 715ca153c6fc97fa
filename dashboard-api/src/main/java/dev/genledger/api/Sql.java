package dev.genledger.api;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL text with its bind values in order, built from the fixed fragments of {@link DashboardSql}.
 * Values only ever travel as bind parameters; nothing a client sends becomes SQL text.
 */
final class Sql {
    /** A {@code text[]} bind value, for {@code col = ANY(?)}. */
    record TextArray(List<String> values) {}

    private final StringBuilder text = new StringBuilder(512);
    private final List<Object> binds = new ArrayList<>();

    Sql append(String fragment, Object... values) {
        text.append(fragment);
        binds.addAll(List.of(values));
        return this;
    }

    Sql append(Sql other) {
        text.append(other.text);
        binds.addAll(other.binds);
        return this;
    }

    String text() {
        return text.toString();
    }

    List<Object> binds() {
        return binds;
    }

    @Override
    public String toString() {
        return text + " " + binds;
    }
}
