package dev.genledger.ledger;

import dev.genledger.pricing.Usage;
import java.time.Instant;
import java.util.Objects;

/**
 * The final state of an async job whose row was written {@link Generation.State#PENDING}: a
 * Replicate prediction or a Gemini (Veo) operation, seen terminal by a poll through the gateway.
 * The writer finds the pending row by provider and upstream id, merges, re-prices it with the
 * row's own model and start time, and marks it complete. Applying the same finalisation twice
 * changes nothing; one that arrives before its pending row is kept until the row arrives.
 *
 * @param usage   the job's final usage, replacing the pending row's; null keeps the pending usage
 * @param outputs how many outputs the job produced, or null when {@code usage} says it all. With
 *                a count, the pending row's per-output usage (media seconds, images) is scaled by
 *                {@code outputs / requested}, where requested is the pending usage's
 *                {@code outputs_requested} attribute (default 1): a Veo job asked for two 8-second
 *                videos and safety-filtered one bills 8 seconds, not 16.
 * @param error   null on success; otherwise why the job failed, was cancelled or filtered
 */
public record Finalization(String provider, String upstreamRequestId, Instant completedAt, int status, String error,
                           Usage usage, Long outputs) implements LedgerRecord {
    public Finalization {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(upstreamRequestId, "upstreamRequestId");
        Objects.requireNonNull(completedAt, "completedAt");
        if (outputs != null && outputs < 0) {
            throw new IllegalArgumentException("outputs: " + outputs + " (expected: >= 0)");
        }
    }

    /** The pending row's usage after this finalisation. */
    public Usage merge(Usage pending) {
        if (usage != null) {
            return usage;
        }
        if (outputs == null) {
            return pending;
        }
        long requested = 1;
        String r = pending.attribute("outputs_requested");
        if (r != null) {
            requested = Math.max(1, Long.parseLong(r));
        }
        Usage.Builder b = pending.toBuilder();
        b.mediaSeconds(pending.mediaSeconds().multiply(java.math.BigDecimal.valueOf(outputs))
                .divide(java.math.BigDecimal.valueOf(requested), java.math.MathContext.DECIMAL64).stripTrailingZeros());
        b.images(pending.images() * outputs / requested);
        b.attribute("outputs", Long.toString(outputs));
        return b.build();
    }
}
