package dev.genledger.pricing;

import static dev.genledger.pricing.TokenPricingTest.assertCost;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per image, per character, per credit, per second/minute/hour and Replicate hardware time. */
class MediaPricingTest {
    private static final PriceCatalog CATALOG = PriceCatalog.bundled();
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path dir;

    private static Usage images(long n, String size, String quality) {
        return Usage.builder().images(n).attribute("size", size).attribute("quality", quality).build();
    }

    @Test
    void dallE3IsPricedBySizeAndQuality() {
        // 2 × hd 1024x1792 at $0.12 = 0.24
        assertCost(CATALOG.price("openai", "dall-e-3", "image", images(2, "1024x1792", "hd"), AT), "0", "0", "0.24", "0.24");
        // 1 × standard 1792x1024 at $0.08
        assertCost(CATALOG.price("openai", "dall-e-3", "image", images(1, "1792x1024", "standard"), AT),
                "0", "0", "0.08", "0.08");
        // hd 1024x1024 at $0.08, size written with × and quality in capitals
        assertCost(CATALOG.price("openai", "dall-e-3", "image", images(1, "1024×1024", "HD"), AT), "0", "0", "0.08", "0.08");
    }

    @Test
    void dallE3WithoutSizeOrQualityUsesTheDocumentedDefaults() {
        // defaults 1024x1024 standard: 3 × $0.04 = 0.12
        assertCost(CATALOG.price("openai", "dall-e-3", "image", Usage.builder().images(3).build(), AT),
                "0", "0", "0.12", "0.12");
    }

    @Test
    void dallE2IsPricedBySizeAlone() {
        // 3 × 512x512 at $0.018 = 0.054
        assertCost(CATALOG.price("openai", "dall-e-2", "image", images(3, "512x512", null), AT), "0", "0", "0.054", "0.054");
    }

    @Test
    void imageSizeTheCatalogDoesNotListIsUnpricedNotGuessed() {
        assertThat(CATALOG.price("openai", "dall-e-3", "image", images(1, "512x512", "standard"), AT))
                .isEqualTo(Cost.UNPRICED);
    }

    @Test
    void imagenAndReplicateOfficialImageModelsArePricedPerImage() {
        // Imagen 4: 4 images × $0.04 = 0.16
        assertCost(CATALOG.price("gemini", "imagen-4.0-generate-001", "image", Usage.builder().images(4).build(), AT),
                "0", "0", "0.16", "0.16");
        // flux-schnell: 4 outputs × $0.003 = 0.012; its predict time is not billed
        Usage flux = Usage.builder().images(4).mediaSeconds(new BigDecimal("1.5")).build();
        assertCost(CATALOG.price("replicate", "black-forest-labs/flux-schnell", "prediction", flux, AT),
                "0", "0", "0.012", "0.012");
    }

    @Test
    void ttsIsPricedPerMillionCharacters() {
        // tts-1: 4096 chars × $15/1M = 0.06144
        assertCost(CATALOG.price("openai", "tts-1", "speech", Usage.builder().characters(4096).build(), AT),
                "0", "0", "0.06144", "0.06144");
        // tts-1-hd: 1000 chars × $30/1M = 0.03
        assertCost(CATALOG.price("openai", "tts-1-hd", "speech", Usage.builder().characters(1000).build(), AT),
                "0", "0", "0.03", "0.03");
    }

    @Test
    void whisperIsPricedPerSecondOfTheMinuteRate() {
        // 9 s × $0.006/60 s = 0.0009
        Usage u = Usage.builder().mediaSeconds(new BigDecimal("9")).build();
        assertCost(CATALOG.price("openai", "whisper-1", "transcription", u, AT), "0", "0", "0.0009", "0.0009");
    }

    @Test
    void elevenLabsCreditsAreBilledAtTheConfiguredPricePerCredit() {
        Usage u = Usage.builder().credits(new BigDecimal("2")).characters(5).build();
        // default pay-as-you-go: 2 credits × $0.0001 = 0.0002 (characters are not billed as well)
        assertCost(CATALOG.price("elevenlabs", "eleven_flash_v2_5", "speech", u, AT), "0", "0", "0.0002", "0.0002");
        // Scale overage: 2 credits × $0.00018 = 0.00036
        PriceCatalog scale = PriceCatalog.load(null, new BigDecimal("0.00018"));
        assertCost(scale.price("elevenlabs", "eleven_flash_v2_5", "speech", u, AT), "0", "0", "0.00036", "0.00036");
    }

    @Test
    void elevenLabsFallsBackToThePerModelCharacterRateWithoutCredits() {
        // flash: 5 chars × $50/1M = 0.00025
        assertCost(CATALOG.price("elevenlabs", "eleven_flash_v2_5", "speech", Usage.builder().characters(5).build(), AT),
                "0", "0", "0.00025", "0.00025");
        // multilingual v2: 1000 chars × $100/1M = 0.1
        assertCost(CATALOG.price("elevenlabs", "eleven_multilingual_v2", "speech",
                Usage.builder().characters(1000).estimated(true).build(), AT), "0", "0", "0.1", "0.1");
    }

