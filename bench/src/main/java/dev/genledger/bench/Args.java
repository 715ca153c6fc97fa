package dev.genledger.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} arguments of a benchmark. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("argument " + a + " (expected: --name value)");
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                values.put(key, argv[++i]);
            } else {
                values.put(key, "true");
            }
        }
    }

    public long getLong(String key, long fallback) {
        String v = values.get(key);
        return v == null ? fallback : Long.parseLong(v.replace("_", ""));
    }

    public int getInt(String key, int fallback) {
        return (int) getLong(key, fallback);
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }
}
