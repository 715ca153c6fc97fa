package dev.genledger.pricing;

import static dev.genledger.pricing.TokenPricingTest.assertCost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Long-context tiers and OpenAI/Gemini service tiers. */
class TierPricingTest {
    private static final PriceCatalog CATALOG = PriceCatalog.bundled();
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void promptOverTheThresholdSwitchesTheWholeRequestToLongContextRates() {
        Usage u = Usage.builder().inputTokens(300_000).cachedInputTokens(100_000).outputTokens(2_000).build();
        Cost c = CATALOG.price("openai", "gpt-5.4", "responses", u, AT);
        // over 272k: 200000 × $5.00/1M = 1.0; 100000 cached × $0.50/1M = 0.05; 2000 out × $22.50/1M = 0.045
        assertCost(c, "1.05", "0.045", "0", "1.095");
    }

    @Test
    void promptAtTheThresholdStaysOnStandardRates() {
        Usage u = Usage.builder().inputTokens(272_000).outputTokens(2_000).build();
        Cost c = CATALOG.price("openai", "gpt-5.4", "responses", u, AT);
        // 272000 is not above 272k: 272000 × $2.50/1M = 0.68; 2000 × $15/1M = 0.03
        assertCost(c, "0.68", "0.03", "0", "0.71");
    }

    @Test
    void geminiProLongContextStartsAbove200kTokens() {
        Usage u = Usage.builder().inputTokens(200_001).outputTokens(1_000).build();
        Cost c = CATALOG.price("gemini", "gemini-2.5-pro", "chat", u, AT);
        // 200001 × $2.50/1M = 0.5000025; 1000 × $15/1M = 0.015
        assertCost(c, "0.5000025", "0.015", "0", "0.5150025");
    }

    @Test
    void priorityServiceTierUsesPriorityRates() {
        Usage u = Usage.builder().inputTokens(1000).cachedInputTokens(200).outputTokens(300)
                .attribute("service_tier", "priority").build();
        Cost c = CATALOG.price("openai", "gpt-4o-2024-08-06", "chat", u, AT);
        // 800 × $4.25/1M = 0.0034; 200 × $2.125/1M = 0.000425; 300 × $17/1M = 0.0051
        assertCost(c, "0.003825", "0.0051", "0", "0.008925");
    }

    @Test
    void flexTierHalvesGpt5Rates() {
        Usage u = Usage.builder().inputTokens(10_000).cachedInputTokens(2_000).outputTokens(1_000)
                .attribute("service_tier", " Flex ").build();
        Cost c = CATALOG.price("openai", "gpt-5", "responses", u, AT);
        // 8000 × $0.625/1M = 0.005; 2000 × $0.0625/1M = 0.000125; 1000 × $5/1M = 0.005
        assertCost(c, "0.005125", "0.005", "0", "0.010125");
    }

    @Test
    void tierWithoutRatesForTheModelAndDefaultTierUseStandardRates() {
        Usage u = Usage.builder().inputTokens(1000).cachedInputTokens(200).outputTokens(300).build();
        Cost standard = CATALOG.price("openai", "gpt-4o", "chat", u, AT);
        for (String tier : new String[] {"default", "flex", "scale", "auto"}) {
            Usage tiered = u.toBuilder().attribute("service_tier", tier).build();
            // gpt-4o has batch and priority rates only: 0.00225 + 0.003 as without a tier
            assertThat(CATALOG.price("openai", "gpt-4o", "chat", tiered, AT).costUsd()).as(tier)
                    .isEqualByComparingTo(standard.costUsd()).isEqualByComparingTo("0.00525");
        }
    }

    @Test
    void batchTierOverLongContextScalesTheLongContextRate() {
        Usage u = Usage.builder().inputTokens(300_000).outputTokens(2_000).attribute("service_tier", "batch").build();
        Cost c = CATALOG.price("openai", "gpt-5.4", "responses", u, AT);
        // input: batch $1.25 × (long $5.00 / standard $2.50) = $2.50/1M → 300000 × 2.50/1M = 0.75
        // output: batch $7.50 × ($22.50 / $15.00) = $11.25/1M → 2000 × 11.25/1M = 0.0225
        assertCost(c, "0.75", "0.0225", "0", "0.7725");
    }

    @Test
    void batchEmbeddingsUseTheBatchInputRate() {
        Usage u = Usage.builder().inputTokens(10_000).attribute("service_tier", "batch").build();
        Cost c = CATALOG.price("openai", "text-embedding-3-small", "embeddings", u, AT);
        // 10000 × $0.01/1M = 0.0001
        assertCost(c, "0.0001", "0", "0", "0.0001");
    }
}
