package dev.genledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Price history: a change takes effect on its UTC day and the old price keeps pricing older generations. */
class EffectiveDateTest {
    private static final PriceCatalog CATALOG = PriceCatalog.bundled();
    private static final Usage CHAT = Usage.builder().inputTokens(1000).outputTokens(1000).build();

    @Test
    void priceCutTakesEffectOnItsDayInUtc() {
        Cost before = CATALOG.price("openai", "o3-2025-04-16", "chat", CHAT, Instant.parse("2025-06-09T23:59:59Z"));
        // launch price: 1000 × $10/1M + 1000 × $40/1M = 0.01 + 0.04
        assertThat(before.costUsd()).isEqualByComparingTo("0.05");
        assertThat(before.priceRef()).isEqualTo("openai/o3@2025-04-16");
        Cost after = CATALOG.price("openai", "o3-2025-04-16", "chat", CHAT, Instant.parse("2025-06-10T00:00:00Z"));
        // after the cut: 1000 × $2/1M + 1000 × $8/1M = 0.002 + 0.008
        assertThat(after.costUsd()).isEqualByComparingTo("0.01");
        assertThat(after.priceRef()).isEqualTo("openai/o3@2025-06-10");
    }

    @Test
    void generationBeforeTheFirstPriceIsUnpriced() {
        assertThat(CATALOG.price("openai", "o3", "chat", CHAT, Instant.parse("2025-04-15T12:00:00Z")))
                .isEqualTo(Cost.UNPRICED);
        assertThat(CATALOG.unpricedModelsSeen()).contains("openai/o3");
    }

    @Test
    void veoFastKeepsItsOldPriceUntilTheNewOneWasPublished() {
        Usage eightSeconds1080p = Usage.builder().mediaSeconds(new BigDecimal("8")).attribute("resolution", "1080p").build();
        // 2026-09-18: $0.15/s at every resolution → 8 × 0.15 = 1.2
        assertThat(CATALOG.price("gemini", "veo-3.1-fast-generate-preview", "video", eightSeconds1080p,
                Instant.parse("2026-09-18T20:00:00Z")).costUsd()).isEqualByComparingTo("1.2");
        // 2026-09-19: $0.12/s at 1080p → 8 × 0.12 = 0.96
        assertThat(CATALOG.price("gemini", "veo-3.1-fast-generate-preview", "video", eightSeconds1080p,
                Instant.parse("2026-09-19T00:00:00Z")).costUsd()).isEqualByComparingTo("0.96");
    }

    @Test
    void entriesKeepTheWholeHistory() {
        assertThat(CATALOG.entries()).filteredOn(e -> e.provider().equals("openai") && e.model().equals("o3"))
                .extracting(PriceEntry::effectiveFrom)
                .containsExactly(LocalDate.parse("2025-04-16"), LocalDate.parse("2025-06-10"));
    }
}
