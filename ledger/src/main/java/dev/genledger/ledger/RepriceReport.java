package dev.genledger.ledger;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a re-pricing did.
 *
 * @param rowsExamined complete generations in the range that were priced again
 * @param rowsChanged  rows whose cost or priced flag changed, and were updated with their rollups
 * @param deltaUsd     new total cost minus old total cost of the changed rows (an unpriced row
 *                     counts as zero), in US dollars
 */
public record RepriceReport(long rowsExamined, long rowsChanged, BigDecimal deltaUsd) {
    public RepriceReport {
        if (rowsExamined < 0 || rowsChanged < 0 || rowsChanged > rowsExamined) {
            throw new IllegalArgumentException("rowsExamined: " + rowsExamined + ", rowsChanged: " + rowsChanged
                    + " (expected: 0 <= changed <= examined)");
        }
        Objects.requireNonNull(deltaUsd, "deltaUsd");
    }
}
