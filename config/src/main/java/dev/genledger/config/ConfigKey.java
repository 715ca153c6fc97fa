package dev.genledger.config;

import java.util.Objects;

/**
 * One configuration setting: where it lives in the YAML file, the environment variable that
 * overrides it, how its text is parsed and checked, its default, and what it means. The registry
 * of keys ({@link ConfigKeys}) drives parsing, overrides, validation and the README table alike,
 * so the four cannot drift apart.
 *
 * @param path     dotted YAML path, e.g. {@code proxy.port}
 * @param env      environment variable, e.g. {@code GENLEDGER_PROXY_PORT}
 * @param type     parser and validator for the raw text
 * @param fallback default as text, or {@code null} for "unset"
 * @param meaning  one line for the documentation, including the unit
 */
public record ConfigKey<T>(String path, String env, ValueType<T> type, String fallback, String meaning) {
    public ConfigKey {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(meaning, "meaning");
        if (!env.startsWith("GENLEDGER_")) {
            throw new IllegalArgumentException("env: " + env + " (expected: GENLEDGER_ prefix)");
        }
    }

    /** Parses a raw value from {@code source} (a file name or "environment"). */
    T parse(String raw, String source) {
        try {
            return type.parse(raw.strip());
        } catch (IllegalArgumentException e) {
            String shown = ConfigKeys.isSecret(this) ? "****" : raw;
            throw new ConfigException(
                    "%s (%s) is '%s' in %s but %s".formatted(path, env, shown, source, e.getMessage()));
        }
    }
}
