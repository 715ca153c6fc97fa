package dev.genledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Override files in GenLedger's format, and the message a bad one fails with. */
class OverrideFileTest {
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");
    private static final Usage CHAT = Usage.builder().inputTokens(1000).cachedInputTokens(200).outputTokens(300).build();

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void yamlOverrideWithTheSameDateReplacesOneBundledPrice() throws Exception {
        Path f = write("prices.yaml", """
                # our negotiated gpt-4o price
                models:
                  - provider: openai
                    model: gpt-4o
                    effective_from: 2024-08-06
                    source: "contract 2026-01"
                    input_per_1m_tokens: 2.00
                    cached_input_per_1m_tokens: 1.00
                    output_per_1m_tokens: 8.00
                """);
        PriceCatalog catalog = PriceCatalog.load(f, null);
        Cost c = catalog.price("openai", "gpt-4o", "chat", CHAT, AT);
        // 800 × $2/1M + 200 × $1/1M + 300 × $8/1M = 0.0016 + 0.0002 + 0.0024
        assertThat(c.costUsd()).isEqualByComparingTo("0.0042");
        assertThat(catalog.entries()).filteredOn(e -> e.model().equals("gpt-4o"))
                .singleElement().satisfies(e -> {
                    assertThat(e.origin()).isEqualTo(f.toString());
                    assertThat(e.source()).isEqualTo("contract 2026-01");
                    assertThat(e.rates()).doesNotContainKey("service_tier.priority.input_per_1m_tokens");
                });
        // other models keep their bundled price: gpt-4o-mini 800 × 0.15 + 200 × 0.075 + 300 × 0.60 per 1M
        assertThat(catalog.price("openai", "gpt-4o-mini", "chat", CHAT, AT).costUsd()).isEqualByComparingTo("0.000315");
    }

    @Test
    void jsonOverrideWithANewDateAddsHistoryAndNewModels() throws Exception {
        Path f = write("prices.json", """
                {"models": [
                  {"provider": "openai", "model": "gpt-4o", "effective_from": "2026-12-01", "source": "price cut 2026-12",
                   "input_per_1m_tokens": 2.0, "output_per_1m_tokens": 8.0},
                  {"provider": "openai", "model": "my-finetune", "aliases": ["ft:gpt-4o-mini:acme::abc"],
                   "effective_from": "2026-01-01", "source": "ours", "input_per_1m_tokens": 0.3, "output_per_1m_tokens": 1.2}
                ]}
                """);
        PriceCatalog catalog = PriceCatalog.load(f, null);
        // before the new date the bundled price: 0.00225 + 0.003
        assertThat(catalog.price("openai", "gpt-4o", "chat", CHAT, AT).costUsd()).isEqualByComparingTo("0.00525");
        // from it: 1000 × $2/1M (no cached rate → input rate) + 300 × $8/1M = 0.002 + 0.0024
        assertThat(catalog.price("openai", "gpt-4o", "chat", CHAT, Instant.parse("2026-12-01T00:00:00Z")).costUsd())
                .isEqualByComparingTo("0.0044");
        // 1000 × $0.3/1M + 300 × $1.2/1M = 0.0003 + 0.00036
        assertThat(catalog.price("openai", "ft:gpt-4o-mini:acme::abc", "chat", CHAT, AT).costUsd())
                .isEqualByComparingTo("0.00066");
        assertThat(catalog.entries()).filteredOn(e -> e.model().equals("gpt-4o")).extracting(PriceEntry::effectiveFrom)
                .containsExactly(LocalDate.parse("2024-08-06"), LocalDate.parse("2026-12-01"));
    }

    @Test
    void badPriceNamesTheFileTheEntryTheValueAndTheExpectation() throws Exception {
        Path f = write("bad.yaml", """
                models:
                  - provider: openai
                    model: gpt-4o
                    effective_from: 2026-01-01
                    source: x
                    input_per_1m_tokens: cheap
                """);
        assertThatThrownBy(() -> PriceCatalog.load(f, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pricing file " + f + ", models[0] (openai/gpt-4o from 2026-01-01): input_per_1m_tokens is "
                        + "\"cheap\" (expected: a decimal number of US dollars, e.g. 2.50)");
    }

    @Test
    void unknownRateNameIsRejectedWithTheVocabulary() throws Exception {
        Path f = write("typo.yaml", """
                models:
                  - {provider: openai, model: gpt-4o, effective_from: 2026-01-01, source: x}
                  - {provider: openai, model: gpt-4o-mini, effective_from: 2026-01-01, source: x, input_per_1k_tokens: 1}
                """);
        assertThatThrownBy(() -> PriceCatalog.load(f, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pricing file " + f + ", models[0] (openai/gpt-4o from 2026-01-01): no rate is set");
        Files.writeString(f, """
                models:
                  - {provider: openai, model: gpt-4o-mini, effective_from: 2026-01-01, source: x, input_per_1k_tokens: 1}
                """);
        assertThatThrownBy(() -> PriceCatalog.load(f, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("models[0] (openai/gpt-4o-mini from 2026-01-01)")
                .hasMessageContaining("unknown rate name \"input_per_1k_tokens\"")
                .hasMessageContaining("input_per_1m_tokens, cached_input_per_1m_tokens");
    }

    @Test
    void otherMistakesAreNamedToo() throws Exception {
        Path f = write("more.yaml", "models:\n  - {provider: openai, model: gpt-4o, effective_from: 2026-13-01, source: x, "
                + "input_per_1m_tokens: 1}\n");
        assertThatThrownBy(() -> PriceCatalog.load(f, null)).hasMessageContaining("effective_from is \"2026-13-01\"");
        Files.writeString(f, "models:\n  - {provider: openai, model: gpt-4o, effective_from: 2026-01-01, source: x, "
                + "input_per_1m_tokens: -1}\n");
        assertThatThrownBy(() -> PriceCatalog.load(f, null)).hasMessageContaining("input_per_1m_tokens is -1");
        Files.writeString(f, "models:\n  - {provider: azure, model: gpt-4o, effective_from: 2026-01-01, source: x, "
                + "input_per_1m_tokens: 1}\n");
        assertThatThrownBy(() -> PriceCatalog.load(f, null))
                .hasMessageContaining("provider is \"azure\" (expected one of: openai, gemini, elevenlabs, replicate)");
        Files.writeString(f, "models:\n  - {provider: gemini, model: veo-x, effective_from: 2026-01-01, source: x, "
                + "per_second: 0.1, per_minute: 6}\n");
        assertThatThrownBy(() -> PriceCatalog.load(f, null)).hasMessageContaining("billed twice");
        Files.writeString(f, "models:\n  - {provider: replicate, model: a/b, effective_from: 2026-01-01, source: x, "
                + "hardware: gpu-z99}\n");
        assertThatThrownBy(() -> PriceCatalog.load(f, null)).hasMessageContaining("hardware \"gpu-z99\"");
        Files.writeString(f, "models:\n  - provider: openai\n    model: [gpt-4o\n");
        assertThatThrownBy(() -> PriceCatalog.load(f, null))
                .hasMessageStartingWith("pricing file " + f + " is not valid YAML at line");
        Files.writeString(f, "{\"gpt-4o\": 1, \"prices\": [1, 2]}");
        assertThatThrownBy(() -> PriceCatalog.load(f, null)).hasMessageContaining("is neither a GenLedger price file");
    }

    @Test
    void missingFileSaysWhichPathAndWhatToDo() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> PriceCatalog.load(missing, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pricing file " + missing + " does not exist; fix the path (GENLEDGER_PRICING_FILE) or "
                        + "unset it to use the bundled prices only");
    }
}
