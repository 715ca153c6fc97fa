package dev.genledger.api;

import java.util.Objects;

/**
 * Where the dashboard API listens and who may read it.
 *
 * @param bindHost address to bind (GENLEDGER_BIND), e.g. {@code 127.0.0.1}
 * @param port     port (GENLEDGER_API_PORT); 0 picks any free port, see {@link DashboardServer#port()}
 * @param token    bearer token required on {@code /api/**} and {@code /metrics} (GENLEDGER_API_TOKEN);
 *                 null leaves them open, which the gateway's configuration only allows on loopback
 */
public record DashboardSettings(String bindHost, int port, String token) {
    public DashboardSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("GENLEDGER_API_PORT: " + port + " (expected: 0-65535; 0 picks a free port)");
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("GENLEDGER_API_TOKEN is blank (expected: a non-empty secret, or unset)");
        }
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "DashboardSettings[bindHost=" + bindHost + ", port=" + port + ", token=" + (token == null ? "unset" : "****")
                + "]";
    }
}
