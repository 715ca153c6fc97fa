package dev.genledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a recorded model name finds its catalog entry. */
class ModelResolutionTest {
    private static final PriceCatalog CATALOG = PriceCatalog.bundled();
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");
    private static final Usage CHAT = Usage.builder().inputTokens(1000).outputTokens(1000).build();

    @TempDir
    Path dir;

    private static String ref(String provider, String model) {
        return CATALOG.price(provider, model, "chat", CHAT, AT).priceRef();
    }

    @Test
    void datedSnapshotsResolveToTheirBaseModel() {
        assertThat(ref("openai", "gpt-4o-2024-08-06")).isEqualTo("openai/gpt-4o@2024-08-06");
        assertThat(ref("openai", "gpt-4o-mini-2024-07-18")).isEqualTo("openai/gpt-4o-mini@2024-07-18");
        assertThat(ref("openai", "gpt-3.5-turbo-0125")).isEqualTo("openai/gpt-3.5-turbo@2024-01-25");
        assertThat(ref("gemini", "gemini-2.0-flash-001")).isEqualTo("gemini/gemini-2.0-flash@2025-02-05");
    }

    @Test
    void aRememberedResolutionGivesTheSameAnswerAsTheFirst() {
        // the first lookup resolves and remembers; the later ones read what was remembered
        for (int i = 0; i < 3; i++) {
            assertThat(ref("openai", "gpt-4o-mini-2024-07-18")).isEqualTo("openai/gpt-4o-mini@2024-07-18");
            assertThat(ref("openai", "GPT-4o-mini")).isEqualTo("openai/gpt-4o-mini@2024-07-18");
            assertThat(CATALOG.price("openai", "no-such-model-2024-01-01", "chat", CHAT, AT).priced()).isFalse();
            // the same name under another provider is another question
            assertThat(CATALOG.price("gemini", "gpt-4o-mini-2024-07-18", "chat", CHAT, AT).priced()).isFalse();
        }
    }

    @Test
    void aSnapshotThatIsAnEntryItselfKeepsItsOwnPrice() {
        Cost c = CATALOG.price("openai", "gpt-4o-2024-05-13", "chat", CHAT, AT);
        assertThat(c.priceRef()).isEqualTo("openai/gpt-4o-2024-05-13@2024-05-13");
        // 1000 × $5/1M + 1000 × $15/1M = 0.005 + 0.015
        assertThat(c.costUsd()).isEqualByComparingTo("0.02");
    }

    @Test
    void aModelEndingInDigitsIsNotShortenedWhenItIsAnEntry() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                models:
                  - {provider: gemini, model: imagen-4.0-generate, effective_from: 2025-01-01, source: test, per_image: 9.99}
                """);
        PriceCatalog catalog = PriceCatalog.load(file, null);
        Usage one = Usage.builder().images(1).build();
        assertThat(catalog.price("gemini", "imagen-4.0-generate-001", "image", one, AT).priceRef())
                .isEqualTo("gemini/imagen-4.0-generate-001@2025-08-14");
        assertThat(catalog.price("gemini", "imagen-4.0-generate-002", "image", one, AT).priceRef())
                .isEqualTo("gemini/imagen-4.0-generate@2025-01-01");
    }

    @Test
    void declaredAliasesResolve() {
        assertThat(ref("gemini", "gemini-2.5-flash-image-preview")).isEqualTo("gemini/gemini-2.5-flash-image@2025-08-26");
        assertThat(CATALOG.price("elevenlabs", "eleven_turbo_v2", "speech", Usage.builder().characters(10).build(), AT)
                .priceRef()).isEqualTo("elevenlabs/eleven_turbo_v2_5@2026-06-01");
    }

    @Test
    void replicateLlamaModelsResolveByTheNamesReplicatesApiUses() {
        // /v1/models/meta/meta-llama-3-8b-instruct/predictions; LiteLLM's key is meta/llama-3-8b-instruct
        assertThat(ref("replicate", "meta/meta-llama-3-8b-instruct")).isEqualTo("replicate/meta/llama-3-8b-instruct@2026-07-24");
        assertThat(ref("replicate", "meta/meta-llama-3-70b-instruct"))
                .isEqualTo("replicate/meta/llama-3-70b-instruct@2026-07-24");
    }

    @Test
    void lookupIgnoresLetterCase() {
        assertThat(ref("openai", "GPT-4o")).isEqualTo("openai/gpt-4o@2024-08-06");
        assertThat(ref("openai", "GPT-4O-2024-08-06")).isEqualTo("openai/gpt-4o@2024-08-06");
    }

    @Test
    void geminiModelsPrefixIsStripped() {
        assertThat(ref("gemini", "models/gemini-2.5-flash")).isEqualTo("gemini/gemini-2.5-flash@2025-06-17");
        assertThat(ref("gemini", "models/gemini-2.0-flash-001")).isEqualTo("gemini/gemini-2.0-flash@2025-02-05");
    }

    @Test
    void replicateVersionSuffixIsStripped() {
        Usage u = Usage.builder().images(1).build();
        assertThat(CATALOG.price("replicate", "black-forest-labs/flux-schnell:5599ed30703defd1d160a25a63321b4dec97101d",
                "prediction", u, AT).priceRef()).isEqualTo("replicate/black-forest-labs/flux-schnell@2026-05-11");
    }

    @Test
    void providersDoNotShareModelNames() {
        assertThat(CATALOG.price("gemini", "gpt-4o", "chat", CHAT, AT)).isEqualTo(Cost.UNPRICED);
    }

    @Test
    void onlyRealDateOrMonthDaySuffixesAreSnapshots() {
        assertThat(ModelIndex.stripSnapshot("gpt-4o-2024-08-06")).isEqualTo("gpt-4o");
        assertThat(ModelIndex.stripSnapshot("gpt-4-0613")).isEqualTo("gpt-4");
        assertThat(ModelIndex.stripSnapshot("imagen-4.0-generate-001")).isEqualTo("imagen-4.0-generate");
        assertThat(ModelIndex.stripSnapshot("gpt-4-1106-preview")).isNull();
        assertThat(ModelIndex.stripSnapshot("model-2024-13-01")).isNull();
        assertThat(ModelIndex.stripSnapshot("llama-2048")).isNull();
        assertThat(ModelIndex.stripSnapshot("gpt-4o-mini")).isNull();
        assertThat(ModelIndex.stripSnapshot("gpt-5.4")).isNull();
    }

    @Test
    void conflictingAliasesFailTheLoadNamingBothModels() throws Exception {
        Path file = dir.resolve("alias.yaml");
        Files.writeString(file, """
                models:
                  - {provider: openai, model: my-model, aliases: [gpt-4o-mini], effective_from: 2025-01-01,
                     source: test, input_per_1m_tokens: 1}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PriceCatalog.load(file, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alias \"gpt-4o-mini\" of openai/my-model")
                .hasMessageContaining("already names openai/gpt-4o-mini");
    }
}
