package dev.genledger.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A position in the newest-first listing: the last row returned, as {@code (started_at, id)}.
 * Opaque to clients (base64url of {@code v1:<epoch µs>:<uuid>}); the next page holds the rows
 * strictly before it, so pages neither repeat nor skip a row even when rows share a timestamp.
 */
record Cursor(Instant startedAt, UUID id) {
    private static final String EXPECTED = "a next_cursor value returned by /api/v1/generations";

    String encode() {
        long micros = Math.addExact(Math.multiplyExact(startedAt.getEpochSecond(), 1_000_000L), startedAt.getNano() / 1_000);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    static Cursor decode(String text) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split(":", 3);
            if (parts.length == 3 && parts[0].equals("v1")) {
                long micros = Long.parseLong(parts[1]);
                Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L);
                return new Cursor(at, UUID.fromString(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            // not base64, not a number, not a UUID: reported below
        }
        throw ApiException.badParameter("cursor", text, EXPECTED);
    }
}
