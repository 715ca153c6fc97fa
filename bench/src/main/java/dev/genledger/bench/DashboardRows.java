package dev.genledger.bench;

import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Modality;
import dev.genledger.ledger.Uuid7;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A content team's ledger for the dashboard benchmark: 30 models of 4 providers, 20 tasks each run
 * on one or two models, articles produced in bursts (an article's generations fall within two hours
 * of its start, chained by parent ids), a tenth of the generations without an article, category and
 * product headers on most rows (else the article's apply), tags on most, 2 % errors, one unpriced
 * model, pending video jobs, latencies from a per-modality log-normal and tokens per second per model.
 * Rows are produced one UTC day at a time, so memory stays at one day's rows.
 */
final class DashboardRows {
    record Model(String provider, String name, BigDecimal inputPerMillion, BigDecimal outputPerMillion,
                 BigDecimal perUnit, double tokensPerSecond) {}

    record Task(String name, Modality modality, String product, int weight, Model... models) {}

    private static Model m(String provider, String name, String in, String out, String unit, double tps) {
        return new Model(provider, name, new BigDecimal(in), new BigDecimal(out), new BigDecimal(unit), tps);
    }

    static final Model GPT_41 = m("openai", "gpt-4.1", "2.00", "8.00", "0", 80);
    static final Model GPT_5 = m("openai", "gpt-5", "1.25", "10.00", "0", 60);
    static final Model GPT_41_MINI = m("openai", "gpt-4.1-mini", "0.40", "1.60", "0", 120);
    static final Model GPT_41_NANO = m("openai", "gpt-4.1-nano", "0.10", "0.40", "0", 180);
    static final Model GPT_4O = m("openai", "gpt-4o", "2.50", "10.00", "0", 90);
    static final Model GPT_4O_MINI = m("openai", "gpt-4o-mini", "0.15", "0.60", "0", 130);
    static final Model GPT_5_MINI = m("openai", "gpt-5-mini", "0.25", "2.00", "0", 110);
    static final Model O4_MINI = m("openai", "o4-mini", "1.10", "4.40", "0", 70);
    static final Model GPT_IMAGE = m("openai", "gpt-image-1", "5.00", "0", "0.042", 0);
    static final Model DALL_E = m("openai", "dall-e-3", "0", "0", "0.040", 0);
    static final Model WHISPER = m("openai", "whisper-1", "0", "0", "0.0001", 0); // per second
    static final Model EMBED_3 = m("openai", "text-embedding-3-small", "0.02", "0", "0", 0);
    static final Model GEMINI_PRO = m("gemini", "gemini-2.5-pro", "1.25", "10.00", "0", 75);
    static final Model GEMINI_FLASH = m("gemini", "gemini-2.5-flash", "0.30", "2.50", "0", 160);
    static final Model GEMINI_LITE = m("gemini", "gemini-2.5-flash-lite", "0.10", "0.40", "0", 220);
    static final Model GEMINI_20 = m("gemini", "gemini-2.0-flash", "0.10", "0.40", "0", 190);
    static final Model IMAGEN = m("gemini", "imagen-4.0-generate-001", "0", "0", "0.04", 0);
    static final Model VEO = m("gemini", "veo-3.1-fast-generate-preview", "0", "0", "0.15", 0); // per second
    static final Model GEMINI_EMBED = m("gemini", "gemini-embedding-001", "0.15", "0", "0", 0);
    static final Model GEMINI_TTS = m("gemini", "gemini-2.5-flash-preview-tts", "0.50", "10.00", "0", 0);
    static final Model ELEVEN_V2 = m("elevenlabs", "eleven_multilingual_v2", "0", "0", "0.00018", 0); // per char
    static final Model ELEVEN_V3 = m("elevenlabs", "eleven_v3", "0", "0", "0.00018", 0);
    static final Model ELEVEN_FLASH = m("elevenlabs", "eleven_flash_v2_5", "0", "0", "0.00009", 0);
    static final Model ELEVEN_TURBO = m("elevenlabs", "eleven_turbo_v2_5", "0", "0", "0.00009", 0);
    static final Model FLUX_PRO = m("replicate", "black-forest-labs/flux-1.1-pro", "0", "0", "0.04", 0);
    static final Model FLUX_SCHNELL = m("replicate", "black-forest-labs/flux-schnell", "0", "0", "0.003", 0);
    static final Model SDXL = m("replicate", "stability-ai/sdxl", "0", "0", "0.0048", 0);
    static final Model MINIMAX = m("replicate", "minimax/video-01", "0", "0", "0.08", 0);  // per second
    static final Model LLAMA = m("replicate", "meta/meta-llama-3-70b-instruct", "0.65", "2.75", "0", 50);
    /** Not in any catalog: its generations are recorded unpriced. */
    static final Model UPSCALER = m("replicate", "acme/unknown-upscaler", "0", "0", "-1", 0);

    static final Task[] TASKS = {
        new Task("article_rewrite", Modality.TEXT, "article", 14, GPT_41, GPT_5),
        new Task("headline_ab", Modality.TEXT, "article", 12, GPT_41_MINI),
        new Task("faq_schema", Modality.TEXT, "article", 6, GEMINI_FLASH),
        new Task("summary", Modality.TEXT, "newsletter", 8, GEMINI_LITE, GPT_4O_MINI),
        new Task("newsletter_text", Modality.TEXT, "newsletter", 4, GPT_5_MINI),
        new Task("social_caption", Modality.TEXT, "social", 10, GPT_41_NANO, GEMINI_20),
        new Task("classify", Modality.TEXT, "article", 8, GPT_4O_MINI),
        new Task("research", Modality.TEXT, "article", 5, O4_MINI, GEMINI_PRO),
        new Task("translation", Modality.TEXT, "article", 4, GPT_4O, LLAMA),
        new Task("seo_meta", Modality.TEXT, "article", 5, GPT_41_MINI),
        new Task("image_brief", Modality.IMAGE, "article", 3, GPT_IMAGE, DALL_E),
        new Task("hero_image", Modality.IMAGE, "article", 3, FLUX_PRO, FLUX_SCHNELL),
        new Task("thumbnail", Modality.IMAGE, "social", 2, IMAGEN, SDXL),
        new Task("upscale", Modality.IMAGE, "social", 1, UPSCALER),
        new Task("audio_narration", Modality.AUDIO, "podcast", 2, ELEVEN_V2, ELEVEN_V3),
        new Task("podcast_intro", Modality.AUDIO, "podcast", 1, ELEVEN_FLASH, ELEVEN_TURBO),
        new Task("transcription", Modality.AUDIO, "podcast", 2, WHISPER),
        new Task("tts_preview", Modality.AUDIO, "podcast", 1, GEMINI_TTS),
        new Task("embeddings", Modality.EMBEDDING, "article", 8, EMBED_3, GEMINI_EMBED),
        new Task("video_teaser", Modality.VIDEO, "video", 1, VEO, MINIMAX),
    };
    static final String[] CATEGORIES = {"politics", "sport", "business", "culture", "science", "tech", "world", "local"};
    static final String[] KEYS = {"9f2c4e1a7b3d5c60", "1a2b3c4d5e6f7081", "77aa01bc3de4f5a6", "0c0ffee15bad5eed",
        "deadbeef00112233", "a1b2c3d4e5f60718"};
    static final String[] TEAMS = {"growth", "newsroom", "video", "data"};
    static final String[] FEATURES = {"chatbot", "cms", "newsletter", "social", "search"};
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final int[] taskCumulative;
    private final Instant from;
    private final int days;
    private final long seed;
    private final long articleRows;
    private final long looseRows;
    /** Articles as (start time, generation count), sorted by start. */
    private final long[] articleStart;
    private final int[] articleCount;

    /**
     * @param rows     total rows, exactly
     * @param end      the last instant rows may take
     * @param articles articles to spread over the days
     */
    DashboardRows(long rows, Instant end, int days, int articles, long seed) {
        this.from = end.minus(Duration.ofDays(days));
        this.days = days;
        this.seed = seed;
        this.articleRows = rows * 9 / 10;
        this.looseRows = rows - articleRows;
        SplittableRandom rnd = new SplittableRandom(seed);
        long spanMs = Duration.ofDays(days).minusHours(2).toMillis();
        articleStart = new long[articles];
        for (int i = 0; i < articles; i++) {
            articleStart[i] = from.toEpochMilli() + (long) (rnd.nextDouble() * spanMs);
        }
        Arrays.sort(articleStart);
        articleCount = new int[articles];
        long base = articleRows / articles;
        long rem = articleRows % articles;
        for (int i = 0; i < articles; i++) {
            articleCount[i] = (int) (base + (i < rem ? 1 : 0));
        }
        for (int i = 0; i < articles; i++) { // move counts between articles: some are big, some small
            int j = rnd.nextInt(articles);
            int delta = (int) Math.min(articleCount[j] - 1, (long) (rnd.nextDouble() * base * 0.8));
            articleCount[i] += delta;
            articleCount[j] -= delta;
        }
        int total = 0;
        taskCumulative = new int[TASKS.length];
        for (int i = 0; i < TASKS.length; i++) {
            total += TASKS[i].weight();
            taskCumulative[i] = total;
        }
    }

    Instant from() {
        return from;
    }

    int days() {
        return days;
    }

    /** The id of article i. */
    static String articleId(int i) {
        return "art-" + i;
    }

    /** The rows of one UTC day of article starts (a burst may run past midnight), unsorted. */
    List<Generation> day(int day) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + day);
        long dayStart = from.toEpochMilli() + day * 86_400_000L;
        long dayEnd = dayStart + 86_400_000L;
        List<Generation> out = new ArrayList<>();
        int first = lowerBound(articleStart, dayStart);
        for (int a = first; a < articleStart.length && articleStart[a] < dayEnd; a++) {
            String category = CATEGORIES[a % CATEGORIES.length];
            UUID previous = null;
            long[] times = new long[articleCount[a]];
            for (int k = 0; k < times.length; k++) {
                times[k] = articleStart[a] + (long) (rnd.nextDouble() * 7_200_000L);
            }
            Arrays.sort(times);
            for (long t : times) {
                Generation g = row(rnd, t, articleId(a), category, previous);
                previous = g.id();
                out.add(g);
            }
        }
        long loose = looseRows / days + (day < looseRows % days ? 1 : 0);
        for (long i = 0; i < loose; i++) {
            out.add(row(rnd, dayStart + (long) (rnd.nextDouble() * 86_400_000L), null,
                    CATEGORIES[rnd.nextInt(CATEGORIES.length)], null));
        }
        return out;
    }

    private static int lowerBound(long[] a, long key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private Task task(SplittableRandom rnd) {
        int r = rnd.nextInt(taskCumulative[taskCumulative.length - 1]);
        for (int i = 0; i < taskCumulative.length; i++) {
            if (r < taskCumulative[i]) {
                return TASKS[i];
            }
        }
        throw new AssertionError();
    }

    private static long logNormal(SplittableRandom rnd, double median, double sigma, long min, long max) {
        double v = median * Math.exp(sigma * gaussian(rnd));
        return Math.max(min, Math.min(max, (long) v));
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private Generation row(SplittableRandom rnd, long atMs, String article, String category, UUID parent) {
        Task t = task(rnd);
        Model model = t.models()[rnd.nextInt(t.models().length)];
        Instant at = Instant.ofEpochMilli(atMs);
        boolean error = rnd.nextInt(50) == 0;
        boolean pending = t.modality() == Modality.VIDEO && rnd.nextInt(20) == 0;
        Usage.Builder u = Usage.builder();
        BigDecimal in = BigDecimal.ZERO;
        BigDecimal out = BigDecimal.ZERO;
        BigDecimal other = BigDecimal.ZERO;
        double ttfb;
        double latency;
        long outTokens = 0;
        switch (t.modality()) {
            case TEXT -> {
                long inTokens = logNormal(rnd, 1_800, 0.8, 50, 120_000);
                outTokens = logNormal(rnd, 400, 0.7, 5, 16_000);
                u.inputTokens(inTokens).cachedInputTokens(rnd.nextInt(4) == 0 ? inTokens / 2 : 0).outputTokens(outTokens);
                in = model.inputPerMillion().multiply(BigDecimal.valueOf(inTokens)).divide(MILLION);
                out = model.outputPerMillion().multiply(BigDecimal.valueOf(outTokens)).divide(MILLION);
                ttfb = logNormal(rnd, 600, 0.5, 80, 30_000);
                latency = ttfb + outTokens * 1000.0 / (model.tokensPerSecond() * (0.7 + 0.6 * rnd.nextDouble()));
            }
            case EMBEDDING -> {
                long inTokens = logNormal(rnd, 1_200, 0.9, 10, 8_000);
                u.inputTokens(inTokens);
                in = model.inputPerMillion().multiply(BigDecimal.valueOf(inTokens)).divide(MILLION);
                latency = logNormal(rnd, 250, 0.5, 40, 5_000);
                ttfb = latency * 0.95;
            }
            case IMAGE -> {
                u.images(1).inputTokens(model == GPT_IMAGE ? 60 + rnd.nextInt(200) : 0);
                other = model.perUnit();
                in = model.inputPerMillion().multiply(BigDecimal.valueOf(u.build().inputTokens())).divide(MILLION);
                latency = logNormal(rnd, 9_000, 0.5, 1_500, 120_000);
                ttfb = latency * 0.9;
            }
            case AUDIO -> {
                if (model == WHISPER) {
                    long seconds = 30 + rnd.nextInt(1_800);
                    u.mediaSeconds(BigDecimal.valueOf(seconds));
                    other = model.perUnit().multiply(BigDecimal.valueOf(seconds));
                    latency = logNormal(rnd, 6_000, 0.6, 500, 120_000);
                    ttfb = latency * 0.98;
                } else if (model == GEMINI_TTS) {
                    long inTokens = 200 + rnd.nextInt(2_000);
                    outTokens = inTokens * 12;
                    u.inputTokens(inTokens).outputTokens(outTokens);
                    in = model.inputPerMillion().multiply(BigDecimal.valueOf(inTokens)).divide(MILLION);
                    out = model.outputPerMillion().multiply(BigDecimal.valueOf(outTokens)).divide(MILLION);
                    ttfb = logNormal(rnd, 900, 0.4, 100, 20_000);
                    latency = ttfb + logNormal(rnd, 3_000, 0.5, 200, 60_000);
                } else {
                    long chars = 300 + rnd.nextInt(6_000);
                    u.characters(chars);
                    other = model.perUnit().multiply(BigDecimal.valueOf(chars));
                    ttfb = logNormal(rnd, 350, 0.4, 60, 10_000);
                    latency = ttfb + chars * (0.3 + rnd.nextDouble() * 0.5);
                }
            }
            case VIDEO -> {
                u.mediaSeconds(BigDecimal.valueOf(8));
                other = model.perUnit().multiply(BigDecimal.valueOf(8));
                latency = logNormal(rnd, 700, 0.4, 100, 10_000); // the submit call of an async job
                ttfb = latency * 0.95;
            }
            default -> throw new AssertionError(t.modality());
        }
        Cost cost;
        if (error) {
            cost = Cost.FREE;
        } else if (pending || model.perUnit().signum() < 0) {
            cost = Cost.UNPRICED;
        } else {
            cost = Cost.of(in.setScale(10, RoundingMode.HALF_EVEN).stripTrailingZeros(),
                    out.setScale(10, RoundingMode.HALF_EVEN).stripTrailingZeros(), other, "bench@2025-01-01");
        }
        Map<String, String> tags = new HashMap<>(2);
        if (rnd.nextInt(5) != 0) {
            tags.put("team", TEAMS[rnd.nextInt(TEAMS.length)]);
        }
        if (rnd.nextBoolean()) {
            tags.put("feature", FEATURES[rnd.nextInt(FEATURES.length)]);
        }
        boolean headers = rnd.nextInt(10) < 7;
        return Generation.builder()
                .id(Uuid7.atExactly(atMs))
                .startedAt(at)
                .provider(model.provider())
                .operation(t.modality() == Modality.TEXT ? "chat" : t.modality().wire())
                .endpoint("POST /v1/" + t.modality().wire())
                .model(model.name())
                .modality(t.modality())
                .task(t.name())
                .articleId(article)
                .category(headers || article == null ? (rnd.nextInt(20) == 0 ? CATEGORIES[rnd.nextInt(8)] : category) : null)
                .contentProduct(headers || article == null ? t.product() : null)
                .pipelineStep(t.name())
                .parentId(parent != null && rnd.nextBoolean() ? parent : null)
                .tags(tags)
                .keyId(KEYS[Math.min(KEYS.length - 1, (int) Math.abs(gaussian(rnd) * 2))])
                .status(error ? (rnd.nextBoolean() ? 429 : 500) : 200)
                .error(error ? "upstream error" : null)
                .streamed(t.modality() == Modality.TEXT && rnd.nextInt(10) < 7)
                .state(pending && !error ? Generation.State.PENDING : Generation.State.COMPLETE)
                .usage(error ? Usage.NONE : u.build())
                .cost(cost)
                .latencyMs(Math.round(latency * 1000) / 1000.0)
                .ttfbMs(Math.round(ttfb * 1000) / 1000.0)
                .requestBytes(400 + rnd.nextInt(30_000))
                .responseBytes(200 + rnd.nextInt(60_000))
                .upstreamRequestId("req_" + Long.toHexString(rnd.nextLong()))
                .build();
    }
}
