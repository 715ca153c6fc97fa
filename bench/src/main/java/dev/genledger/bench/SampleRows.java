package dev.genledger.bench;

import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Modality;
import dev.genledger.ledger.Uuid7;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Realistic ledger rows: a content team's mix of tasks, each run on one or two models of the four
 * providers, attributed to articles produced in bursts, with tags, errors and streams.
 */
public final class SampleRows {
    private SampleRows() {}

    record Task(String name, String product, Modality modality, String provider, String[] models) {}

    static final Task[] TASKS = {
        new Task("article_rewrite", "article", Modality.TEXT, "openai", new String[] {"gpt-4o-2024-08-06", "gpt-4.1"}),
        new Task("headline_ab", "article", Modality.TEXT, "openai", new String[] {"gpt-4o-mini-2024-07-18"}),
        new Task("faq_schema", "article", Modality.TEXT, "gemini", new String[] {"gemini-2.5-flash"}),
        new Task("summary", "newsletter", Modality.TEXT, "gemini", new String[] {"gemini-2.5-flash-lite", "gemini-2.5-pro"}),
        new Task("newsletter_text", "newsletter", Modality.TEXT, "openai", new String[] {"gpt-5-mini", "gpt-5"}),
        new Task("social_caption", "social", Modality.TEXT, "openai", new String[] {"gpt-4.1-mini", "gpt-4.1-nano"}),
        new Task("image_brief", "article", Modality.IMAGE, "openai", new String[] {"gpt-image-1", "dall-e-3"}),
        new Task("hero_image", "article", Modality.IMAGE, "replicate", new String[] {"black-forest-labs/flux-schnell", "black-forest-labs/flux-1.1-pro"}),
        new Task("audio_narration", "podcast", Modality.AUDIO, "elevenlabs", new String[] {"eleven_multilingual_v2", "eleven_flash_v2_5"}),
        new Task("transcription", "podcast", Modality.AUDIO, "openai", new String[] {"whisper-1", "gpt-4o-transcribe"}),
        new Task("embeddings", "article", Modality.EMBEDDING, "openai", new String[] {"text-embedding-3-small"}),
        new Task("video_teaser", "social", Modality.VIDEO, "gemini", new String[] {"veo-3.1-fast-generate-preview"}),
    };
    static final String[] CATEGORIES = {"politics", "sport", "business", "culture", "science", "tech", "world", "local"};

    /** {@code n} rows starting at {@code from}, spread over {@code days} days. */
    public static List<Generation> generate(int n, Instant from, int days, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Generation> out = new ArrayList<>(n);
        long spanMs = days * 86_400_000L;
        for (int i = 0; i < n; i++) {
            Instant at = from.plusMillis(spanMs * i / n);
            out.add(row(rnd, at, i));
        }
        return out;
    }

    static Generation row(SplittableRandom rnd, Instant at, int i) {
        Task t = TASKS[rnd.nextInt(TASKS.length)];
        String model = t.models()[rnd.nextInt(t.models().length)];
        long in = 200 + rnd.nextInt(6_000);
        long out = t.modality() == Modality.TEXT ? 50 + rnd.nextInt(1_500) : 0;
        Usage.Builder u = Usage.builder().inputTokens(in).cachedInputTokens(rnd.nextInt(4) == 0 ? in / 2 : 0)
                .outputTokens(out);
        if (t.modality() == Modality.IMAGE) {
            u.images(1);
        } else if (t.modality() == Modality.AUDIO) {
            u.characters(500 + rnd.nextInt(3_000));
        } else if (t.modality() == Modality.VIDEO) {
            u.mediaSeconds(BigDecimal.valueOf(8));
        }
        BigDecimal inCost = BigDecimal.valueOf(in).multiply(new BigDecimal("0.0000025"));
        BigDecimal outCost = BigDecimal.valueOf(out).multiply(new BigDecimal("0.00001"));
        boolean error = rnd.nextInt(50) == 0;
        double latency = 150 + rnd.nextInt(20_000) / 1.7;
        String article = "art-" + (i / 40); // ~40 generations per article, produced in a burst
        return Generation.builder()
                .id(Uuid7.atExactly(at.toEpochMilli()))
                .startedAt(at)
                .provider(t.provider())
                .operation(t.modality() == Modality.TEXT ? "chat" : t.modality().wire())
                .endpoint("POST /v1/chat/completions")
                .model(model)
                .modality(t.modality())
                .task(t.name())
                .articleId(rnd.nextInt(10) == 0 ? null : article)
                .category(CATEGORIES[(i / 40) % CATEGORIES.length])
                .contentProduct(t.product())
                .pipelineStep("rewrite")
                .tags(Map.of("team", rnd.nextBoolean() ? "growth" : "newsroom"))
                .keyId(rnd.nextBoolean() ? "9f2c4e1a7b3d5c60" : "1a2b3c4d5e6f7081")
                .status(error ? 429 : 200)
                .error(error ? "Rate limit reached" : null)
                .streamed(rnd.nextBoolean())
                .usage(error ? Usage.NONE : u.build())
                .cost(error ? Cost.FREE : Cost.of(inCost, outCost, BigDecimal.ZERO, "bench"))
                .latencyMs(latency)
                .ttfbMs(Math.min(latency, 80 + rnd.nextInt(900)))
                .requestBytes(500 + rnd.nextInt(20_000))
                .responseBytes(300 + rnd.nextInt(50_000))
                .upstreamRequestId("req_" + Long.toHexString(rnd.nextLong()))
                .build();
    }
}
