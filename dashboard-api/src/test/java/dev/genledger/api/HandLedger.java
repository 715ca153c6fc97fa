package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Modality;
import dev.genledger.ledger.Uuid7;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small ledger whose every aggregate is worked out by hand in the tests. "Now" is
 * 2026-11-20T12:34:56Z, so {@code 7d} is [2026-11-13T12:34:56Z, now): its edges fall inside hours
 * and the answer mixes raw rows, hourly and daily rollups.
 *
 * <pre>
 * row  started_at (UTC)      provider/model                    modality   task             article  cat/product hdr  key tags           in/out tokens  in/out/other cost         latency/ttfb
 * R11  11-13 12:34:55        openai/gpt-4o                     text       article_rewrite  -        -                k1  -              0/0            1.00/0/0      = 1.00     1000/100   (1 s before 7d)
 * R12  11-13 12:34:56        openai/gpt-4o                     text       headline         -        -                k1  -              100/100        0.2/0.3/0     = 0.5      800/200    (first instant of 7d)
 * R8   11-16 00:30           openai/text-embedding-3-small     embedding  embeddings       -        -                k1  -              5000/0         0.0001/0/0    = 0.0001   300/280
 * R6   11-17 08:00           openai/unknown-model              text       summary          -        -                k1  -              300/50         unpriced                 1500/400
 * R7   11-17 08:05           openai/gpt-4o                     text       article_rewrite  A2       -                k2  -              0/0            free (429 error)         100/100
 * R4   11-18 09:00           gemini/gemini-2.5-flash           text       faq_schema       A2       sport/newsletter k2  team=growth    400/100        0.00012/0.00025/0 = 0.00037 1000/200
 * R5   11-18 09:30           elevenlabs/eleven_multilingual_v2 audio      audio_narration  A2       -                k1  -              0/0 (1000 ch)  0/0/0.3       = 0.3      4000/300
 * R1   11-19 10:00           openai/gpt-4o                     text       article_rewrite  A1       politics/article k1  team=growth    1000/500       0.0025/0.005/0 = 0.0075  2000/500
 * R9   11-19 10:30           replicate (poll, modality none)   none       -                A1       -                k2  -              -              free                     50/40      (not a generation)
 * R2   11-19 11:00           openai/gpt-4o                     text       article_rewrite  A1       -                k1  team=newsroom  2000/1000      0.005/0.01/0  = 0.015    3000/1000  parent R1
 * R3   11-19 12:00           openai/gpt-image-1                image      image_brief      A1       -                k2  -              50/0 (1 image) 0.0002/0/0.04 = 0.0402   10000/9000 parent R2
 * R13  11-19 13:00           replicate/black-forest-labs/flux  video      video_teaser     -        -                k2  -              pending                                  500/450
 * R10  11-01 10:00           openai/gpt-4o                     text       article_rewrite  A3       business/article k1  -              1000/1000      0.0025/0.01/0 = 0.0125   5000/1000  (in 30d, not 7d)
 * </pre>
 *
 * A1 is first seen with R1's headers (politics/article); A2 with R7's (none). Rows are written in
 * time order, so "first seen" does not depend on batching.
 */
final class HandLedger {
    private HandLedger() {}

    static final Instant NOW = Instant.parse("2026-11-20T12:34:56Z");

