package dev.genledger.proxy.elevenlabs;

import java.math.BigDecimal;

/** The {@code character-cost} response header: the credits a generation used. */
final class CharacterCost {
    private CharacterCost() {}

    /** The credits, or null when the header is absent or not a number. */
    static BigDecimal parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            BigDecimal credits = new BigDecimal(header.strip());
            return credits.signum() < 0 ? null : credits;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
