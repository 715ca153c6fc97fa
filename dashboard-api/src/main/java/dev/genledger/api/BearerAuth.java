package dev.genledger.api;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code Authorization: Bearer <token>} on {@code /api/**} and {@code /metrics} when a token is
 * configured. Both sides are hashed before a constant-time comparison, so neither the content nor
 * the length of the token leaks through timing. Static pages stay open: they ask for the token.
 */
final class BearerAuth {
    private final byte[] expected;

    /** @param token null: no check */
    BearerAuth(String token) {
        this.expected = token == null ? null : sha256(token);
    }

    void check(Context ctx) {
        if (expected == null) {
            return;
        }
        String header = ctx.header("Authorization");
        boolean ok = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(expected, sha256(header.substring(7).trim()));
        if (!ok) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"genledger\"");
            throw new ApiException(401, "unauthorized", header == null
                    ? "this endpoint needs the header 'Authorization: Bearer <token>' with the gateway's "
                            + "GENLEDGER_API_TOKEN"
                    : "the bearer token in the Authorization header is not the gateway's GENLEDGER_API_TOKEN "
                            + "(expected: 'Authorization: Bearer <token>')", null);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
