package dev.genledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bundled catalog covers every model of the price research and lists itself for the API. */
class BundledCatalogTest {
    private static final PriceCatalog CATALOG = PriceCatalog.bundled();
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    private static final Usage TOKENS = Usage.builder().inputTokens(1000).outputTokens(100).build();
    private static final Usage IMAGE = Usage.builder().images(1).outputTokens(1290).outputImageTokens(1290).build();
    private static final Usage SECONDS = Usage.builder().mediaSeconds(new BigDecimal("8")).build();
    private static final Usage CHARACTERS = Usage.builder().characters(100).build();
    private static final Usage CREDITS = Usage.builder().credits(new BigDecimal("100")).build();

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "openai, gpt-4o, tokens", "openai, gpt-4o-mini, tokens", "openai, gpt-4.1, tokens", "openai, gpt-4.1-mini, tokens",
        "openai, gpt-4.1-nano, tokens", "openai, gpt-5, tokens", "openai, gpt-5-mini, tokens", "openai, gpt-5-nano, tokens",
        "openai, gpt-5.4, tokens", "openai, gpt-5.4-mini, tokens", "openai, gpt-5.5, tokens", "openai, o3, tokens",
        "openai, o4-mini, tokens", "openai, text-embedding-3-small, tokens", "openai, text-embedding-3-large, tokens",
        "openai, text-embedding-ada-002, tokens", "gemini, gemini-2.5-pro, tokens", "gemini, gemini-2.5-flash, tokens",
        "gemini, gemini-2.5-flash-lite, tokens", "gemini, gemini-2.0-flash, tokens", "gemini, gemini-3.1-pro-preview, tokens",
        "gemini, gemini-3.5-flash, tokens", "gemini, gemini-embedding-001, tokens",
        "replicate, meta/llama-3-70b-instruct, tokens", "replicate, meta/llama-3-8b-instruct, tokens",
        "openai, gpt-image-1, image", "openai, gpt-image-1-mini, image", "openai, gpt-image-1.5, image",
        "openai, gpt-image-2, image", "openai, dall-e-3, image", "openai, dall-e-2, image",
        "gemini, imagen-4.0-fast-generate-001, image", "gemini, imagen-4.0-generate-001, image",
        "gemini, imagen-4.0-ultra-generate-001, image", "gemini, gemini-2.5-flash-image, image",
        "gemini, gemini-3-pro-image-preview, image", "gemini, gemini-3.1-flash-image-preview, image",
        "replicate, black-forest-labs/flux-schnell, image", "replicate, black-forest-labs/flux-dev, image",
        "replicate, black-forest-labs/flux-1.1-pro, image", "replicate, black-forest-labs/flux-1.1-pro-ultra, image",
        "replicate, black-forest-labs/flux-pro, image",
        "openai, tts-1, characters", "openai, tts-1-hd, characters", "openai, gpt-4o-mini-tts, tokens",
        "openai, whisper-1, seconds", "openai, gpt-4o-transcribe, tokens", "openai, gpt-4o-mini-transcribe, tokens",
        "gemini, gemini-2.5-flash-preview-tts, tokens", "elevenlabs, eleven_multilingual_v2, characters",
        "elevenlabs, eleven_v3, characters", "elevenlabs, eleven_flash_v2_5, characters",
        "elevenlabs, eleven_turbo_v2_5, characters", "elevenlabs, scribe_v1, seconds", "elevenlabs, scribe_v2, seconds",
        "elevenlabs, eleven_text_to_sound_v2, credits", "elevenlabs, music_v1, seconds",
        "gemini, veo-3.0-generate-001, seconds", "gemini, veo-3.1-generate-preview, seconds",
        "gemini, veo-3.1-fast-generate-preview, seconds", "gemini, veo-3.1-lite-generate-preview, seconds",
        "gemini, veo-2.0-generate-001, seconds", "gemini, gemini-omni-1.1-flash, tokens",
    })
    void everyModelOfThePriceResearchIsPriced(String provider, String model, String kind) {
        Usage usage = switch (kind) {
            case "tokens" -> TOKENS;
            case "image" -> IMAGE;
            case "seconds" -> SECONDS;
            case "characters" -> CHARACTERS;
            default -> CREDITS;
        };
        // veo 3.0 and 2.0 were shut down on 2026-06-30; price them while they ran
        Instant at = model.startsWith("veo-3.0") || model.startsWith("veo-2.0") ? Instant.parse("2026-01-15T00:00:00Z") : AT;
        Cost c = CATALOG.price(provider, model, "x", usage, at);
        assertThat(c.priced()).as("%s/%s priced", provider, model).isTrue();
        assertThat(c.costUsd()).isPositive();
        assertThat(c.priceRef()).startsWith(provider + "/" + model + "@");
    }

    @Test
    void everyEntryHasASourceAndADate() {
        assertThat(CATALOG.entries()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.source()).isNotBlank();
            assertThat(e.effectiveFrom()).isNotNull();
            assertThat(e.origin()).isEqualTo("bundled");
        });
    }

    @Test
    void entriesFlattenRatesToDottedNames() {
        assertThat(entry("openai", "dall-e-3").rates()).containsEntry("per_image.hd.1024x1024", new BigDecimal("0.08"))
                .containsEntry("per_image.standard.1024x1792", new BigDecimal("0.08"));
        assertThat(entry("gemini", "veo-3.1-generate-preview").rates()).containsEntry("per_second.720p", new BigDecimal("0.4"))
                .containsEntry("per_second.4k", new BigDecimal("0.6"));
        assertThat(entry("openai", "gpt-4o").rates()).containsEntry("input_per_1m_tokens", new BigDecimal("2.5"))
                .containsEntry("cached_input_per_1m_tokens", new BigDecimal("1.25"))
                .containsEntry("service_tier.priority.input_per_1m_tokens", new BigDecimal("4.25"));
        assertThat(entry("gemini", "gemini-2.5-pro").rates())
                .containsEntry("long_context.above_input_tokens", new BigDecimal("200000"))
                .containsEntry("long_context.output_per_1m_tokens", new BigDecimal("15"));
        assertThat(entry("elevenlabs", "eleven_v3").rates()).containsEntry("per_credit", new BigDecimal("0.0001"))
                .containsEntry("per_1m_characters", new BigDecimal("100"));
        assertThat(entry("replicate", "hardware/gpu-a40-large").rates()).containsEntry("per_second", new BigDecimal("0.000725"));
        assertThat(entry("gemini", "gemini-2.5-flash-image").aliases()).containsExactly("gemini-2.5-flash-image-preview");
    }

    private static PriceEntry entry(String provider, String model) {
        return CATALOG.entries().stream().filter(e -> e.provider().equals(provider) && e.model().equals(model))
                .reduce((a, b) -> b).orElseThrow();
    }
}
