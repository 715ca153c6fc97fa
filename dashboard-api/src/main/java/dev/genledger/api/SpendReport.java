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
                   List<ByKey> byKey, String tagKey, List<ByTag> byTag, Budget budget) {

    record Day(String day, BigDecimal totalUsd, BigDecimal llmUsd, BigDecimal mediaUsd, long generations,
               long unpricedGenerations, BigDecimal costPerGenerationUsd) {}

    record ByModel(String provider, String model, BigDecimal totalUsd, long generations, long unpricedGenerations,
                   long inputTokens, long outputTokens) {}

    record ByProvider(String provider, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    record ByTask(String task, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    record ByKey(String keyId, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    /** @param value the tag's value; null for generations without the tag */
    record ByTag(String value, BigDecimal totalUsd, long generations, long unpricedGenerations) {}

    /** The month-to-date budget; independent of the window (always the current UTC month). */
    record Budget(String month, BigDecimal monthlyUsd, BigDecimal monthToDateUsd, BigDecimal utilization,
                  BigDecimal projectedMonthUsd, boolean hardCapReached, String readAt) {
        static Budget of(BudgetSnapshot s) {
            return s == null ? null : new Budget(s.month().toString(), s.monthlyUsd(), Decimals.sum(s.monthToDateUsd()),
                    s.utilization().stripTrailingZeros(),
                    s.projectedMonthUsd() == null ? null : Decimals.sum(s.projectedMonthUsd()), s.hardCapReached(),
                    s.readAt().toString());
        }
    }
}