    @Test
    void elevenLabsSoundEffectsArePricedByCreditsOnly() {
        // 200 credits × $0.0001 = 0.02
        Usage credits = Usage.builder().credits(new BigDecimal("200")).mediaSeconds(new BigDecimal("5")).build();
        assertCost(CATALOG.price("elevenlabs", "eleven_text_to_sound_v2", "sound", credits, AT), "0", "0", "0.02", "0.02");
        Usage noCredits = Usage.builder().mediaSeconds(new BigDecimal("5")).build();
        assertThat(CATALOG.price("elevenlabs", "eleven_text_to_sound_v2", "sound", noCredits, AT)).isEqualTo(Cost.UNPRICED);
    }

    @Test
    void scribeIsPricedPerHourAndMusicPerMinute() {
        // scribe: 90 s × $0.22/3600 s = 19.8/3600 = 0.0055
        Usage stt = Usage.builder().mediaSeconds(new BigDecimal("90")).build();
        assertCost(CATALOG.price("elevenlabs", "scribe_v1", "transcription", stt, AT), "0", "0", "0.0055", "0.0055");
        // music: 30 s × $0.30/60 s = 0.15
        Usage music = Usage.builder().mediaSeconds(new BigDecimal("30")).build();
        assertCost(CATALOG.price("elevenlabs", "music_v1", "music", music, AT), "0", "0", "0.15", "0.15");
    }

    @Test
    void veoIsPricedPerSecondByResolution() {
        // 8 s × $0.40 (1080p) = 3.2; 8 s × $0.60 (4k) = 4.8; no resolution → default 720p × $0.40 = 3.2
        assertCost(CATALOG.price("gemini", "veo-3.1-generate-preview", "video", video("8", "1080p"), AT), "0", "0", "3.2", "3.2");
        assertCost(CATALOG.price("gemini", "veo-3.1-generate-preview", "video", video("8", "4K"), AT), "0", "0", "4.8", "4.8");
        assertCost(CATALOG.price("gemini", "veo-3.1-generate-preview", "video", video("8", null), AT), "0", "0", "3.2", "3.2");
        // lite 1080p: 16 s (two 8-second videos) × $0.08 = 1.28
        assertCost(CATALOG.price("gemini", "veo-3.1-lite-generate-preview", "video", video("16", "1080p"), AT),
                "0", "0", "1.28", "1.28");
        // lite has no 4k price: unpriced rather than a guess
        assertThat(CATALOG.price("gemini", "veo-3.1-lite-generate-preview", "video", video("8", "4k"), AT))
                .isEqualTo(Cost.UNPRICED);
    }

    private static Usage video(String seconds, String resolution) {
        return Usage.builder().mediaSeconds(new BigDecimal(seconds)).attribute("resolution", resolution).build();
    }

    @Test
    void replicateCommunityModelIsBilledPredictTimeTimesItsHardwarePrice() throws Exception {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, """
                models:
                  - provider: replicate
                    model: acme/upscaler
                    aliases: [0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef]
                    effective_from: 2026-01-01
                    source: "replicate.com/acme/upscaler (runs on Nvidia T4), 2026-11-01"
                    hardware: gpu-t4
                """);
        PriceCatalog catalog = PriceCatalog.load(file, null);
        Usage u = Usage.builder().mediaSeconds(new BigDecimal("12.5")).build();
        // 12.5 s × $0.000225/s (gpu-t4) = 0.0028125
        assertCost(catalog.price("replicate", "acme/upscaler", "prediction", u, AT), "0", "0", "0.0028125", "0.0028125");
        // owner/name:version and a bare version hash declared as an alias resolve to the same model
        assertCost(catalog.price("replicate", "acme/upscaler:9f8e7d", "prediction", u, AT), "0", "0", "0.0028125", "0.0028125");
        assertCost(catalog.price("replicate", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "prediction", u, AT), "0", "0", "0.0028125", "0.0028125");
        // an explicit hardware attribute wins: 12.5 s × $0.0014/s (gpu-a100-large) = 0.0175
        Usage onA100 = u.toBuilder().attribute("hardware", "gpu-a100-large").build();
        assertCost(catalog.price("replicate", "acme/upscaler", "prediction", onA100, AT), "0", "0", "0.0175", "0.0175");
        // multi-GPU SKUs are listed: 12.5 s × $0.0122/s (gpu-h100-8x) = 0.1525
        Usage onH100x8 = u.toBuilder().attribute("hardware", "gpu-h100-8x").build();
        assertCost(catalog.price("replicate", "acme/upscaler", "prediction", onH100x8, AT), "0", "0", "0.1525", "0.1525");
    }

    @Test
    void hardwarePriceChangeAppliesFromItsDate() throws Exception {
        Path file = dir.resolve("hw.yaml");
        Files.writeString(file, """
                hardware:
                  - {sku: gpu-t4, per_second: 0.0002, effective_from: 2026-12-01, source: "test price cut"}
                models:
                  - {provider: replicate, model: acme/upscaler, effective_from: 2026-01-01, source: test, hardware: gpu-t4}
                """);
        PriceCatalog catalog = PriceCatalog.load(file, null);
        Usage u = Usage.builder().mediaSeconds(new BigDecimal("10")).build();
        // before: 10 × $0.000225 = 0.00225; from 2026-12-01: 10 × $0.0002 = 0.002
        assertThat(catalog.price("replicate", "acme/upscaler", "prediction", u, AT).costUsd()).isEqualByComparingTo("0.00225");
        assertThat(catalog.price("replicate", "acme/upscaler", "prediction", u, Instant.parse("2026-12-01T00:00:00Z"))
                .costUsd()).isEqualByComparingTo("0.002");
    }
}