    static final Generation R10 = text("2026-11-01T10:00:00Z", "gpt-4o", "article_rewrite", "k1", 1000, 1000,
            cost("0.0025", "0.01", "0"), 5000, 1000.0).articleId("A3").category("business").contentProduct("article")
            .build();
    static final Generation R11 = text("2026-11-13T12:34:55Z", "gpt-4o", "article_rewrite", "k1", 0, 0,
            cost("1.00", "0", "0"), 1000, 100.0).build();
    static final Generation R12 = text("2026-11-13T12:34:56Z", "gpt-4o", "headline", "k1", 100, 100,
            cost("0.2", "0.3", "0"), 800, 200.0).build();
    static final Generation R8 = text("2026-11-16T00:30:00Z", "text-embedding-3-small", "embeddings", "k1", 5000, 0,
            cost("0.0001", "0", "0"), 300, 280.0).modality(Modality.EMBEDDING).operation("embedding").build();
    static final Generation R6 = text("2026-11-17T08:00:00Z", "unknown-model", "summary", "k1", 300, 50,
            Cost.UNPRICED, 1500, 400.0).build();
    static final Generation R7 = text("2026-11-17T08:05:00Z", "gpt-4o", "article_rewrite", "k2", 0, 0,
            Cost.FREE, 100, 100.0).articleId("A2").status(429).error("Rate limit reached").build();
    static final Generation R4 = text("2026-11-18T09:00:00Z", "gemini-2.5-flash", "faq_schema", "k2", 400, 100,
            cost("0.00012", "0.00025", "0"), 1000, 200.0).provider("gemini").articleId("A2").category("sport")
            .contentProduct("newsletter").tags(Map.of("team", "growth")).build();
    static final Generation R5 = text("2026-11-18T09:30:00Z", "eleven_multilingual_v2", "audio_narration", "k1", 0, 0,
            cost("0", "0", "0.3"), 4000, 300.0).provider("elevenlabs").modality(Modality.AUDIO).operation("speech")
            .usage(Usage.builder().characters(1000).build()).articleId("A2").build();
    static final Generation R1 = text("2026-11-19T10:00:00Z", "gpt-4o", "article_rewrite", "k1", 1000, 500,
            cost("0.0025", "0.005", "0"), 2000, 500.0).articleId("A1").category("politics").contentProduct("article")
            .tags(Map.of("team", "growth")).build();
    static final Generation R9 = text("2026-11-19T10:30:00Z", null, null, "k2", 0, 0, Cost.FREE, 50, 40.0)
            .provider("replicate").operation("poll").modality(Modality.NONE).articleId("A1").build();
    static final Generation R2 = text("2026-11-19T11:00:00Z", "gpt-4o", "article_rewrite", "k1", 2000, 1000,
            cost("0.005", "0.01", "0"), 3000, 1000.0).articleId("A1").parentId(R1.id())
            .tags(Map.of("team", "newsroom")).build();
    static final Generation R3 = text("2026-11-19T12:00:00Z", "gpt-image-1", "image_brief", "k2", 50, 0,
            cost("0.0002", "0", "0.04"), 10000, 9000.0).modality(Modality.IMAGE).operation("image")
            .usage(Usage.builder().inputTokens(50).images(1).build()).articleId("A1").parentId(R2.id()).build();
    static final Generation R13 = text("2026-11-19T13:00:00Z", "black-forest-labs/flux", "video_teaser", "k2", 0, 0,
            Cost.UNPRICED, 500, 450.0).provider("replicate").modality(Modality.VIDEO).operation("prediction")
            .state(Generation.State.PENDING).upstreamRequestId("pred-1").build();

    /** Every row, in time order. */
    static final List<Generation> ROWS = List.of(R10, R11, R12, R8, R6, R7, R4, R5, R1, R9, R2, R3, R13);

    private static Cost cost(String in, String out, String other) {
        return Cost.of(new BigDecimal(in), new BigDecimal(out), new BigDecimal(other), "hand");
    }

    private static Generation.Builder text(String at, String model, String task, String key, long in, long out,
                                           Cost cost, double latencyMs, Double ttfbMs) {
        Instant t = Instant.parse(at);
        return Generation.builder()
                .id(Uuid7.atExactly(t.toEpochMilli()))
                .startedAt(t)
                .provider("openai")
                .operation("chat")
                .endpoint("POST /v1/chat/completions")
                .model(model)
                .modality(Modality.TEXT)
                .task(task)
                .keyId(key)
                .status(200)
                .usage(Usage.builder().inputTokens(in).outputTokens(out).build())
                .cost(cost)
                .latencyMs(latencyMs)
                .ttfbMs(ttfbMs)
                .requestBytes(1000)
                .responseBytes(2000);
    }

    // ------------------------------------------------------------------ assertions on JSON numbers

    static void usd(JsonNode node, String field, String expected) {
        JsonNode v = node.get(field);
        assertThat(v).as("%s in %s", field, node).isNotNull();
        assertThat(v.isNumber()).as("%s is a number in %s", field, node).isTrue();
        assertThat(v.decimalValue()).as("%s in %s", field, node).isEqualByComparingTo(expected);
    }

    static void number(JsonNode node, String field, double expected) {
        JsonNode v = node.get(field);
        assertThat(v).as("%s in %s", field, node).isNotNull();
        assertThat(v.isNumber()).as("%s is a number in %s", field, node).isTrue();
        assertThat(v.doubleValue()).as("%s in %s", field, node).isEqualTo(expected);
    }

    static void isNull(JsonNode node, String field) {
        assertThat(node.has(field)).as("%s present in %s", field, node).isTrue();
        assertThat(node.get(field).isNull()).as("%s is null in %s", field, node).isTrue();
    }

    static void count(JsonNode node, String field, long expected) {
        assertThat(node.get(field)).as("%s in %s", field, node).isNotNull();
        assertThat(node.get(field).asLong()).as("%s in %s", field, node).isEqualTo(expected);
    }
}
