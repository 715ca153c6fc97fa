package dev.genledger.config;

/**
 * A configuration value that cannot be used. The message is one line that names the key, the
 * value and what is allowed, so that start-up can print it and exit.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
