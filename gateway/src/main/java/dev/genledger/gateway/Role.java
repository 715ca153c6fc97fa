package dev.genledger.gateway;

import java.util.Locale;

/** What one gateway process runs. */
enum Role {
    /** The proxy, the ledger writer, the API and the dashboard (the default). */
    ALL,
    /** The proxy and the ledger writer only. */
    PROXY,
    /** The API and the dashboard only, reading the ledger. */
    API;

    boolean runsProxy() {
        return this != API;
    }

    boolean runsApi() {
        return this != PROXY;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "all" -> ALL;
            case "proxy" -> PROXY;
            case "api" -> API;
            default -> throw new IllegalArgumentException("--role is '" + s + "' but must be all, proxy or api");
        };
    }
}
