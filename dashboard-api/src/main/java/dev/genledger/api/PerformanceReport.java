package dev.genledger.api;

import java.math.BigDecimal;
import java.util.List;

/**
 * GET /api/v1/performance.
 *
 * @param p95Method {@code exact} (percentile_cont over the rows) or {@code histogram} (the 5 %
 *                  latency buckets; within 2.47 % of the exact value, see {@link LatencyPercentile})
 */
record PerformanceReport(WindowView window, long generations, String p95Method, List<ByTask> byTask,
                         List<ByModel> byModel) {

    /** @param errorRate failed generations (HTTP status >= 400 or a transport error) / generations */
    record ByTask(String task, long generations, Double avgLatencyMs, Double p95LatencyMs, Double avgTtfbMs,
                  BigDecimal errorRate) {}

    /**
     * @param outputTokensPerSecond Σ output tokens / Σ (latency − ttfb) in seconds, over text generations
     * @param inputOutputCostRatio  input cost / output cost
     * @param outputTokensPerUsd    Σ output tokens / Σ cost
     */
    record ByModel(String provider, String model, long generations, Double avgLatencyMs, Double p95LatencyMs,
                   Double outputTokensPerSecond, BigDecimal inputCostUsd, BigDecimal outputCostUsd,
                   BigDecimal inputOutputCostRatio, BigDecimal outputTokensPerUsd, BigDecimal errorRate) {}
}
