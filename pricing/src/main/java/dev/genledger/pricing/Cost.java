package dev.genledger.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The price of one generation in US dollars with its breakdown. {@code costUsd} is always the sum
 * of the three parts. An unpriced generation (no catalog entry for its model) has every amount
 * null and {@code priced == false}: it is never given a made-up price.
 *
 * @param otherCostUsd what is neither input nor output: per-image, per-second, per-character,
 *                     per-credit charges
 * @param priceRef     which catalog entry priced it ({@code provider/model@effective_from}), for audit
 */
public record Cost(BigDecimal costUsd, BigDecimal inputCostUsd, BigDecimal outputCostUsd, BigDecimal otherCostUsd,
                   boolean priced, String priceRef) {

    /** No price is known for the model. */
    public static final Cost UNPRICED = new Cost(null, null, null, null, false, null);

    /** Nothing was billed (for example an error response before any work). */
    public static final Cost FREE = of(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null);

    public Cost {
        if (priced) {
            Objects.requireNonNull(inputCostUsd, "inputCostUsd");
            Objects.requireNonNull(outputCostUsd, "outputCostUsd");
            Objects.requireNonNull(otherCostUsd, "otherCostUsd");
            BigDecimal sum = inputCostUsd.add(outputCostUsd).add(otherCostUsd);
            if (costUsd == null || costUsd.compareTo(sum) != 0) {
                throw new IllegalArgumentException("costUsd: " + costUsd + " (expected: input + output + other = " + sum + ")");
            }
        } else if (costUsd != null || inputCostUsd != null || outputCostUsd != null || otherCostUsd != null) {
            throw new IllegalArgumentException("an unpriced cost carries no amounts");
        }
    }

    /** A priced cost; the total is the exact sum of the parts. */
    public static Cost of(BigDecimal inputCostUsd, BigDecimal outputCostUsd, BigDecimal otherCostUsd, String priceRef) {
        return new Cost(inputCostUsd.add(outputCostUsd).add(otherCostUsd), inputCostUsd, outputCostUsd, otherCostUsd,
                true, priceRef);
    }
}
