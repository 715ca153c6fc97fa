package dev.genledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LiteLLM's model_prices_and_context_window.json as an override file. */
class LiteLlmLoaderTest {
    private static final Instant AUG_2026 = Instant.parse("2026-08-01T00:00:00Z");

    @TempDir
    Path dir;

    private static Path sample() throws URISyntaxException {
        return Path.of(LiteLlmLoaderTest.class.getResource("/pricing/litellm-sample.json").toURI());
    }

    private static Map<String, BigDecimal> rates(PriceCatalog c, String provider, String model) {
        return c.entries().stream()
                .filter(e -> e.provider().equals(provider) && e.model().equals(model)
                        && e.effectiveFrom().equals(LocalDate.parse("2026-07-24")) && !e.origin().equals("bundled"))
                .findFirst().orElseThrow().rates();
    }

    @Test
    void exponentFloatsBecomeExactPerMillionRates() throws Exception {
        PriceCatalog c = PriceCatalog.load(sample(), null);
        Map<String, BigDecimal> nano = rates(c, "openai", "gpt-4.1-nano");
        // 1e-07 × 1M = 0.1; 2.5e-08 × 1M = 0.025 (a double would give 0.025000000000000001)
        assertThat(nano.get("input_per_1m_tokens").toPlainString()).isEqualTo("0.1");
        assertThat(nano.get("cached_input_per_1m_tokens").toPlainString()).isEqualTo("0.025");
        assertThat(nano.get("output_per_1m_tokens").toPlainString()).isEqualTo("0.4");
        Map<String, BigDecimal> gpt4o = rates(c, "openai", "gpt-4o");
        assertThat(gpt4o).containsEntry("input_per_1m_tokens", new BigDecimal("2.5"))
                .containsEntry("service_tier.batch.input_per_1m_tokens", new BigDecimal("1.25"))
                .containsEntry("service_tier.priority.output_per_1m_tokens", new BigDecimal("17"))
                .containsEntry("service_tier.priority.cached_input_per_1m_tokens", new BigDecimal("2.125"));
    }

    @Test
    void entriesTakeEffectFromLastUpdatedAndWinOverBundledPricesFromThen() throws Exception {
        PriceCatalog c = PriceCatalog.load(sample(), null);
        Usage chat = Usage.builder().inputTokens(1000).cachedInputTokens(200).outputTokens(300).build();
        assertThat(c.price("openai", "gpt-4o-2024-08-06", "chat", chat, AUG_2026).priceRef())
                .isEqualTo("openai/gpt-4o@2026-07-24");
        assertThat(c.price("openai", "gpt-4o", "chat", chat, Instant.parse("2026-07-23T23:00:00Z")).priceRef())
                .isEqualTo("openai/gpt-4o@2024-08-06");
        // ElevenLabs at litellm's $0.18/1K characters: 1000 × $180/1M = 0.18
        assertThat(c.price("elevenlabs", "eleven_multilingual_v2", "speech", Usage.builder().characters(1000).build(),
                AUG_2026).costUsd()).isEqualByComparingTo("0.18");
    }

    @Test
    void geminiPrefixedKeysAreTheGeminiApiAndBareGeminiKeysAreVertexAndSkipped() throws Exception {
        PriceCatalog c = PriceCatalog.load(sample(), null);
        assertThat(rates(c, "gemini", "gemini-2.5-flash")).containsEntry("input_audio_per_1m_tokens", new BigDecimal("1"))
                .containsEntry("cached_input_per_1m_tokens", new BigDecimal("0.03"));
        assertThat(c.entries()).noneMatch(e -> e.provider().equals("openai") && e.model().equals("gemini-2.5-flash"));
    }

