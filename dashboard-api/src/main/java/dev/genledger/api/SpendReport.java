package dev.genledger.api;

import dev.genledger.ledger.budget.BudgetSnapshot;
import java.math.BigDecimal;
import java.util.List;

/**
 * GET /api/v1/spend. {@code cost_per_generation_usd} divides by priced generations (those neither
 * unpriced nor pending): an unpriced generation is counted in {@code unpriced_generations}, never
 * averaged in as free.
 */
record SpendReport(WindowView window, BigDecimal totalUsd, BigDecimal llmUsd, BigDecimal mediaUsd, long generations,
                   long unpricedGenerations, long pendingGenerations, BigDecimal costPerGenerationUsd,
                   long inputTokens, long outputTokens, BigDecimal inputCostUsd, BigDecimal outputCostUsd,
                   List<Day> daily, List<ByModel> byModel, List<ByProvider> byProvider, List<ByTask> byTask,
                   List<ByKey> byKey, List<ByCategory> byCategory, List<ByContentProduct> byContentProduct,
                   String tagKey, List<ByTag> byTag, Budget budget) {

    record Day(String day, BigDecimal totalUsd, BigDecimal llmUsd, BigDecimal mediaUsd, long generations,
               long unpricedGenerations, BigDecimal costPerGenerationUsd) {}

    record ByModel(String provider, String model, BigDecimal totalUsd, long generations, long unpricedGenerations,
                   long inputTokens, long outputTokens) {}

    record ByProvider(String provider, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    record ByTask(String task, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    record ByKey(String keyId, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    /** @param category the effective category (the generation's header, else its article's); null: none */
    record ByCategory(String category, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    /** @param contentProduct the effective content product; null: none */
    record ByContentProduct(String contentProduct, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    /** @param value the tag's value; null for generations without the tag */
    record ByTag(String value, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    /**
     * The month-to-date budget; independent of the window (always the current UTC month).
     *
     * @param projectedUtilization projected month / budget (null with the projection), so the page
     *                             draws the projection without doing arithmetic on money
     */
    record Budget(String month, BigDecimal monthlyUsd, BigDecimal monthToDateUsd, BigDecimal utilization,
                  BigDecimal projectedMonthUsd, BigDecimal projectedUtilization, boolean hardCapReached,
                  String readAt) {
        static Budget of(BudgetSnapshot s) {
            if (s == null) {
                return null;
            }
            BigDecimal projected = s.projectedMonthUsd() == null ? null : Decimals.sum(s.projectedMonthUsd());
            return new Budget(s.month().toString(), s.monthlyUsd(), Decimals.sum(s.monthToDateUsd()),
                    s.utilization().stripTrailingZeros(), projected, Decimals.ratio(projected, s.monthlyUsd(), 6),
                    s.hardCapReached(), s.readAt().toString());
        }
    }
}
