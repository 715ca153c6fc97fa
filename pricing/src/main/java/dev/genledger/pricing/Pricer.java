package dev.genledger.pricing;

import java.time.Instant;

/**
 * Prices a generation's usage. Implementations are pure, in memory and thread-safe: they are
 * called on Netty event loops and on the ledger writer thread, and must never do I/O.
 */
@FunctionalInterface
public interface Pricer {
    /**
     * @param provider  {@code openai}, {@code gemini}, {@code elevenlabs} or {@code replicate}
     * @param model     the model as recorded (a dated snapshot resolves to its base entry)
     * @param operation what was done ({@code chat}, {@code image}, {@code speech}, …), for models
     *                  priced differently per operation
     * @param at        when the generation started: the price in effect then applies
     * @return the cost, or {@link Cost#UNPRICED} when the catalog has no price for the model
     */
    Cost price(String provider, String model, String operation, Usage usage, Instant at);

    /** A pricer that knows no model: every generation is unpriced. */
    Pricer NONE = (provider, model, operation, usage, at) -> Cost.UNPRICED;
}