    @Test
    void sizeKeysBecomePerImagePricesOfTheModel() throws Exception {
        PriceCatalog c = PriceCatalog.load(sample(), null);
        // 3.81469e-08/px × 1024 × 1024 = 0.03999996… → rounded to the rate's 6 digits = 0.04
        // 6.539e-08/px × 1024 × 1792 = 0.11999…     → 4 digits = 0.12; 2.4414e-07 × 256 × 256 → 0.016
        assertThat(rates(c, "openai", "dall-e-3")).containsEntry("per_image.standard.1024x1024", new BigDecimal("0.04"))
                .containsEntry("per_image.hd.1024x1792", new BigDecimal("0.12"));
        assertThat(rates(c, "openai", "dall-e-2")).containsEntry("per_image.256x256", new BigDecimal("0.016"));
        Usage hd = Usage.builder().images(2).attribute("size", "1024x1792").attribute("quality", "hd").build();
        assertThat(c.price("openai", "dall-e-3", "image", hd, AUG_2026).costUsd()).isEqualByComparingTo("0.24");
        // gpt-image-1 is billed by tokens: its per-image table would bill the same image twice
        assertThat(rates(c, "openai", "gpt-image-1")).doesNotContainKeys("per_image", "per_image.low.1024x1024")
                .containsEntry("output_image_per_1m_tokens", new BigDecimal("40"));
    }

    @Test
    void longContextSecondsReplicateAndElevenLabsKeysAreMapped() throws Exception {
        PriceCatalog c = PriceCatalog.load(sample(), null);
        assertThat(rates(c, "openai", "gpt-5.4")).containsEntry("long_context.above_input_tokens", new BigDecimal("272000"))
                .containsEntry("long_context.output_per_1m_tokens", new BigDecimal("22.5"));
        assertThat(rates(c, "gemini", "veo-3.1-lite-generate-preview")).containsEntry("per_second", new BigDecimal("0.05"))
                .containsEntry("per_second.1080p", new BigDecimal("0.08"));
        assertThat(rates(c, "openai", "whisper-1")).containsOnlyKeys("per_second")
                .containsEntry("per_second", new BigDecimal("0.0001"));
        assertThat(rates(c, "replicate", "meta/llama-3-8b-instruct")).containsEntry("input_per_1m_tokens", new BigDecimal("0.05"));
        assertThat(rates(c, "elevenlabs", "eleven_multilingual_v2")).containsEntry("per_1m_characters", new BigDecimal("180"));
    }

    @Test
    void unmappableEntriesAreSkippedWithOneCountingInfoLine() throws Exception {
        try (LogCapture log = new LogCapture(CatalogFiles.class)) {
            PriceCatalog.load(sample(), null);
            // skipped: vertex gemini-2.5-flash, azure/gpt-4o, claude, low/1024-x-1024/gpt-image-1
            assertThat(log.messages("INFO")).singleElement().asString()
                    .contains("LiteLLM format, 11 models mapped; 4 entries skipped");
        }
    }

    @Test
    void withoutLastUpdatedTheFilesModificationDateApplies() throws Exception {
        Path f = dir.resolve("model_prices_and_context_window.json");
        Files.writeString(f, """
                {"sample_spec": {"litellm_provider": "x"},
                 "gpt-4o": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.2e-05, "litellm_provider": "openai"}}
                """);
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(Instant.parse("2026-10-05T12:00:00Z")));
        PriceCatalog c = PriceCatalog.load(f, null);
        assertThat(c.entries()).filteredOn(e -> e.model().equals("gpt-4o")).extracting(PriceEntry::effectiveFrom)
                .contains(LocalDate.parse("2026-10-05"));
        // from 2026-10-05: 1000 × $3/1M + 1000 × $12/1M = 0.015
        Usage u = Usage.builder().inputTokens(1000).outputTokens(1000).build();
        assertThat(c.price("openai", "gpt-4o", "chat", u, Instant.parse("2026-10-05T00:00:00Z")).costUsd())
                .isEqualByComparingTo("0.015");
    }

    @Test
    void nonNumericPriceFailsNamingTheEntryAndField() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, """
                {"gpt-4o": {"input_cost_per_token": "cheap", "litellm_provider": "openai"}}
                """);
        assertThatThrownBy(() -> PriceCatalog.load(f, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pricing file " + f + ", entry \"gpt-4o\": input_cost_per_token is \"cheap\" (expected: a "
                        + "number of US dollars >= 0, e.g. 2.5e-06)");
    }

    @Test
    void brokenJsonFailsWithItsPosition() throws Exception {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{\"gpt-4o\": {\"input_cost_per_token\": 2.5e-06,,}}");
        assertThatThrownBy(() -> PriceCatalog.load(f, null))
                .hasMessageStartingWith("pricing file " + f + " is not valid JSON at line 1, column");
    }
}
