package dev.genledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What the catalog cannot price is recorded unpriced, visibly, never with a made-up price. */
class UnpricedTest {
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");
    private static final Usage CHAT = Usage.builder().inputTokens(1000).outputTokens(1000).build();

    @Test
    void unknownModelIsUnpricedWarnedOnceAndListed() {
        PriceCatalog catalog = PriceCatalog.bundled();
        try (LogCapture log = new LogCapture(PriceCatalog.class)) {
            assertThat(catalog.price("openai", "gpt-9-turbo", "chat", CHAT, AT)).isEqualTo(Cost.UNPRICED);
            assertThat(catalog.price("openai", "gpt-9-turbo", "chat", CHAT, AT.plusSeconds(60))).isEqualTo(Cost.UNPRICED);
            assertThat(catalog.price("gemini", "gemini-9-ultra", "chat", CHAT, AT)).isEqualTo(Cost.UNPRICED);
            assertThat(log.messages("WARN")).hasSize(2)
                    .anySatisfy(m -> assertThat(m).contains("openai/gpt-9-turbo").contains("GENLEDGER_PRICING_FILE"))
                    .anySatisfy(m -> assertThat(m).contains("gemini/gemini-9-ultra"));
        }
        assertThat(catalog.unpricedModelsSeen()).containsExactly("gemini/gemini-9-ultra", "openai/gpt-9-turbo");
    }

    @Test
    void concurrentCallersGetTheSameCostsAndOneWarningPerUnknownModel() throws Exception {
        PriceCatalog catalog = PriceCatalog.bundled();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (LogCapture log = new LogCapture(PriceCatalog.class)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    boolean ok = true;
                    for (int i = 0; i < 2_000; i++) {
                        ok &= catalog.price("openai", "gpt-9-turbo", "chat", CHAT, AT) == Cost.UNPRICED;
                        // 1000 × $2.50/1M + 1000 × $10/1M = 0.0125
                        ok &= catalog.price("openai", "gpt-4o-2024-08-06", "chat", CHAT, AT).costUsd()
                                .compareTo(new BigDecimal("0.0125")) == 0;
                    }
                    return ok;
                }));
            }
            start.countDown();
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
            assertThat(log.messages("WARN")).singleElement().asString().contains("openai/gpt-9-turbo");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nullModelAndUnknownProviderAreUnpriced() {
        PriceCatalog catalog = PriceCatalog.bundled();
        assertThat(catalog.price("openai", null, "chat", CHAT, AT)).isEqualTo(Cost.UNPRICED);
        assertThat(catalog.price("anthropic", "claude-sonnet-4", "chat", CHAT, AT)).isEqualTo(Cost.UNPRICED);
        assertThat(catalog.unpricedModelsSeen()).containsExactly("anthropic/claude-sonnet-4", "openai/(no model)");
    }

    @Test
    void usageThatCountsNothingIsUnpricedWithoutBlamingTheModel() {
        PriceCatalog catalog = PriceCatalog.bundled();
        try (LogCapture log = new LogCapture(PriceCatalog.class)) {
            assertThat(catalog.price("openai", "gpt-4o", "chat", Usage.NONE, AT)).isEqualTo(Cost.UNPRICED);
            assertThat(log.messages("WARN")).isEmpty();
        }
        assertThat(catalog.unpricedModelsSeen()).isEmpty();
    }

    @Test
    void distinctUnpricedModelsAreBoundedSoRandomNamesCannotGrowMemory() {
        PriceCatalog catalog = PriceCatalog.bundled();
        try (LogCapture log = new LogCapture(PriceCatalog.class)) {
            for (int i = 0; i < PriceCatalog.MAX_UNPRICED_TRACKED + 50; i++) {
                assertThat(catalog.price("openai", "random-" + i, "chat", CHAT, AT)).isEqualTo(Cost.UNPRICED);
            }
            assertThat(log.messages("WARN")).hasSize(PriceCatalog.MAX_UNPRICED_TRACKED + 1)
                    .last().asString().contains("further ones are not listed");
        }
        assertThat(catalog.unpricedModelsSeen()).hasSize(PriceCatalog.MAX_UNPRICED_TRACKED);
    }

    @Test
    void negativeElevenLabsCreditPriceIsRejectedWithAFix() {
        assertThatThrownBy(() -> PriceCatalog.load(null, new BigDecimal("-0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.1").hasMessageContaining("expected: >= 0");
    }
}
