package dev.genledger.api;

import static dev.genledger.api.HandLedger.count;
import static dev.genledger.api.HandLedger.isNull;
import static dev.genledger.api.HandLedger.number;
import static dev.genledger.api.HandLedger.usd;
import static dev.genledger.api.SpendApiTest.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/performance over {@link HandLedger}: every key worked out by hand. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerformanceApiTest {
    private ApiServer api;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        api = new ApiServer(dataDir, HandLedger.NOW);
        api.write(HandLedger.ROWS);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void sevenDaysAnswersEveryKeyAsWorkedOutByHand() {
        JsonNode p = api.ok("/api/v1/performance?window=7d");
        assertThat(p.get("window").get("name").asText()).isEqualTo("7d");
        count(p, "generations", 10);
        assertThat(p.get("p95_method").asText()).isEqualTo("exact"); // 10 rows: exact percentile_cont

        JsonNode t = p.get("by_task");
        // most generations first, then by name
        assertThat(names(t, "task")).containsExactly("article_rewrite", "audio_narration", "embeddings", "faq_schema",
                "headline", "image_brief", "summary", "video_teaser");
        JsonNode rewrite = t.get(0); // R1 2000/500, R2 3000/1000, R7 100/100 (429)
        count(rewrite, "generations", 3);
        number(rewrite, "avg_latency_ms", 1700.0);   // 5100 / 3
        // sorted 100, 2000, 3000; rank 0.95 × 2 = 1.9 → 2000 + 0.9 × 1000
        number(rewrite, "p95_latency_ms", 2900.0);
        number(rewrite, "avg_ttfb_ms", 533.333);     // 1600 / 3
        usd(rewrite, "error_rate", "0.333333");      // 1 / 3
        JsonNode image = t.get(5);                   // R3
        number(image, "avg_latency_ms", 10000.0);
        number(image, "p95_latency_ms", 10000.0);
        number(image, "avg_ttfb_ms", 9000.0);
        usd(image, "error_rate", "0");

        JsonNode m = p.get("by_model");
        assertThat(names(m, "model")).containsExactly("gpt-4o", "eleven_multilingual_v2", "gemini-2.5-flash",
                "gpt-image-1", "text-embedding-3-small", "unknown-model", "black-forest-labs/flux");
        JsonNode gpt4o = m.get(0); // R1 2000/500 (500 out), R2 3000/1000 (1000 out), R7 100/100, R12 800/200 (100 out)
        assertThat(gpt4o.get("provider").asText()).isEqualTo("openai");
        count(gpt4o, "generations", 4);
        number(gpt4o, "avg_latency_ms", 1475.0);     // 5900 / 4
        // sorted 100, 800, 2000, 3000; rank 0.95 × 3 = 2.85 → 2000 + 0.85 × 1000
        number(gpt4o, "p95_latency_ms", 2850.0);
        // Σ out 1600 over Σ (latency − ttfb) = 1500 + 2000 + 0 + 600 = 4100 ms → 1600 / 4.1 s
        number(gpt4o, "output_tokens_per_second", 390.244);
        usd(gpt4o, "input_cost_usd", "0.2075");      // 0.0025 + 0.005 + 0 + 0.2
        usd(gpt4o, "output_cost_usd", "0.315");      // 0.005 + 0.01 + 0 + 0.3
        usd(gpt4o, "input_output_cost_ratio", "0.65873"); // 0.2075 / 0.315 = 0.658730…
        usd(gpt4o, "output_tokens_per_usd", "3062.201");  // 1600 / 0.5225
        usd(gpt4o, "error_rate", "0.25");

        JsonNode gemini = m.get(2); // R4: 1000/200, 100 out, 0.00012 in, 0.00025 out
        number(gemini, "output_tokens_per_second", 125.0); // 100 / 0.8 s
        usd(gemini, "input_output_cost_ratio", "0.48");    // 0.00012 / 0.00025
        usd(gemini, "output_tokens_per_usd", "270270.27"); // 100 / 0.00037 = 270270.2702… → 3 places

        JsonNode audio = m.get(1); // R5: not text, no output tokens, no output cost
        isNull(audio, "output_tokens_per_second");
        isNull(audio, "input_output_cost_ratio");
        usd(audio, "output_tokens_per_usd", "0"); // 0 tokens / 0.3 USD
        JsonNode unpriced = m.get(5); // R6: text, 50 out over 1100 ms; no cost at all
        number(unpriced, "output_tokens_per_second", 45.455);
        isNull(unpriced, "output_tokens_per_usd");
        isNull(unpriced, "input_output_cost_ratio");
        JsonNode embedding = m.get(4); // R8: embedding is not text: no tokens per second
        isNull(embedding, "output_tokens_per_second");
    }

    @Test
    void filtersApplyToSumsAndPercentiles() {
        // category=politics: R1 R2 (gpt-4o) and R3 (image): filters beyond the histogram's dimensions read raw rows
        JsonNode p = api.ok("/api/v1/performance?window=7d&category=politics");
        count(p, "generations", 3);
        JsonNode gpt4o = p.get("by_model").get(0);
        count(gpt4o, "generations", 2);
        number(gpt4o, "p95_latency_ms", 2950.0); // 2000, 3000: rank 0.95 → 2000 + 0.95 × 1000
        JsonNode empty = api.ok("/api/v1/performance?window=7d&provider=nobody");
        count(empty, "generations", 0);
        assertThat(empty.get("by_task")).isEmpty();
        isNull(empty, "p95_method");
    }
}
