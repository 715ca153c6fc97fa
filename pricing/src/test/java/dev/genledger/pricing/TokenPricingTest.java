package dev.genledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Token prices from the bundled catalog: cached, reasoning, audio and image tokens, embeddings. */
class TokenPricingTest {
    private static final PriceCatalog CATALOG = PriceCatalog.bundled();
    private static final Instant NOV_2026 = Instant.parse("2026-11-20T10:00:00Z");

    static void assertCost(Cost c, String input, String output, String other, String total) {
        assertThat(c.priced()).as("priced").isTrue();
        assertThat(c.inputCostUsd()).as("input").isEqualByComparingTo(input);
        assertThat(c.outputCostUsd()).as("output").isEqualByComparingTo(output);
        assertThat(c.otherCostUsd()).as("other").isEqualByComparingTo(other);
        assertThat(c.costUsd()).as("total").isEqualByComparingTo(total);
    }

    @Test
    void cachedTokensArePricedAtTheCachedRateAndOnlyOnce() {
        Usage u = Usage.builder().inputTokens(1000).cachedInputTokens(200).outputTokens(300).build();
        Cost c = CATALOG.price("openai", "gpt-4o", "chat", u, NOV_2026);
        // 800 uncached × $2.50/1M + 200 cached × $1.25/1M = 0.002 + 0.00025; 300 out × $10/1M = 0.003
        assertCost(c, "0.00225", "0.003", "0", "0.00525");
        assertThat(c.priceRef()).isEqualTo("openai/gpt-4o@2024-08-06");
    }

    @Test
    void reasoningTokensAreBilledAsPartOfOutputNotAddedAgain() {
        Usage u = Usage.builder().inputTokens(2000).outputTokens(1035).reasoningTokens(832).build();
        Cost c = CATALOG.price("openai", "gpt-5", "responses", u, NOV_2026);
        // 2000 in × $1.25/1M = 0.0025; 1035 out (832 of them reasoning) × $10/1M = 0.01035
        assertCost(c, "0.0025", "0.01035", "0", "0.01285");
    }

    @Test
    void geminiFlashPricesAudioInputAtItsOwnRate() {
        Usage u = Usage.builder().inputTokens(10_000).inputAudioTokens(4_000).cachedInputTokens(1_000)
                .outputTokens(500).reasoningTokens(200).build();
        Cost c = CATALOG.price("gemini", "gemini-2.5-flash", "chat", u, NOV_2026);
        // text 5000 × $0.30/1M = 0.0015; audio 4000 × $1.00/1M = 0.004; cached 1000 × $0.03/1M = 0.00003
        // output 500 (thoughts included) × $2.50/1M = 0.00125
        assertCost(c, "0.00553", "0.00125", "0", "0.00678");
    }

    @Test
    void gptImageBillsTextAndImageInputAndImageOutputTokens() {
        Usage u = Usage.builder().inputTokens(250).inputImageTokens(200).outputTokens(1056).outputImageTokens(1056)
                .images(1).attribute("size", "1024x1024").attribute("quality", "medium").build();
        Cost c = CATALOG.price("openai", "gpt-image-1", "image", u, NOV_2026);
        // text in 50 × $5/1M = 0.00025; image in 200 × $10/1M = 0.002; image out 1056 × $40/1M = 0.04224
        assertCost(c, "0.00225", "0.04224", "0", "0.04449");
    }

    @Test
    void gptImageSeparatesTextOutputFromImageOutput() {
        Usage u = Usage.builder().inputTokens(40).outputTokens(1100).outputImageTokens(1000).images(1).build();
        Cost c = CATALOG.price("openai", "gpt-image-1.5", "image", u, NOV_2026);
        // in 40 × $5/1M = 0.0002; text out 100 × $10/1M = 0.001; image out 1000 × $32/1M = 0.032
        assertCost(c, "0.0002", "0.033", "0", "0.0332");
    }

    @Test
    void geminiImageModelBillsImageTokensAtTheImageRate() {
        Usage u = Usage.builder().inputTokens(20).outputTokens(1318).outputImageTokens(1290).images(1).build();
        Cost c = CATALOG.price("gemini", "gemini-2.5-flash-image", "chat", u, NOV_2026);
        // in 20 × $0.30/1M = 0.000006; text out 28 × $2.50/1M = 0.00007; image out 1290 × $30/1M = 0.0387
        assertCost(c, "0.000006", "0.03877", "0", "0.038776");
    }

    @Test
    void transcriptionTokensSplitAudioFromTextInput() {
        Usage u = Usage.builder().inputTokens(120).inputAudioTokens(100).outputTokens(30).build();
        Cost c = CATALOG.price("openai", "gpt-4o-transcribe", "transcription", u, NOV_2026);
        // text in 20 × $2.50/1M = 0.00005; audio in 100 × $6/1M = 0.0006; out 30 × $10/1M = 0.0003
        assertCost(c, "0.00065", "0.0003", "0", "0.00095");
    }

    @Test
    void speechTokensUseTheProvidersPriceNotLitellmsInputRate() {
        Usage u = Usage.builder().inputTokens(1000).outputTokens(2000).outputAudioTokens(2000).estimated(true).build();
        Cost c = CATALOG.price("openai", "gpt-4o-mini-tts", "speech", u, NOV_2026);
        // in 1000 × $0.60/1M = 0.0006 (litellm's $2.50 would give 0.0025); audio out 2000 × $12/1M = 0.024
        assertCost(c, "0.0006", "0.024", "0", "0.0246");
    }

    @Test
    void embeddingsBillInputTokensOnly() {
        Usage u = Usage.builder().inputTokens(8).build();
        Cost c = CATALOG.price("openai", "text-embedding-3-small", "embeddings", u, NOV_2026);
        // 8 × $0.02/1M = 0.00000016
        assertCost(c, "0.00000016", "0", "0", "0.00000016");
        assertThat(c.costUsd().toPlainString()).isEqualTo("0.00000016");
    }

    @Test
    void replicateOfficialLanguageModelIsBilledPerTokenNotByPredictTime() {
        Usage u = Usage.builder().inputTokens(500).outputTokens(200).mediaSeconds(new BigDecimal("3.2")).build();
        Cost c = CATALOG.price("replicate", "meta/llama-3-70b-instruct", "prediction", u, NOV_2026);
        // 500 × $0.65/1M = 0.000325; 200 × $2.75/1M = 0.00055; predict time is not billed for official models
        assertCost(c, "0.000325", "0.00055", "0", "0.000875");
    }

    @Test
    void costsAreExactDecimalsWithoutRoundingToCents() {
        Usage u = Usage.builder().inputTokens(1).outputTokens(1).build();
        Cost c = CATALOG.price("openai", "gpt-5-nano", "chat", u, NOV_2026);
        // 1 × $0.05/1M = 0.00000005; 1 × $0.40/1M = 0.0000004
        assertThat(c.inputCostUsd().toPlainString()).isEqualTo("0.00000005");
        assertThat(c.outputCostUsd().toPlainString()).isEqualTo("0.0000004");
        assertThat(c.costUsd().toPlainString()).isEqualTo("0.00000045");
    }
}
